import request from 'supertest';
import { createApp } from '../../server/app';
import { createAccessLink, DAY_MS } from '../../server/auth/links';
import { hashSecret } from '../../server/auth/secrets';
import { sendPending, type Mailer } from '../../server/notify/mailer';
import { startRun } from '../../server/runs/start';
import { purgeOldRecords } from '../../server/retention';
import { BASE_URL, testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession, cookieHeader, csrfFrom, sessionCookieValue } from './auth-helpers';

/**
 * Personal links: a way in without a password, so limited by what it is. It opens the
 * person's own work and nothing more, whoever it names; only someone above the person makes
 * one (never for an owner; editors only for outsourcers); a person has one live link at a
 * time, which emails reuse; it ends after LINK_DAYS without use; making, opening and using it
 * are in the audit log with who made it.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor', hourlyCostCents: 5000 });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member', hourlyCostCents: 4000 });
const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer', hourlyCostCents: 3000 });
t.db.prepare('UPDATE people SET hourly_cost_cents = 9900 WHERE id = ?').run(t.owner.id);
makeRunbook(
  t.db,
  'ops',
  runbookMarkdown('Ops', [
    { title: 'Otto step', owner: 'Otto Outsourcer', checks: ['Otto check'] },
    { title: 'Mia step', owner: 'Mia Member', checks: ['Mia check'] },
    { title: 'Owner step', owner: 'Olive Owner', checks: ['Owner check'] },
  ]),
);
const run = startRun(t.db, { runbook: 'ops', title: 'Ops run', startedBy: t.owner.id });

const HTML = { Accept: 'text/html' };
const liveLinks = (personId: number) =>
  t.db
    .prepare('SELECT id FROM access_links WHERE person_id = ? AND revoked_at IS NULL AND expires_at > ?')
    .all(personId, new Date().toISOString());

/** Opens a link as a fresh browser: its session cookie and its pages' CSRF token. */
async function open(token: string) {
  const res = await request(t.app).get(`/l/${token}`);
  expect(res.status).toBe(303);
  const cookie = sessionCookieValue(res) as string;
  const headers = { Cookie: cookieHeader(cookie) };
  const page = await request(t.app).get('/my-work').set(headers);
  return { cookie, headers, csrf: csrfFrom(page.text) };
}
const tokenOf = (url: string) => url.split('/l/')[1] as string;

describe('who may make a personal link', () => {
  test('an owner makes them for editors, members and outsourcers, never for an owner', async () => {
    const co = makePerson(t.db, { name: 'Cora Co-owner', level: 'owner' });
    for (const target of [eddie, mia, otto]) expect((await t.http().post(`/api/people/${target.id}/links`)).status).toBe(201);
    for (const target of [t.owner, co]) {
      const res = await t.http().post(`/api/people/${target.id}/links`);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
      expect(liveLinks(target.id)).toEqual([]);
    }
  });

  test('an editor makes them only for outsourcers; a member and an outsourcer for nobody', async () => {
    expect((await t.asPerson(eddie).post(`/api/people/${otto.id}/links`)).status).toBe(201);
    for (const target of [mia, eddie, t.owner]) expect((await t.asPerson(eddie).post(`/api/people/${target.id}/links`)).status).toBe(403);
    expect((await t.asPerson(mia).post(`/api/people/${otto.id}/links`)).status).toBe(403);
    expect((await t.asPerson(otto).post(`/api/people/${otto.id}/links`)).status).toBe(403);
  });

  test('the person page offers the form only where it is allowed', async () => {
    const page = async (who: typeof eddie, target: typeof eddie) =>
      (await t.asPerson(who).get(`/people/${target.id}`).set(HTML)).text.includes(`action="/people/${target.id}/links"`);
    expect(await page(eddie, otto)).toBe(true);
    expect(await page(eddie, mia)).toBe(false);
    expect(await page(t.owner, mia)).toBe(true);
    expect(await page(t.owner, t.owner)).toBe(false);
  });

  test('raising someone to owner ends their link', async () => {
    const raised = makePerson(t.db, { name: 'Ray Raised', level: 'member' });
    const made = await t.http().post(`/api/people/${raised.id}/links`).expect(201);
    const session = await open(tokenOf(made.body.url));
    await t.http().patch(`/api/people/${raised.id}`).send({ level: 'owner' }).expect(200);
    expect(liveLinks(raised.id)).toEqual([]);
    expect((await request(t.app).get('/api/me').set(session.headers)).status).toBe(401);
  });
});

describe('what a link opens', () => {
  /** Finding 1 of issue 10, as it was tried: a link naming an owner (made here straight in the store: the app refuses to). */
  test("an owner's link, were there one, opens only the owner's own work: no costs, people, tokens or settings", async () => {
    const link = createAccessLink(t.db, t.links, t.owner.id, eddie.id);
    const { headers, csrf } = await open(link.token);
    const get = (url: string) => request(t.app).get(url).set(headers);
    expect((await get('/api/me')).body).toEqual({
      id: t.owner.id,
      name: 'Olive Owner',
      email: 'owner@example.com',
      level: 'owner',
      via: 'link',
      // A link opens a browser session, whose scripts call the API with this token.
      csrfToken: expect.any(String),
    });
    const self = await get(`/api/people/${t.owner.id}`);
    expect(self.status).toBe(200);
    expect(self.body).not.toHaveProperty('hourlyCost');
    // The cost (99 an hour) is nowhere in the answer, under any name.
    expect(self.text).not.toMatch(/"[^"]*":99(\.0+)?[,}]/);
    for (const url of [
      '/api/people',
      '/api/audit',
      '/api/outbox',
      '/api/me/tokens',
      '/api/roles',
      '/api/gaps',
      '/api/runbooks',
      '/api/runs',
    ]) {
      expect({ url, status: (await get(url)).status }).toEqual({ url, status: 403 });
    }
    for (const person of [mia, otto, eddie]) expect((await get(`/api/people/${person.id}`)).status).toBe(404);
    for (const url of ['/people', '/account', '/audit', '/outbox', '/runbooks', '/runs']) {
      expect({ url, status: (await get(url).set(HTML)).status }).toEqual({ url, status: 403 });
    }
    const post = (url: string, body: object) => request(t.app).post(url).set(headers).set('X-CSRF-Token', csrf).send(body);
    expect((await post('/api/people', { name: 'Sneak', email: 'sneak@example.com' })).status).toBe(403);
    expect(
      (await request(t.app).patch(`/api/people/${mia.id}`).set(headers).set('X-CSRF-Token', csrf).send({ hourlyCost: 1 })).status,
    ).toBe(404);
    expect((await post(`/api/people/${mia.id}/links`, {})).status).toBe(404);
    expect((await post(`/api/people/${otto.id}/invitation`, {})).status).toBe(404);
    expect((await post('/api/me/tokens', { name: 'spare' })).status).toBe(403);
    expect((await post(`/api/people/${t.owner.id}/sign-out-everywhere`, {})).status).toBe(403);
    // Their own step: yes. Anyone else's: not there.
    expect((await post(`/api/runs/${run}/steps/3/checks/0/tick`, {})).status).toBe(200);
    expect((await post(`/api/runs/${run}/steps/2/checks/0/tick`, {})).status).toBe(404);
    const runDoc = await get(`/api/runs/${run}`);
    expect(runDoc.body.steps.map((s: { title: string }) => s.title)).toEqual(['Owner step']);
  });

  test("a member's link works their own steps and their own page (email choice, absence), nothing of anyone else's", async () => {
    const made = await t.http().post(`/api/people/${mia.id}/links`).expect(201);
    const { headers, csrf } = await open(tokenOf(made.body.url));
    const send = (method: 'post' | 'put', url: string, body: object = {}) =>
      request(t.app)[method](url).set(headers).set('X-CSRF-Token', csrf).send(body);
    expect((await send('post', `/api/runs/${run}/steps/2/checks/0/tick`)).status).toBe(200);
    expect(
      t.db
        .prepare('SELECT ticked_by FROM run_checks c JOIN run_steps s ON s.id = c.run_step_id WHERE s.run_id = ? AND s.position = 2')
        .get(run),
    ).toEqual({
      ticked_by: mia.id,
    });
    expect((await send('put', `/api/people/${mia.id}/notifications`, { notify: 'digest' })).status).toBe(200);
    expect((await send('put', `/api/people/${otto.id}/notifications`, { notify: 'digest' })).status).toBe(404);
    const day = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);
    expect((await send('post', `/api/people/${mia.id}/away`, { from: day(40), to: day(41) })).status).toBe(201);
    expect((await send('post', `/api/runs/${run}/steps/1/checks/0/tick`)).status).toBe(404);
    expect((await request(t.app).get(`/people/${mia.id}`).set(headers).set(HTML)).status).toBe(200);
    // Her cost is for her signed in with her password, not for whoever holds her link.
    expect((await request(t.app).get(`/api/people/${mia.id}`).set(headers)).body).not.toHaveProperty('hourlyCost');
    expect((await t.asPerson(mia).get(`/api/people/${mia.id}`)).body.hourlyCost).toBe(40);
  });
});

describe('one live link per person', () => {
  test('making a new link ends the old one and the sessions it opened', async () => {
    const first = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    const session = await open(tokenOf(first.body.url));
    const second = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    expect(liveLinks(otto.id)).toEqual([{ id: second.body.id }]);
    expect((await request(t.app).get('/api/me').set(session.headers)).status).toBe(401);
    expect((await request(t.app).get(`/l/${tokenOf(first.body.url)}`)).status).toBe(404);
    expect((await request(t.app).get(`/l/${tokenOf(second.body.url)}`)).status).toBe(303);
  });

  test('the store cannot hold two live links of one person', () => {
    const insert = t.db.prepare(
      "INSERT INTO access_links (person_id, token_hash, created_at, expires_at) VALUES (?, ?, '2026-01-01', '2999-01-01')",
    );
    expect(() => {
      insert.run(otto.id, 'a');
      insert.run(otto.id, 'b');
    }).toThrow(/UNIQUE/);
  });

  test('emails reuse the live link: a hundred emails, one link, and a new link from a manager is the one the next email carries', async () => {
    t.db.prepare("UPDATE notifications SET status = 'sent'").run();
    const texts: string[] = [];
    const mailer: Mailer = { send: async (m) => void texts.push(m.text), close: () => {} };
    const made = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    const insert = t.db.prepare(
      "INSERT INTO notifications (person_id, kind, subject, body, link_path, status, created_at) VALUES (?, 'assigned', 'x', 'Open it: {link}', ?, 'pending', ?)",
    );
    for (let i = 0; i < 100; i++) insert.run(otto.id, `/runs/${run}#step-1`, new Date().toISOString());
    await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links }, new Date(), 200);
    const tokens = new Set(texts.map((text) => /\/l\/([\w-]+)\?/.exec(text)?.[1]));
    expect([...tokens]).toEqual([tokenOf(made.body.url)]);
    expect(liveLinks(otto.id)).toEqual([{ id: made.body.id }]);

    const newer = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    insert.run(otto.id, '/my-work', new Date().toISOString());
    texts.length = 0;
    await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links });
    expect(texts[0]).toContain(`${BASE_URL}/l/${tokenOf(newer.body.url)}?to=%2Fmy-work`);
  });

  test('an email to someone with no live link makes one (made "for an email"), and the next email reuses it', async () => {
    const olga = makePerson(t.db, { name: 'Olga Outsourcer', email: 'olga@example.com', level: 'outsourcer' });
    const texts: string[] = [];
    const mailer: Mailer = { send: async (m) => void texts.push(m.text), close: () => {} };
    const insert = t.db.prepare(
      "INSERT INTO notifications (person_id, kind, subject, body, link_path, status, created_at) VALUES (?, 'assigned', 'x', 'Open it: {link}', '/my-work', 'pending', ?)",
    );
    insert.run(olga.id, new Date().toISOString());
    await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links });
    insert.run(olga.id, new Date().toISOString());
    await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links });
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(texts[1]);
    expect(t.db.prepare('SELECT created_by FROM access_links WHERE person_id = ?').all(olga.id)).toEqual([{ created_by: null }]);
    // A server with another key cannot make that secret again: its next email makes a new link, ending the old.
    const rekeyed = { baseUrl: BASE_URL, links: { key: Buffer.alloc(32, 7), days: 30 } };
    insert.run(olga.id, new Date().toISOString());
    await sendPending(t.db, mailer, rekeyed);
    expect(texts[2]).not.toBe(texts[0]);
    expect(liveLinks(olga.id)).toHaveLength(1);
    expect(everythingStoredHasNo(texts.map((text) => /\/l\/([\w-]+)\?/.exec(text)?.[1] as string))).toBe(true);
  });
});

function everythingStoredHasNo(secrets: string[]): boolean {
  const tables = t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
    name: string;
  }[];
  const stored = tables.map((tb) => JSON.stringify(t.db.prepare(`SELECT * FROM "${tb.name}"`).all())).join('\n');
  return secrets.every((secret) => !stored.includes(secret) && stored.includes(hashSecret(secret)));
}

describe('how long a link lives', () => {
  test(`ends after LINK_DAYS (30 by default) without use; each use moves the end`, async () => {
    const made = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    const row = () =>
      t.db.prepare('SELECT created_at, expires_at, last_used_at FROM access_links WHERE id = ?').get(made.body.id) as {
        created_at: string;
        expires_at: string;
        last_used_at: string | null;
      };
    expect(Date.parse(row().expires_at) - Date.parse(row().created_at)).toBe(30 * DAY_MS);
    expect(made.body.expiresAt).toBe(row().expires_at);
    // Twenty days unused: still live; opening it moves the end to 30 days from now.
    const twentyDaysAgo = new Date(Date.now() - 20 * DAY_MS);
    t.db
      .prepare('UPDATE access_links SET created_at = ?, expires_at = ? WHERE id = ?')
      .run(twentyDaysAgo.toISOString(), new Date(twentyDaysAgo.getTime() + 30 * DAY_MS).toISOString(), made.body.id);
    const session = await open(tokenOf(made.body.url));
    expect(Date.parse(row().expires_at) - Date.parse(row().last_used_at as string)).toBe(30 * DAY_MS);
    // Using the session, not only opening the link, counts as use (recorded every few minutes).
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    t.db.prepare('UPDATE access_links SET last_used_at = ? WHERE id = ?').run(tenMinutesAgo, made.body.id);
    await request(t.app).get('/my-work').set(session.headers).expect(200);
    expect(row().last_used_at! > tenMinutesAgo).toBe(true);
    // Past its end: the link and its session are refused.
    t.db.prepare('UPDATE access_links SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), made.body.id);
    expect((await request(t.app).get('/api/me').set(session.headers)).status).toBe(401);
    const res = await request(t.app)
      .get(`/l/${tokenOf(made.body.url)}`)
      .set(HTML);
    expect(res.status).toBe(404);
    expect(res.text).toContain('expired');
  });

  test('LINK_DAYS sets it', async () => {
    const short = createApp({ db: t.db, config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL, key: t.key, linkDays: 7 } });
    const res = await request(short).post(`/api/people/${otto.id}/links`).set(t.as(t.owner)).expect(201);
    const row = t.db.prepare('SELECT created_at, expires_at FROM access_links WHERE id = ?').get(res.body.id) as {
      created_at: string;
      expires_at: string;
    };
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(7 * DAY_MS);
  });

  test('ended links, and the sessions they opened, are purged on the timer', async () => {
    const made = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    await open(tokenOf(made.body.url));
    t.db.prepare('UPDATE access_links SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), made.body.id);
    // One more, so that the ended one is not the newest row (kept: ids are never given twice).
    await t.http().post(`/api/people/${mia.id}/links`).expect(201);
    const purged = purgeOldRecords(t.db, { outboxKeepDays: 90 });
    expect(purged.links).toBeGreaterThanOrEqual(1);
    const newest = t.db.prepare('SELECT max(id) FROM access_links').pluck().get() as number;
    const ended = t.db.prepare('SELECT count(*) AS n FROM access_links WHERE (revoked_at IS NOT NULL OR expires_at <= ?) AND id != ?');
    expect(ended.get(new Date().toISOString(), newest)).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE id = ?').get(made.body.id)).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM sessions WHERE link_id = ?').get(made.body.id)).toEqual({ n: 0 });
    // A link made after the purge gets an id no link had before.
    const after = await t.http().post(`/api/people/${otto.id}/links`).expect(201);
    expect(after.body.id).toBeGreaterThan(newest);
  });
});

describe("the person's page", () => {
  test('lists the live link with who made it, its last use and its end, and offers to end it', async () => {
    const made = await t.asPerson(eddie).post(`/api/people/${otto.id}/links`).expect(201);
    await open(tokenOf(made.body.url));
    const page = (await t.http().get(`/people/${otto.id}`).set(HTML).expect(200)).text;
    expect(page).toMatch(/Made [^<]+ by Eddie Editor · last used (?!never)[^<]+ · ends [^<]+ unless used/);
    expect(page).toContain(`action="/people/${otto.id}/links/${made.body.id}/revoke"`);
    expect(page).toContain('It ends after 30 days without use.');
  });

  test('shows the person their own link, without a way to make or end one', async () => {
    const session = browserSession(t.db, otto.id);
    const page = (await request(t.app).get(`/people/${otto.id}`).set(session.headers).set(HTML).expect(200)).text;
    expect(page).toContain('Personal link');
    expect(page).toMatch(/last used/);
    expect(page).not.toContain(`action="/people/${otto.id}/links`);
  });
});

describe('the audit log', () => {
  test('records making, opening and using a link, each naming who made it; a refused change through it is not a use', async () => {
    const made = await t.asPerson(eddie).post(`/api/people/${otto.id}/links`).expect(201);
    const { headers, csrf } = await open(tokenOf(made.body.url));
    await request(t.app).get(`/api/runs/${run}`).set(headers).expect(200);
    await request(t.app).post(`/api/runs/${run}/steps/1/note`).set(headers).set('X-CSRF-Token', csrf).send({ note: 'on it' }).expect(200);
    await request(t.app)
      .post(`/api/runs/${run}/steps/2/note`)
      .set(headers)
      .set('X-CSRF-Token', csrf)
      .send({ note: 'not mine' })
      .expect(404);
    const entries = (await t.http().get('/api/audit')).body.entries.filter(
      (e: { data: { link?: number } }) => e.data.link === made.body.id,
    ) as { action: string; actor: { name: string } | null; subject: { name: string }; detail: string; data: Record<string, unknown> }[];
    expect(entries.map((e) => [e.action, e.actor?.name, e.subject.name, e.detail]).reverse()).toEqual([
      ['link.created', 'Eddie Editor', 'Otto Outsourcer', 'link made by Eddie Editor'],
      ['link.opened', 'Otto Outsourcer', 'Otto Outsourcer', 'link made by Eddie Editor'],
      ['link.used', 'Otto Outsourcer', 'Otto Outsourcer', `POST /api/runs/${run}/steps/1/note · link made by Eddie Editor`],
    ]);
    const page = (await t.http().get('/audit').set(HTML)).text;
    expect(page).toContain('Change made through a personal link');
    expect(page).toContain('link made by Eddie Editor');
  });
});
