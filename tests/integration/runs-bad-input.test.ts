import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import {
  checkAction,
  expectError,
  expectUnauthenticated,
  getRun,
  startRun,
  stepAction,
  unauthenticated,
  type RunJson,
  type TestApp,
} from './api';

let app: TestApp;
let ann: PersonRow, gone: PersonRow, vera: PersonRow;
let run: RunJson;

const runCount = () => (app.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

beforeAll(async () => {
  app = testApp();
  ann = makePerson(app.db, { name: 'Ann' });
  gone = makePerson(app.db, { name: 'Gone', active: false });
  vera = makePerson(app.db, { name: 'Vera', kind: 'outsourcer' });
  makeRunbook(app.db, 'payroll', runbookMarkdown('Run payroll', [{ title: 'Approve hours', owner: 'Ann', body: '- [ ] Hours match' }]));
});
// A fresh run for each test: none relies on what another did to it.
beforeEach(async () => {
  run = await startRun(app, 'payroll', ann, 'April payroll');
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));

describe('POST /api/runs with bad input', () => {
  test.each([
    ['a title that is a number', { runbook: 'payroll', title: 5 }, 'title'],
    ['an empty title', { runbook: 'payroll', title: '  ' }, 'title'],
    ['a title over 200 characters', { runbook: 'payroll', title: 'x'.repeat(201) }, 'title'],
    ['a missing runbook', { title: 'T' }, 'runbook'],
    ['a runbook given as a number', { runbook: 7, title: 'T' }, 'runbook'],
  ])('refuses %s with 400 naming the field and starts nothing', async (_name, body, field) => {
    const before = runCount();
    expectError(await app.asPerson(ann).post('/api/runs').send(body), 400, 'invalid-input', field);
    expect(runCount()).toBe(before);
  });

  test('refuses an empty or missing body with 400', async () => {
    expectError(await app.asPerson(ann).post('/api/runs'), 400, 'invalid-input', 'body');
    expectError(await app.asPerson(ann).post('/api/runs').send({}), 400, 'invalid-input');
  });

  test('refuses a start by someone not signed in with 401, whatever the body says, and starts nothing', async () => {
    const before = runCount();
    for (const [name, headers, code] of await unauthenticated(app, gone)) {
      const res = await app.anonymous().post('/api/runs').set(headers).send({ runbook: 'payroll', title: 'T', by: ann.id });
      expectUnauthenticated(res, name, code);
    }
    expect(runCount()).toBe(before);
  });

  test('refuses a start by an outsourcer with 403 and starts nothing', async () => {
    const before = runCount();
    expectError(await app.asPerson(vera).post('/api/runs').send({ runbook: 'payroll', title: 'T' }), 403, 'forbidden');
    expect(runCount()).toBe(before);
  });

  test('answers 404 for a runbook that does not exist, and starts nothing', async () => {
    const before = runCount();
    for (const runbook of ['no-such-runbook', '../etc/passwd', 'PAYROLL']) {
      expectError(await app.asPerson(ann).post('/api/runs').send({ runbook, title: 'T' }), 404, 'not-found');
    }
    expect(runCount()).toBe(before);
  });
});

describe('unknown and malformed run addresses', () => {
  test('answers 404 without data for unknown or non-numeric run ids', async () => {
    for (const id of ['99999', 'abc', '0', '-1', '1.0', '01', `${run.id}abc`, '9999999999999999']) {
      const res = await app.http().get(`/api/runs/${id}`);
      expectError(res, 404, 'not-found');
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(JSON.stringify(res.body)).not.toContain('April payroll');
    }
  });

  test('answers 404 for step actions on an unknown run or step', async () => {
    for (const action of ['complete', 'reopen', 'skip']) {
      expectError(await stepAction(app, 99999, 1, action, ann), 404, 'not-found');
      expectError(await app.asPerson(ann).post(`/api/runs/abc/steps/1/${action}`), 404, 'not-found');
      expectError(await stepAction(app, run.id, 2, action, ann), 404, 'not-found');
      expectError(await app.asPerson(ann).post(`/api/runs/${run.id}/steps/0/${action}`), 404, 'not-found');
      expectError(await app.asPerson(ann).post(`/api/runs/${run.id}/steps/first/${action}`), 404, 'not-found');
    }
    expectError(await checkAction(app, 99999, 1, 0, 'tick', ann), 404, 'not-found');
    expectError(await checkAction(app, run.id, 9, 0, 'tick', ann), 404, 'not-found');
    expectError(await stepAction(app, 99999, 1, 'reassign', ann, { to: ann.id, reason: 'x' }), 404, 'not-found');
    expectError(await stepAction(app, run.id, 1, 'unknown-verb', ann), 404, 'not-found');
  });

  test('leaves the run untouched after refused actions', async () => {
    for (const action of ['complete', 'reopen', 'skip']) {
      expectError(await stepAction(app, run.id, 2, action, ann), 404, 'not-found');
      expectError(await app.asPerson(ann).post(`/api/runs/${run.id}/steps/0/${action}`), 404, 'not-found');
    }
    expectError(await checkAction(app, run.id, 9, 0, 'tick', ann), 404, 'not-found');
    expectError(await stepAction(app, run.id, 1, 'complete', ann, { note: 5 }), 400, 'invalid-input', 'note');
    const now = await getRun(app, run.id);
    expect(now.events.map((e) => e.kind)).toEqual(['run.started']);
    expect(now.steps[0]).toMatchObject({ status: 'open', checks: [expect.objectContaining({ ticked: false })] });
  });
});

describe('step actions with bad input', () => {
  test.each([
    ['a note that is not text', { note: 5 }, 'note'],
    ['a note over 5000 characters', { note: 'n'.repeat(5001) }, 'note'],
  ])('refuses completing with %s with 400 naming the field', async (_name, body, field) => {
    expectError(await stepAction(app, run.id, 1, 'complete', ann, body), 400, 'invalid-input', field);
  });
});

describe('step actions and reads: who is asking', () => {
  const actions = () =>
    [
      ['complete', `/api/runs/${run.id}/steps/1/complete`, { note: 'x' }],
      ['reopen', `/api/runs/${run.id}/steps/1/reopen`, {}],
      ['skip', `/api/runs/${run.id}/steps/1/skip`, {}],
      ['tick', `/api/runs/${run.id}/steps/1/checks/0/tick`, {}],
      ['untick', `/api/runs/${run.id}/steps/1/checks/0/untick`, {}],
      ['reassign', `/api/runs/${run.id}/steps/1/reassign`, { to: ann.id, reason: 'x' }],
    ] as const;

  test('refuses every step action with 401, whatever the body says, and changes nothing', async () => {
    const saved = await getRun(app, run.id);
    for (const [name, headers, code] of await unauthenticated(app, gone)) {
      for (const [action, url, body] of actions()) {
        expectUnauthenticated(
          await app
            .anonymous()
            .post(url)
            .set(headers)
            .send({ ...body, by: ann.id }),
          `${name} (${action})`,
          code,
        );
      }
    }
    expect(await getRun(app, run.id)).toEqual(saved);
  });

  test('refuses reading runs with 401 and says nothing about them', async () => {
    for (const [name, headers, code] of await unauthenticated(app, gone)) {
      for (const url of ['/api/runs', `/api/runs/${run.id}`]) {
        const res = await app.anonymous().get(url).set(headers);
        expectUnauthenticated(res, `${name} (GET ${url})`, code);
        expect(Object.keys(res.body)).toEqual(['error']);
      }
    }
  });

  test("stops accepting a person's token once they are deactivated", async () => {
    const leaver = makePerson(app.db, { name: 'Leaver', level: 'editor' });
    await app.asPerson(leaver).get(`/api/runs/${run.id}`).expect(200);
    await app.http().patch(`/api/people/${leaver.id}`).send({ active: false }).expect(200);
    expectError(await checkAction(app, run.id, 1, 0, 'tick', leaver), 401, 'invalid-token');
    expectError(await app.asPerson(leaver).get(`/api/runs/${run.id}`), 401, 'invalid-token');
    expect((await getRun(app, run.id)).steps[0]!.checks[0]!.ticked).toBe(false);
  });

  test('records the signed-in person, not a by named in the body, as who ticked and completed', async () => {
    await app.asPerson(ann).post(`/api/runs/${run.id}/steps/1/checks/0/tick`).send({ by: app.owner.id }).expect(200);
    const done = await stepAction(app, run.id, 1, 'complete', ann, { by: app.owner.id, note: 'Hours match' });
    expect(done.status).toBe(200);
    const after = await getRun(app, run.id);
    expect(after.steps[0]!.checks[0]!.tickedBy).toEqual({ id: ann.id, name: 'Ann' });
    expect(after.steps[0]!.completedBy).toEqual({ id: ann.id, name: 'Ann' });
    expect(after.events.slice(1).map((e) => [e.kind, e.actor?.id])).toEqual([
      ['check.ticked', ann.id],
      ['step.completed', ann.id],
      ['run.completed', ann.id],
    ]);
  });
});

describe('GET /api/runs with bad filters', () => {
  test.each([
    ['status=done', 'status'],
    ['assignee=abc', 'assignee'],
    ['assignee=-3', 'assignee'],
    ['status=open&status=complete', 'status'],
  ])('refuses ?%s with 400 naming the filter', async (query, field) => {
    expectError(await app.http().get(`/api/runs?${query}`), 400, 'invalid-input', field);
  });

  test('treats empty filters as no filter', async () => {
    const res = await app.http().get('/api/runs?status=&runbook=&assignee=');
    expect(res.status).toBe(200);
    const all = await app.http().get('/api/runs');
    expect(res.body.runs).toEqual(all.body.runs);
    expect(res.body.runs.map((r: { id: number }) => r.id)).toContain(run.id);
  });
});
