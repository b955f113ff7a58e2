import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { addNote, reassignStep } from '../../server/runs/actions';
import { setCheck, FOLD_MAX, FOLD_MS } from '../../server/runs/ticks';
import type { Actor } from '../../server/access/actor';
import { expectError } from './api';

/**
 * A run carries its newest 50 events, not all of them: older ones are a page at a time at
 * GET /api/runs/:id/events?before=, and on the run page behind "Older activity". A step's
 * hand-offs are shown whatever their age. Ticking one check again and again folds into one
 * event that still lists every change.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const ed = makePerson(t.db, { name: 'Ed Editor', level: 'editor' });
const vi = makePerson(t.db, { name: 'Vi Outsourcer', level: 'outsourcer' });
makeRole(t.db, 'Packer', [ed]);
makeRunbook(
  t.db,
  'parcel',
  runbookMarkdown('Parcel', [
    { title: 'Pack', owner: 'Packer', checks: ['Taped', 'Labelled'] },
    { title: 'Label', owner: 'Vi Outsourcer', checks: ['Printed'] },
    { title: 'Ship', owner: 'Packer' },
  ]),
);
const as = (person: { id: number; name: string; email: string }, level: Actor['level']): Actor => ({ ...person, level, via: 'token' });
const owner = as(t.owner, 'owner');
const editor = as(ed, 'editor');

/** A run with a hand-off of step 1 first, then `notes` notes: the hand-off is far older than the newest 50 events. */
function busyRun(notes: number) {
  const id = startRun(t.db, { runbook: 'parcel', title: `Busy ${notes}`, startedBy: t.owner.id });
  reassignStep(t.db, id, 1, { actor: owner, rule: 'step.reassign' }, t.owner.id, 'Ed is at the fair');
  for (let i = 0; i < notes; i++) addNote(t.db, id, i % 5 === 0 ? 2 : 3, { actor: owner, rule: 'step.comment' }, `note ${i}`);
  return id;
}

describe('GET /api/runs/:id', () => {
  test('carries the newest 50 events, oldest of them first, and where the older ones are', async () => {
    const id = busyRun(120);
    const res = await t.http().get(`/api/runs/${id}`);
    expect(res.status).toBe(200);
    const events = res.body.events as { id: number; data: { note?: string } }[];
    expect(events).toHaveLength(50);
    expect(events.map((e) => e.data.note)).toEqual(Array.from({ length: 50 }, (_, i) => `note ${70 + i}`));
    expect(res.body.olderEvents).toBe(`/api/runs/${id}/events?before=${events[0]?.id}`);
  });

  test('a run with no more than 50 events carries them all and no link', async () => {
    const id = busyRun(10);
    const res = await t.http().get(`/api/runs/${id}`);
    expect({ events: res.body.events.length, olderEvents: res.body.olderEvents }).toEqual({ events: 12, olderEvents: null });
  });
});

describe('GET /api/runs/:id/events', () => {
  test('walks back from the run through every older event, newest first, each once', async () => {
    const id = busyRun(120);
    const run = await t.http().get(`/api/runs/${id}`);
    const seen: { id: number; kind: string }[] = [];
    let next: string | null = run.body.olderEvents;
    while (next) {
      const page = await t.http().get(next.includes('limit=') ? next : `${next}&limit=30`);
      expect(page.status).toBe(200);
      seen.push(...page.body.events);
      next = page.body.next;
    }
    const all = (await t.http().get(`/api/runs/${id}/events?limit=200`)).body.events as { id: number; kind: string }[];
    expect(all).toHaveLength(122);
    expect([...seen, ...[...run.body.events].reverse()].map((e) => e.id).sort((a, b) => b - a)).toEqual(all.map((e) => e.id));
    expect(seen.map((e) => e.kind).slice(-2)).toEqual(['step.reassigned', 'run.started']);
  });

  test("gives an outsourcer only their steps' events, and refuses bad paging input by name", async () => {
    const id = busyRun(30);
    const theirs = await t.asPerson(vi).get(`/api/runs/${id}/events?limit=200`);
    expect(theirs.status).toBe(200);
    expect((theirs.body.events as { step: number }[]).every((e) => e.step === 2)).toBe(true);
    expect(theirs.body.events).toHaveLength(6);
    expectError(await t.http().get(`/api/runs/${id}/events?before=abc`), 400, 'invalid-cursor', 'before');
    expectError(await t.http().get(`/api/runs/${id}/events?limit=0`), 400, 'invalid-limit', 'limit');
    expectError(await t.http().get('/api/runs/999999/events'), 404, 'not-found');
  });
});

describe('the run page', () => {
  test('shows the latest activity with a plain link to the older, and every hand-off of a step however old', async () => {
    const id = busyRun(120);
    const page = await t.http().get(`/runs/${id}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Latest activity');
    expect(page.text).toContain('note 119');
    expect(page.text).not.toContain('note 69<');
    expect(page.text).toMatch(/Handed from Ed Editor to Olive Owner by Olive Owner, [^<]+: “Ed is at the fair”/);
    // As a browser reads an address out of the HTML: entities decoded.
    const href = (html: string, pattern: RegExp) =>
      pattern
        .exec(html)?.[1]
        ?.replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=') as string;
    const older = href(page.text, /<a href="([^"]+)">Older activity<\/a>/);
    expect(older).toMatch(new RegExp(`^/runs/${id}/activity\\?before=\\d+$`));
    const earlier = await t
      .http()
      .get(older as string)
      .set('Accept', 'text/html');
    expect(earlier.status).toBe(200);
    expect(earlier.text).toContain('note 69');
    expect(earlier.text).not.toContain('note 70');
    const further = href(earlier.text, /<a class="button button--quiet" href="([^"]+)" rel="next">/);
    const last = await t.http().get(further).set('Accept', 'text/html');
    expect(last.text).toContain('handed “Pack” from Ed Editor to Olive Owner (Ed is at the fair)');
    expect(last.text).toContain('started the run');
  });
});

describe('ticking one check again and again', () => {
  afterEach(() => jest.useRealTimers());
  const at = (ms: number) => jest.setSystemTime(new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + ms));
  const events = (id: number) =>
    t.db.prepare("SELECT kind, actor_id, data FROM run_events WHERE run_id = ? AND kind LIKE 'check.%' ORDER BY id").all(id) as {
      kind: string;
      actor_id: number;
      data: string;
    }[];

  test('folds the changes of one person within a minute into one event listing every change, ending as the check is', () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'] });
    const id = startRun(t.db, { runbook: 'parcel', title: 'Fiddly', startedBy: t.owner.id });
    const times = [0, 5_000, 9_000, 20_000, 59_000];
    times.forEach((ms, i) => {
      at(ms);
      setCheck(t.db, id, 1, 0, { actor: editor, rule: 'step.work' }, i % 2 === 0);
    });
    const [only, ...rest] = events(id);
    expect(rest).toEqual([]);
    expect(only?.kind).toBe('check.ticked');
    expect(JSON.parse(only?.data as string)).toEqual({
      index: 0,
      text: 'Taped',
      changes: times.map((ms, i) => ({ at: new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + ms).toISOString(), ticked: i % 2 === 0 })),
    });
  });

  test('starts a new event after a minute, after another check or person or event, and after FOLD_MAX changes', () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'] });
    const id = startRun(t.db, { runbook: 'parcel', title: 'Busy hands', startedBy: t.owner.id });
    const tick = (ms: number, who: Actor, index: number, ticked: boolean) => {
      at(ms);
      setCheck(t.db, id, 1, index, { actor: who, rule: 'step.work' }, ticked);
    };
    tick(0, editor, 0, true);
    tick(FOLD_MS + 1, editor, 0, false); // a minute later
    tick(FOLD_MS + 2, editor, 1, true); // another check
    tick(FOLD_MS + 3, owner, 1, false); // another person
    at(FOLD_MS + 4);
    addNote(t.db, id, 1, { actor: owner, rule: 'step.comment' }, 'in between');
    tick(FOLD_MS + 5, owner, 1, true); // another event came between
    for (let i = 0; i < FOLD_MAX + 1; i++) tick(FOLD_MS + 6 + i, owner, 1, i % 2 === 1);
    const changes = events(id).map((e) => (JSON.parse(e.data) as { changes?: unknown[] }).changes?.length ?? 1);
    expect(changes).toEqual([1, 1, 1, 1, FOLD_MAX, 2]);
  });

  test('reads on the run page as what happened to the check, with how often it changed', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    const id = startRun(t.db, { runbook: 'parcel', title: 'Fiddled', startedBy: t.owner.id });
    for (let i = 0; i < 3; i++) {
      at(i * 1000);
      setCheck(t.db, id, 1, 1, { actor: editor, rule: 'step.work' }, i % 2 === 0);
    }
    jest.useRealTimers();
    const page = await t.http().get(`/runs/${id}`).set('Accept', 'text/html');
    expect(page.text).toContain('changed “Labelled” in “Pack” 3 times within a minute, leaving it ticked');
  });
});
