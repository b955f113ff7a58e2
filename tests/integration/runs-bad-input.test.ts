import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { checkAction, expectError, getRun, startRun, stepAction, type RunJson, type TestApp } from './api';

let app: TestApp;
let ann: PersonRow, gone: PersonRow;
let run: RunJson;

const runCount = () => (app.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

beforeAll(async () => {
  app = testApp();
  ann = makePerson(app.db, { name: 'Ann' });
  gone = makePerson(app.db, { name: 'Gone', active: false });
  makeRunbook(app.db, 'payroll', runbookMarkdown('Run payroll', [{ title: 'Approve hours', owner: 'Ann', body: '- [ ] Hours match' }]));
  run = await startRun(app, 'payroll', ann.id, 'April payroll');
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));

describe('POST /api/runs with bad input', () => {
  test.each([
    ['by given as text', { runbook: 'payroll', title: 'T', by: '1' }, 'by'],
    ['by that is not an integer', { runbook: 'payroll', title: 'T', by: 1.5 }, 'by'],
    ['by missing', { runbook: 'payroll', title: 'T' }, 'by'],
    ['a title that is a number', { runbook: 'payroll', title: 5, by: 1 }, 'title'],
    ['an empty title', { runbook: 'payroll', title: '  ', by: 1 }, 'title'],
    ['a title over 200 characters', { runbook: 'payroll', title: 'x'.repeat(201), by: 1 }, 'title'],
    ['a missing runbook', { title: 'T', by: 1 }, 'runbook'],
    ['a runbook given as a number', { runbook: 7, title: 'T', by: 1 }, 'runbook'],
  ])('refuses %s with 400 naming the field and starts nothing', async (_name, body, field) => {
    const before = runCount();
    expectError(await app.http().post('/api/runs').send(body), 400, 'invalid-input', field);
    expect(runCount()).toBe(before);
  });

  test('refuses an empty or missing body with 400', async () => {
    expectError(await app.http().post('/api/runs'), 400, 'invalid-input', 'body');
    expectError(await app.http().post('/api/runs').send({}), 400, 'invalid-input');
  });

  test('refuses a person who does not exist or is inactive with 422 and starts nothing', async () => {
    const before = runCount();
    expectError(await app.http().post('/api/runs').send({ runbook: 'payroll', title: 'T', by: 99999 }), 422, 'unknown-person', 'by');
    expectError(await app.http().post('/api/runs').send({ runbook: 'payroll', title: 'T', by: gone.id }), 422, 'inactive-person', 'by');
    expect(runCount()).toBe(before);
  });

  test('answers 404 for a runbook that does not exist, and starts nothing', async () => {
    const before = runCount();
    for (const runbook of ['no-such-runbook', '../etc/passwd', 'PAYROLL']) {
      expectError(await app.http().post('/api/runs').send({ runbook, title: 'T', by: ann.id }), 404, 'not-found');
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
      expectError(await stepAction(app, 99999, 1, action, { by: ann.id }), 404, 'not-found');
      expectError(await app.http().post(`/api/runs/abc/steps/1/${action}`).send({ by: ann.id }), 404, 'not-found');
      expectError(await stepAction(app, run.id, 2, action, { by: ann.id }), 404, 'not-found');
      expectError(await app.http().post(`/api/runs/${run.id}/steps/0/${action}`).send({ by: ann.id }), 404, 'not-found');
      expectError(await app.http().post(`/api/runs/${run.id}/steps/first/${action}`).send({ by: ann.id }), 404, 'not-found');
    }
    expectError(await checkAction(app, 99999, 1, 0, 'tick', ann.id), 404, 'not-found');
    expectError(await checkAction(app, run.id, 9, 0, 'tick', ann.id), 404, 'not-found');
    expectError(await stepAction(app, 99999, 1, 'reassign', { by: ann.id, to: ann.id, reason: 'x' }), 404, 'not-found');
    expectError(await stepAction(app, run.id, 1, 'unknown-verb', { by: ann.id }), 404, 'not-found');
  });

  test('leaves the run untouched after all those refusals', async () => {
    const now = await getRun(app, run.id);
    expect(now.events.map((e) => e.kind)).toEqual(['run.started']);
    expect(now.steps[0]).toMatchObject({ status: 'open', checks: [expect.objectContaining({ ticked: false })] });
  });
});

describe('step actions with bad input', () => {
  test.each([
    ['by given as text', { by: String(1) }, 400, 'invalid-input', 'by'],
    ['by missing', {}, 400, 'invalid-input', 'by'],
    ['by zero', { by: 0 }, 400, 'invalid-input', 'by'],
    ['a note that is not text', { by: 1, note: 5 }, 400, 'invalid-input', 'note'],
    ['a note over 5000 characters', { by: 1, note: 'n'.repeat(5001) }, 400, 'invalid-input', 'note'],
    ['by who does not exist', { by: 99999 }, 422, 'unknown-person', 'by'],
  ])('refuses completing with %s', async (_name, body, status, code, field) => {
    expectError(await stepAction(app, run.id, 1, 'complete', body), status, code, field);
  });

  test('refuses an inactive person as by on every action, with 422', async () => {
    expectError(await stepAction(app, run.id, 1, 'complete', { by: gone.id }), 422, 'inactive-person', 'by');
    expectError(await checkAction(app, run.id, 1, 0, 'tick', gone.id), 422, 'inactive-person', 'by');
    expectError(await stepAction(app, run.id, 1, 'reassign', { by: gone.id, to: ann.id, reason: 'x' }), 422, 'inactive-person', 'by');
  });

  test('refuses a tick whose by is text or missing with 400', async () => {
    const tick = `/api/runs/${run.id}/steps/1/checks/0/tick`;
    expectError(await app.http().post(tick).send({ by: `${ann.id}` }), 400, 'invalid-input', 'by');
    expectError(await app.http().post(tick), 400, 'invalid-input', 'by');
    expect((await getRun(app, run.id)).steps[0]!.checks[0]!.ticked).toBe(false);
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
    expect(res.body.runs.map((r: { id: number }) => r.id)).toEqual([run.id]);
  });
});
