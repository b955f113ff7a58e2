import ICAL from 'ical.js';
import { testApp, BASE_URL } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import { startRun } from '../../server/runs/start';
import { nextOccurrences } from '../../server/runbooks/format/schedule';

/**
 * Calendar addresses: made (and replaced, and stopped) by the person or those above them, read
 * by calendar apps without signing in, and the feed as a calendar program reads it (ical.js).
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera Assistant', email: 'vera@example.com', level: 'outsourcer' });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
makeRole(t.db, 'Bookkeeper', [vera]);

makeRunbook(
  t.db,
  'orders',
  runbookMarkdown('Ship an order', [
    { title: 'Pack the order', owner: 'Vera Assistant', estimate: '30m', due: '+2h' },
    { title: 'Send the tracking email', owner: 'Vera Assistant', due: 'same day' },
    { title: 'No due time', owner: 'Vera Assistant' },
    { title: 'Mia checks', owner: 'Mia Member', due: '+1h' },
  ]),
);
makeRunbook(
  t.db,
  'month-end',
  runbookMarkdown('Month-end books', [{ title: 'Reconcile', owner: 'Bookkeeper', estimate: '1h' }], { schedule: '0 9 1 * *' }),
);
makeRunbook(t.db, 'weekly', runbookMarkdown('Weekly tidy', [{ title: 'Tidy', owner: 'Mia Member' }], { schedule: '0 8 * * 1' }));

const started = new Date();
const runId = startRun(t.db, { runbook: 'orders', title: 'Order #1042', startedBy: t.owner.id, now: started });

const secretOf = (url: string) => /\/calendar\/([^/]+)\.ics$/.exec(url)?.[1] as string;

async function feed(url: string) {
  const res = await t.anonymous().get(new URL(url).pathname).expect(200);
  expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
  const calendar = new ICAL.Component(ICAL.parse(res.text));
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

describe('a calendar address', () => {
  let url: string;

  test('is made by the person themself, answering its address under PUBLIC_URL', async () => {
    const res = await t.asPerson(vera).post(`/api/people/${vera.id}/calendar`).send({}).expect(201);
    url = res.body.url;
    expect(url).toMatch(new RegExp(`^${BASE_URL}/calendar/[\\w-]{40,}\\.ics$`));
    // Stored as a hash only: the secret itself is nowhere in the database.
    const stored = t.db.prepare('SELECT token_hash FROM calendar_links WHERE person_id = ?').all(vera.id) as { token_hash: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toContain(secretOf(url));
  });

  test('opens in a calendar program: the person’s open steps with a due time, each ending at its due time', async () => {
    const events = await feed(url);
    const steps = t.db.prepare('SELECT position, due_at FROM run_steps WHERE run_id = ? ORDER BY position').all(runId) as {
      position: number;
      due_at: string | null;
    }[];
    const pack = events.find((e) => e.summary === 'Due: Pack the order');
    expect(pack).toBeDefined();
    expect(pack?.endDate.toJSDate().toISOString()).toBe(new Date(steps[0]?.due_at as string).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    // Lasts the step's estimate (30 minutes).
    expect(pack?.startDate.toJSDate().getTime()).toBe(pack!.endDate.toJSDate().getTime() - 30 * 60_000);
    expect(pack?.startDate.isDate).toBe(false);
    expect(pack?.description).toContain(`${BASE_URL}/runs/${runId}#step-1`);
    // "Same day": an all-day item on the day the run started.
    const tracking = events.find((e) => e.summary === 'Due: Send the tracking email');
    expect(tracking?.startDate.isDate).toBe(true);
    expect(tracking?.startDate.toString()).toBe(
      `${started.getFullYear()}-${String(started.getMonth() + 1).padStart(2, '0')}-${String(started.getDate()).padStart(2, '0')}`,
    );
    // Nothing without a due time, nothing of anyone else's.
    expect(events.map((e) => e.summary)).not.toContain('Due: No due time');
    expect(events.map((e) => e.summary)).not.toContain('Due: Mia checks');
  });

  test('lists the next scheduled runs of runbooks with a step of a role the person is in, and not of others', async () => {
    const events = await feed(url);
    const runs = events.filter((e) => e.summary === 'Scheduled: Month-end books');
    const expectedStarts = nextOccurrences('0 9 1 * *', new Date(), 10)
      .filter((d) => d.getTime() <= Date.now() + 60 * 86_400_000)
      .map((d) => d.toISOString());
    expect(runs.map((e) => e.startDate.toJSDate().toISOString())).toEqual(expectedStarts);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThanOrEqual(10);
    // The run lasts what the person's steps of it take (Reconcile: an hour).
    expect(runs[0]?.duration.toSeconds()).toBe(3600);
    expect(events.map((e) => e.summary)).not.toContain('Scheduled: Weekly tidy');
    // Each event has a UID that stays the same from one read to the next.
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  test('drops a step once it is completed', async () => {
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/complete`).send({}).expect(200);
    const events = await feed(url);
    expect(events.map((e) => e.summary)).not.toContain('Due: Pack the order');
    expect(events.map((e) => e.summary)).toContain('Due: Send the tracking email');
  });

  test('replaced by a new one: the old address is not found, the new one works', async () => {
    const res = await t.http().post(`/api/people/${vera.id}/calendar`).send({}).expect(201);
    await t.anonymous().get(new URL(url).pathname).expect(404);
    await feed(res.body.url);
    url = res.body.url;
  });

  test('stopped: its address is not found, and stopping again is not found either', async () => {
    await t.asPerson(vera).delete(`/api/people/${vera.id}/calendar`).expect(200, { revoked: true });
    await t.anonymous().get(new URL(url).pathname).expect(404);
    const again = await t.asPerson(vera).delete(`/api/people/${vera.id}/calendar`).expect(404);
    expect(again.body.error.code).toBe('not-found');
  });

  test('an address nobody was given is not found', async () => {
    await t.anonymous().get('/calendar/not-a-secret-at-all-but-long-enough.ics').expect(404);
    await t.anonymous().get('/calendar/x.ics').expect(404);
  });

  test('is written in the audit log when made and when stopped', () => {
    const actions = t.db
      .prepare("SELECT action FROM audit_log WHERE subject_id = ? AND action LIKE 'calendar.%' ORDER BY id")
      .all(vera.id)
      .map((r) => (r as { action: string }).action);
    expect(actions).toEqual(['calendar.created', 'calendar.created', 'calendar.revoked']);
  });
});

describe('who may make one', () => {
  test('refuses a member making one for someone else (403), and hides others from an outsourcer (404)', async () => {
    await t.asPerson(mia).post(`/api/people/${vera.id}/calendar`).send({}).expect(403);
    await t.asPerson(vera).post(`/api/people/${mia.id}/calendar`).send({}).expect(404);
  });

  test('lets an editor make one for a member but never for an owner', async () => {
    await t.asPerson(eddie).post(`/api/people/${mia.id}/calendar`).send({}).expect(201);
    await t.asPerson(eddie).post(`/api/people/${t.owner.id}/calendar`).send({}).expect(403);
    await t.asPerson(eddie).delete(`/api/people/${t.owner.id}/calendar`).expect(403);
  });

  test('refuses one for an inactive person (422 naming calendar), and deactivating someone stops theirs', async () => {
    const leaving = makePerson(t.db, { name: 'Leaving Soon', email: 'leaving@example.com', level: 'member' });
    const made = await t.http().post(`/api/people/${leaving.id}/calendar`).send({}).expect(201);
    await t.http().patch(`/api/people/${leaving.id}`).send({ active: false }).expect(200);
    await t.anonymous().get(new URL(made.body.url).pathname).expect(404);
    const refused = await t.http().post(`/api/people/${leaving.id}/calendar`).send({}).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'inactive-person', field: 'calendar' });
  });
});

describe('the person page', () => {
  test('shows the new address once, with how to add it, and afterwards only that one is in use', async () => {
    const session = browserSession(t.db, mia.id);
    const made = await t
      .anonymous()
      .post(`/people/${mia.id}/calendar`)
      .set(session.headers)
      .type('form')
      .send({ _csrf: session.csrf })
      .expect(201);
    const address = /https:\/\/runbooks\.test\/calendar\/[\w-]+\.ics/.exec(made.text)?.[0];
    expect(address).toBeDefined();
    expect(made.text).toContain('shown only this once');
    expect(made.text).toContain('Google Calendar');
    const page = await t.anonymous().get(`/people/${mia.id}`).set(session.headers).expect(200);
    expect(page.text).toContain('In use since');
    expect(page.text).not.toContain(address as string);
    const stopped = await t
      .anonymous()
      .post(`/people/${mia.id}/calendar/revoke`)
      .set(session.headers)
      .type('form')
      .send({ _csrf: session.csrf })
      .expect(303);
    expect(stopped.headers.location).toBe(`/people/${mia.id}?done=calendar-stopped#calendar`);
    await t
      .anonymous()
      .get(new URL(address as string).pathname)
      .expect(404);
  });

  test('does not offer the calendar to a member on someone else’s page', async () => {
    const session = browserSession(t.db, mia.id);
    const page = await t.anonymous().get(`/people/${vera.id}`).set(session.headers).expect(200);
    expect(page.text).not.toContain('Make a calendar address');
  });
});
