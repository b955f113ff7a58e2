import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { completeStep } from '../../server/runs/actions';
import { setCheck } from '../../server/runs/ticks';
import { recordEvent } from '../../server/runs/repo';
import { audit } from '../../server/audit/repo';
import { insertRole } from '../../server/people/roles-repo';
import type { Actor } from '../../server/access/actor';
import { expectError } from './api';

/**
 * Every list that grows answers a page at a time: `?limit=` rows (50 unless asked, 200 at
 * most), `next` in the answer and in a Link header, a signed cursor; walking the pages gives
 * every row once, in the order of one long read. Bad paging input is a 400 naming the field.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const ana = makePerson(t.db, { name: 'Ana Atkins', level: 'editor' });
const bo = makePerson(t.db, { name: 'Bo Banks' });
const cy = makePerson(t.db, { name: 'Cy Cole', level: 'outsourcer' });
for (let i = 0; i < 4; i++) makePerson(t.db, { name: `Same Name` });
makeRole(t.db, 'Packer', [bo, ana]);
for (const name of ['Courier', 'Driver', 'Loader', 'Printer', 'Welder']) insertRole(t.db, name);
const owner: Actor = { id: t.owner.id, name: t.owner.name, email: t.owner.email, level: 'owner', via: 'token' };

for (let n = 1; n <= 7; n++) {
  makeRunbook(
    t.db,
    `parcel-${n}`,
    runbookMarkdown(`Parcel ${n % 3 === 0 ? 'invoice' : 'shipping'} ${n}`, [
      // Odd runbooks' first step is due when the run starts (overdue at once), even ones' in 300 days.
      { title: 'Pack', owner: 'Packer', due: n % 2 ? '+0m' : '+300d', checks: ['Box taped'] },
      { title: 'Drive', owner: n % 2 ? 'Driver' : 'Courier' },
      { title: 'Label', owner: n >= 5 ? undefined : 'Cy Cole' },
    ]),
  );
}
// Runs started a day apart, newest last; every third one completed.
const runs = Array.from({ length: 20 }, (_, i) => {
  const id = startRun(t.db, {
    runbook: `parcel-${1 + (i % 7)}`,
    title: `Run ${i + 1}`,
    startedBy: t.owner.id,
    now: new Date(2026, 10, 1 + i, 9, 30),
  });
  if (i % 3 === 0) {
    setCheck(t.db, id, 1, 0, { actor: owner, rule: 'step.work' }, true);
    for (const position of [1, 2, 3]) completeStep(t.db, id, position, { actor: owner, rule: 'step.work' }, null);
  }
  return id;
});
const busy = runs[1] as number;
for (let i = 0; i < 9; i++) {
  recordEvent(t.db, {
    runId: busy,
    runStepId: null,
    kind: 'step.noted',
    actorId: t.owner.id,
    at: new Date().toISOString(),
    data: { note: `n${i}` },
  });
}
for (let i = 0; i < 7; i++) audit(t.db, { action: 'sign-in.failed', actorId: null, data: { n: i } });

interface Walk {
  /** The rows of every page, in order. */
  rows: unknown[];
  pages: number;
}

/** Follows `next` from `url` to the end, checking that the Link header says the same. */
async function walk(url: string, list: string): Promise<Walk> {
  const rows: unknown[] = [];
  let pages = 0;
  let next: string | null = url;
  while (next) {
    const res = await t.http().get(next);
    expect({ url: next, status: res.status }).toEqual({ url: next, status: 200 });
    rows.push(...(res.body[list] as unknown[]));
    expect(res.headers.link ?? null).toBe(res.body.next ? `<${res.body.next}>; rel="next"` : null);
    next = res.body.next as string | null;
    pages++;
    expect(pages).toBeLessThan(50);
  }
  return { rows, pages };
}

/** Each list: its address, the key of its rows in the answer, and the same list with other filters (whose cursors differ). */
const LISTS: [string, string, string | null][] = [
  ['/api/runs', 'runs', '/api/runs?status=open'],
  ['/api/runs?status=open', 'runs', '/api/runs?status=complete'],
  [`/api/runs?assignee=${bo.id}`, 'runs', `/api/runs?assignee=${ana.id}`],
  ['/api/runs?runbook=parcel-2', 'runs', '/api/runs?runbook=parcel-3'],
  ['/api/runs?overdue=true', 'runs', '/api/runs'],
  ['/api/runs?from=2026-11-03&to=2026-11-09', 'runs', '/api/runs?from=2026-11-03'],
  ['/api/runbooks', 'runbooks', '/api/runbooks?category=x'],
  ['/api/runbooks?q=parcel', 'runbooks', '/api/runbooks?q=shipping'],
  ['/api/people', 'people', null],
  ['/api/roles', 'roles', null],
  ['/api/gaps/empty-roles', 'emptyRoles', null],
  ['/api/gaps/unowned-steps', 'unownedSteps', null],
  ['/api/gaps/unassigned-steps', 'unassignedRunSteps', null],
  [`/api/people/${bo.id}/assignments`, 'assignments', null],
  [`/api/runs/${busy}/events`, 'events', null],
  ['/api/audit', 'entries', null],
  ['/api/outbox', 'messages', '/api/outbox?status=pending'],
  ['/api/outbox?status=pending', 'messages', '/api/outbox'],
];

const withLimit = (url: string, limit: number | string) => `${url}${url.includes('?') ? '&' : '?'}limit=${limit}`;

describe.each(LISTS)('%s', (url, list, other) => {
  test('walked two rows at a time gives every row once, in the order of one long read', async () => {
    const whole = await t.http().get(withLimit(url, 200));
    expect(whole.status).toBe(200);
    expect(whole.body.next).toBeNull();
    const all = whole.body[list] as unknown[];
    expect(all.length).toBeGreaterThan(2);
    const walked = await walk(withLimit(url, 2), list);
    // Outbox messages carry the address of the request that read them: compared by id.
    const same = (rows: unknown[]) => (list === 'messages' ? rows.map((m) => (m as { id: number }).id) : rows);
    expect(same(walked.rows)).toEqual(same(all));
    expect(walked.pages).toBe(Math.ceil(all.length / 2));
  });

  test('gives up to 50 rows unless asked (here all of them), with no next page', async () => {
    const res = await t.http().get(url);
    expect({ status: res.status, next: res.body.next, link: res.headers.link }).toEqual({ status: 200, next: null, link: undefined });
  });

  test.each(['0', '201', '-1', 'abc', '2.5'])('refuses limit=%s with a 400 naming limit', async (limit) => {
    expectError(await t.http().get(withLimit(url, limit)), 400, 'invalid-limit', 'limit');
  });

  test('refuses a forged cursor, and one made for other filters, with a 400 naming it', async () => {
    const param = list === 'events' ? 'before' : 'cursor';
    const first = await t.http().get(withLimit(url, 1));
    const cursor = new URL(first.body.next, 'http://x').searchParams.get(param) as string;
    const forged = list === 'events' ? 'x1' : `${Buffer.from('["2099-01-01",1]').toString('base64url')}.${cursor.split('.')[1]}`;
    expectError(await t.http().get(`${withLimit(url, 1)}&${param}=${forged}`), 400, 'invalid-cursor', param);
    if (other)
      expectError(await t.http().get(`${withLimit(other, 1)}&${param}=${encodeURIComponent(cursor)}`), 400, 'invalid-cursor', param);
  });
});

describe('GET /api/runs filters', () => {
  const ids = async (query: string) => {
    const res = await t.http().get(`/api/runs${query}&limit=200`);
    expect(res.status).toBe(200);
    return (res.body.runs as { id: number }[]).map((r) => r.id);
  };

  test('started between two days, both included, newest first', async () => {
    expect(await ids('?from=2026-11-03&to=2026-11-05')).toEqual([runs[4], runs[3], runs[2]]);
    expect(await ids('?from=2026-11-19')).toEqual([runs[19], runs[18]]);
    expect(await ids('?to=2026-11-01')).toEqual([runs[0]]);
  });

  test('overdue: open runs with an open step past its due time', async () => {
    const overdue = await ids('?overdue=true');
    // Runs of odd runbooks (their first step was due when they started) not completed.
    const expected = runs.filter((_id, i) => i % 3 !== 0 && (1 + (i % 7)) % 2 === 1);
    expect([...overdue].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    const listed = await t.http().get('/api/runs?overdue=true&limit=200');
    expect((listed.body.runs as { overdue: boolean }[]).every((r) => r.overdue)).toBe(true);
  });

  test.each([
    ['status=done', 'status'],
    ['overdue=yes', 'overdue'],
    ['from=2026-02-30', 'from'],
    ['to=3 Dec 2026', 'to'],
    ['assignee=abc', 'assignee'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    expectError(await t.http().get(`/api/runs?${query}`), 400, 'invalid-input', field);
  });
});

describe('GET /api/gaps', () => {
  test('gives the counts, the first page of each list, and where each goes on', async () => {
    const res = await t.http().get('/api/gaps?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ emptyRoles: 5, unownedSteps: 3, unassignedRunSteps: expect.any(Number) });
    expect(res.body.emptyRoles.map((r: { name: string }) => r.name)).toEqual(['Courier', 'Driver']);
    expect(res.body.next.emptyRoles).toMatch(/^\/api\/gaps\/empty-roles\?limit=2&cursor=/);
    const rest = await walk(res.body.next.emptyRoles, 'emptyRoles');
    expect(rest.rows.map((r) => (r as { name: string }).name)).toEqual(['Loader', 'Printer', 'Welder']);
  });

  test('refuses a limit over 200', async () => {
    expectError(await t.http().get('/api/gaps?limit=500'), 400, 'invalid-limit', 'limit');
  });
});

describe('filters tell an outsourcer nothing of what they may not see', () => {
  const asCy = () => t.asPerson(cy);
  const same = async (seen: string, missing: string) => {
    const [a, b] = [await asCy().get(seen), await asCy().get(missing)];
    expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
  };

  test('a co-worker as assignee answers as a person who does not exist', async () => {
    await same(`/api/runs?assignee=${bo.id}`, '/api/runs?assignee=999999');
    await same(`/runs?assignee=${bo.id}`, '/runs?assignee=999999');
  });

  test('a runbook none of their runs use answers as one that does not exist', async () => {
    await same('/api/runs?runbook=parcel-7', '/api/runs?runbook=no-such-runbook');
  });

  test('the events of a run without their step answer as a run that does not exist', async () => {
    const theirs = runs.find((_id, i) => 1 + (i % 7) >= 5) as number;
    const res = await asCy().get(`/api/runs/${theirs}/events`);
    const missing = await asCy().get('/api/runs/999999/events');
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: missing.status, code: missing.body.error?.code });
  });
});
