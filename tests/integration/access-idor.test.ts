import type { Response } from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { startRun } from '../../server/runs/start';
import { createApiToken } from '../../server/auth/tokens';

/**
 * Insecure direct object references: outsourcer A guessing ids of outsourcer B's things gets
 * the same 404 as for things that do not exist, with nothing of B's in the answer; A's own
 * views hold only A's steps. And who sees hourly costs.
 */

const t = testApp();
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const alex = makePerson(t.db, { name: 'Alex Ant', email: 'alex@ant.example', level: 'outsourcer', hourlyCostCents: 2000 });
const bella = makePerson(t.db, { name: 'Bella Bravo', email: 'bella@bravo.example', level: 'outsourcer', hourlyCostCents: 3000 });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member', hourlyCostCents: 4000 });
const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor', hourlyCostCents: 5000 });
t.db.prepare('UPDATE people SET hourly_cost_cents = 6000 WHERE id = ?').run(t.owner.id);

makeRunbook(
  t.db,
  'shared',
  runbookMarkdown('Shared Operations', [
    { title: 'Alpha task', owner: 'Alex Ant', body: 'Alpha instructions: restock the shelf.', checks: ['Alpha check'] },
    { title: 'Bravo secret step', owner: 'Bella Bravo', optional: true, body: 'Bravo instructions zulu-7.', checks: ['Bravo check xray'] },
    { title: 'Member task', owner: 'Mia Member', body: 'Member instructions quebec.', checks: ['Member check'] },
  ]),
);
makeRunbook(
  t.db,
  'payroll',
  runbookMarkdown('Confidential Ledger', [
    { title: 'Bravo ledger step', owner: 'Bella Bravo', body: 'Ledger instructions yankee.' },
    { title: 'Member ledger step', owner: 'Mia Member' },
  ]),
);
const shared = startRun(t.db, { runbook: 'shared', title: 'Shared run', startedBy: t.owner.id });
const bellaOnly = startRun(t.db, { runbook: 'payroll', title: 'Bella private run', startedBy: t.owner.id });

/** Everything of B's (and of the team's) that A must never read. */
const NOT_FOR_ALEX = [
  'Bella',
  'bella@bravo.example',
  'Bravo',
  'zulu',
  'xray',
  'yankee',
  'Ledger',
  'Bella private run',
  'Mia',
  'mia@example.com',
  'Member task',
  'quebec',
  'Member check',
  'Eddie',
  'eddie@example.com',
];
function expectNothingOfTheirs(res: Response) {
  const text = `${res.text ?? ''}${JSON.stringify(res.body ?? null)}${JSON.stringify(res.headers)}`;
  for (const secret of NOT_FOR_ALEX) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
}

const asAlex = () => t.asPerson(alex);
const notFound = (message: string) => ({ error: { code: 'not-found', message } });

beforeAll(async () => {
  // Everyone works a little, so the run has events on every step.
  await t.asPerson(bella).post(`/api/runs/${shared}/steps/2/checks/0/tick`).expect(200);
  await t.asPerson(mia).post(`/api/runs/${shared}/steps/3/checks/0/tick`).expect(200);
  await t.asPerson(alex).post(`/api/runs/${shared}/steps/1/checks/0/tick`).expect(200);
  await t.asPerson(bella).post(`/api/runs/${bellaOnly}/steps/1/complete`).send({ note: 'Bravo note zulu' }).expect(200);
});

const bellaStep = () =>
  t.db
    .prepare(
      "SELECT s.status, s.note, s.assignee_id, (SELECT group_concat(coalesce(ticked_at, '-')) FROM run_checks c WHERE c.run_step_id = s.id) AS checks FROM run_steps s WHERE run_id = ? AND position = 2",
    )
    .get(shared);

describe("outsourcer A asking for outsourcer B's things", () => {
  test.each([
    ['tick', 'checks/0/tick'],
    ['untick', 'checks/0/untick'],
    ['complete', 'complete'],
    ['skip', 'skip'],
    ['reopen', 'reopen'],
    ['reassign', 'reassign'],
    ['note', 'note'],
  ])("acting on B's step (%s) gets the 404 of a missing step, reveals nothing and changes nothing", async (_name, action) => {
    const before = bellaStep();
    const eventsBefore = t.db.prepare('SELECT count(*) AS n FROM run_events').get();
    const res = await asAlex().post(`/api/runs/${shared}/steps/2/${action}`).send({ note: 'mine now', to: alex.id, reason: 'taking it' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound(`Step 2 of run ${shared} was not found`));
    expectNothingOfTheirs(res);
    expect(bellaStep()).toEqual(before);
    expect(t.db.prepare('SELECT count(*) AS n FROM run_events').get()).toEqual(eventsBefore);

    const missing = await asAlex().post(`/api/runs/${shared}/steps/99/${action}`).send({ note: 'x', to: alex.id, reason: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(notFound(`Step 99 of run ${shared} was not found`));
  });

  test("acting on a step of B's run, where A has no step, answers exactly like a run that does not exist", async () => {
    const res = await asAlex().post(`/api/runs/${bellaOnly}/steps/1/reopen`);
    const missing = await asAlex().post('/api/runs/999999/steps/1/reopen');
    expect(res.body).toEqual(notFound(`Step 1 of run ${bellaOnly} was not found`));
    expect(missing.body).toEqual(notFound('Step 1 of run 999999 was not found'));
    expect([res.status, missing.status]).toEqual([404, 404]);
    expectNothingOfTheirs(res);
    expect(t.db.prepare('SELECT status FROM run_steps WHERE run_id = ? AND position = 1').get(bellaOnly)).toEqual({ status: 'complete' });
  });

  test("B's run gets the 404 of a run that does not exist", async () => {
    const res = await asAlex().get(`/api/runs/${bellaOnly}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound(`Run ${bellaOnly} was not found`));
    expectNothingOfTheirs(res);
    expect((await asAlex().get('/api/runs/999999')).body).toEqual(notFound('Run 999999 was not found'));
  });

  test.each([
    ['profile', (id: number) => `/api/people/${id}`],
    ['assignments', (id: number) => `/api/people/${id}/assignments`],
    ['links', (id: number) => `/api/people/${id}/links`],
  ])("asking for B's %s gets the 404 of a person who does not exist", async (_name, url) => {
    const res = await asAlex().get(url(bella.id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound(`Person ${bella.id} was not found`));
    expectNothingOfTheirs(res);
    expect((await asAlex().get(url(999999))).body).toEqual(notFound('Person 999999 was not found'));
  });

  test.each([
    ['PATCH', `/api/people/:id`],
    ['POST', `/api/people/:id/links`],
    ['POST', `/api/people/:id/invitation`],
  ])('%s %s on B gets the 404 of a person who does not exist and changes nothing', async (method, route) => {
    const before = JSON.stringify(t.db.prepare('SELECT * FROM people WHERE id = ?').get(bella.id));
    const counts = () =>
      t.db.prepare('SELECT (SELECT count(*) FROM access_links) AS links, (SELECT count(*) FROM invitations) AS invitations').get();
    const countsBefore = counts();
    const url = route.replace(':id', String(bella.id));
    const res =
      method === 'PATCH'
        ? await asAlex().patch(url).send({ name: 'Hijacked', email: 'alex2@ant.example' })
        : await asAlex().post(url).send({});
    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound(`Person ${bella.id} was not found`));
    expectNothingOfTheirs(res);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM people WHERE id = ?').get(bella.id))).toBe(before);
    expect(counts()).toEqual(countsBefore);
  });

  test("B's person pages and the team pages reveal nothing of B's", async () => {
    for (const url of [
      `/people/${bella.id}`,
      `/people/${bella.id}/edit`,
      '/people',
      '/runbooks',
      '/runbooks/payroll',
      `/runs/${bellaOnly}`,
    ]) {
      const res = await asAlex().get(url).set('Accept', 'text/html');
      expect({ url, refused: [403, 404].includes(res.status) }).toEqual({ url, refused: true });
      expectNothingOfTheirs(res);
    }
  });

  test.each(['payroll', 'shared'])('a runbook export (%s) gets the 404 of a runbook that does not exist', async (slug) => {
    for (const url of [
      `/api/runbooks/${slug}/export`,
      `/api/runbooks/${slug}`,
      `/api/runbooks/${slug}/versions`,
      `/api/runbooks/${slug}/versions/1`,
    ]) {
      const res = await asAlex().get(url);
      expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 404, body: notFound(`Runbook "${slug}" was not found`) });
      expectNothingOfTheirs(res);
    }
  });

  test("revoking B's API token by its id gets 404 and B's token keeps working", async () => {
    const { token, row } = createApiToken(t.db, bella.id, "Bella's script");
    const res = await asAlex().post(`/api/me/tokens/${row.id}/revoke`);
    expect(res.status).toBe(404);
    expectNothingOfTheirs(res);
    expect((await asAlex().get('/api/me/tokens')).body.tokens.map((x: { name: string }) => x.name)).not.toContain("Bella's script");
    const me = await t.anonymous().get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(bella.id);
  });

  test('the team lists and runbooks are refused with 403', async () => {
    for (const url of ['/api/people', '/api/runbooks', '/api/roles', '/api/gaps', '/api/audit']) {
      const res = await asAlex().get(url);
      expect({ url, status: res.status, code: res.body.error?.code }).toEqual({ url, status: 403, code: 'forbidden' });
      expectNothingOfTheirs(res);
    }
  });
});

describe("outsourcer A's own views", () => {
  test("their run holds only their step, with its instructions, their progress and their step's events", async () => {
    const res = await asAlex().get(`/api/runs/${shared}`);
    expect(res.status).toBe(200);
    expectNothingOfTheirs(res);
    const body = res.body as {
      steps: { position: number; title: string; body: string; assignee: { id: number }; checks: { text: string }[] }[];
      events: { step: number | null; actor: { id: number } | null }[];
      progress: { steps: number; done: number; required: number };
    };
    expect(body.steps.map((s) => [s.position, s.title, s.assignee.id])).toEqual([[1, 'Alpha task', alex.id]]);
    expect(body.steps[0]?.body).toContain('Alpha instructions: restock the shelf.');
    expect(body.steps[0]?.checks.map((c) => c.text)).toEqual(['Alpha check']);
    expect(body.progress).toEqual({ steps: 1, done: 0, required: 1, requiredDone: 0 });
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => e.step === 1 && e.actor?.id === alex.id)).toBe(true);
  });

  test('the run list holds only runs with their steps, counting only their steps', async () => {
    await t.asPerson(mia).post(`/api/runs/${shared}/steps/3/complete`).expect(200);
    const res = await asAlex().get('/api/runs');
    expect(res.status).toBe(200);
    expectNothingOfTheirs(res);
    expect(res.body.runs.map((r: { id: number; progress: object }) => [r.id, r.progress])).toEqual([[shared, { steps: 1, done: 0 }]]);
    for (const query of ['?status=complete', '?runbook=payroll', `?assignee=${bella.id}&status=complete`]) {
      const filtered = await asAlex().get(`/api/runs${query}`);
      expect({ query, runs: filtered.body.runs }).toEqual({ query, runs: [] });
    }
    // The team sees the whole run.
    const team = await t.asPerson(mia).get('/api/runs');
    expect(team.body.runs.find((r: { id: number }) => r.id === shared).progress).toEqual({ steps: 3, done: 1 });
  });

  test('a step action answers with their step and their progress only', async () => {
    const res = await asAlex().post(`/api/runs/${shared}/steps/1/checks/0/untick`);
    expect(res.status).toBe(200);
    expectNothingOfTheirs(res);
    expect(res.body.step.position).toBe(1);
    expect(res.body.run.progress).toEqual({ steps: 1, done: 0, required: 1, requiredDone: 0 });
  });

  test('their assignments and My work page list only their steps', async () => {
    const assignments = await asAlex().get(`/api/people/${alex.id}/assignments`);
    expect(assignments.status).toBe(200);
    expectNothingOfTheirs(assignments);
    expect(assignments.body.assignments.map((a: { run: { id: number }; position: number }) => [a.run.id, a.position])).toEqual([
      [shared, 1],
    ]);

    const page = await asAlex().get('/my-work').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alpha task');
    expectNothingOfTheirs(page);
  });

  test("the run page shows only their step, its instructions and its activity; B's run page is 404", async () => {
    const page = await asAlex().get(`/runs/${shared}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alpha task');
    expect(page.text).toContain('Alpha instructions: restock the shelf.');
    expectNothingOfTheirs(page);
    const theirs = await asAlex().get(`/runs/${bellaOnly}`).set('Accept', 'text/html');
    expect(theirs.status).toBe(404);
    expectNothingOfTheirs(theirs);
  });

  test("a step form on B's step gets 404, reveals nothing and changes nothing", async () => {
    const before = bellaStep();
    const events = () => t.db.prepare('SELECT count(*) AS n FROM run_events').get();
    const eventsBefore = events();
    for (const action of ['checks/0/tick', 'complete', 'skip', 'note', 'reassign']) {
      const res = await asAlex()
        .post(`/runs/${shared}/steps/2/${action}`)
        .set('Accept', 'text/html')
        .type('form')
        .send({ note: 'mine now', to: String(alex.id), reason: 'taking it' });
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
      expectNothingOfTheirs(res);
    }
    expect(bellaStep()).toEqual(before);
    expect(events()).toEqual(eventsBefore);
  });

  test('their own profile works, with their own hourly cost', async () => {
    const res = await asAlex().get(`/api/people/${alex.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: alex.id, name: 'Alex Ant', email: 'alex@ant.example', hourlyCost: 20, level: 'outsourcer' });
    const me = await asAlex().get('/api/me');
    expect(me.body).toEqual({ id: alex.id, name: 'Alex Ant', email: 'alex@ant.example', level: 'outsourcer', via: 'token' });
  });
});

describe('hourly costs', () => {
  const costsSeenBy = async (viewer: PersonRow) => {
    const res = await t.asPerson(viewer).get('/api/people');
    expect(res.status).toBe(200);
    return Object.fromEntries(
      (res.body.people as { name: string; hourlyCost?: number | null }[]).map((p) => [p.name, 'hourlyCost' in p ? p.hourlyCost : 'hidden']),
    );
  };

  test('a member sees only their own cost, in the list and on each person', async () => {
    expect(await costsSeenBy(mia)).toEqual({
      'Alex Ant': 'hidden',
      'Bella Bravo': 'hidden',
      'Eddie Editor': 'hidden',
      'Mia Member': 40,
      'Olive Owner': 'hidden',
    });
    for (const other of [alex, eddie, t.owner]) {
      const res = await t.asPerson(mia).get(`/api/people/${other.id}`);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('hourlyCost');
    }
    expect((await t.asPerson(mia).get(`/api/people/${mia.id}`)).body.hourlyCost).toBe(40);
  });

  test('an editor sees only their own cost too', async () => {
    expect(await costsSeenBy(eddie)).toEqual({
      'Alex Ant': 'hidden',
      'Bella Bravo': 'hidden',
      'Eddie Editor': 50,
      'Mia Member': 'hidden',
      'Olive Owner': 'hidden',
    });
  });

  test("an owner sees everyone's cost", async () => {
    expect(await costsSeenBy(t.owner)).toEqual({
      'Alex Ant': 20,
      'Bella Bravo': 30,
      'Eddie Editor': 50,
      'Mia Member': 40,
      'Olive Owner': 60,
    });
    expect((await t.http().get(`/api/people/${bella.id}`)).body.hourlyCost).toBe(30);
  });

  test("a member editing someone's cost is refused with 403, learning nothing and changing nothing", async () => {
    const res = await t.asPerson(mia).patch(`/api/people/${bella.id}`).send({ hourlyCost: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(t.db.prepare('SELECT hourly_cost_cents FROM people WHERE id = ?').get(bella.id)).toEqual({ hourly_cost_cents: 3000 });
  });
});
