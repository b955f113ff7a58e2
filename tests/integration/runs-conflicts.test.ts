import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { checkAction, expectError, getRun, putRunbook, startRun, stepAction, type RunJson, type TestApp } from './api';

let app: TestApp;
let ann: PersonRow, ben: PersonRow, cy: PersonRow, gone: PersonRow;

beforeAll(async () => {
  app = testApp();
  // Ann and Cy are members: they work the steps assigned to them. Ben, an editor and Ann's
  // backup, works any step, so he can collide with what Ann has already done.
  ann = makePerson(app.db, { name: 'Ann' });
  ben = makePerson(app.db, { name: 'Ben', level: 'editor' });
  cy = makePerson(app.db, { name: 'Cy' });
  gone = makePerson(app.db, { name: 'Gone', active: false });
  makeRole(app.db, 'Bookkeeper', [ann, ben]);
  await putRunbook(
    app,
    'close-month',
    runbookMarkdown('Close the month', [
      { title: 'Reconcile', owner: 'Bookkeeper', body: '- [ ] Bank matches\n- [ ] Card matches' },
      { title: 'File receipts', owner: 'Bookkeeper' },
      { title: 'Tell the owner', owner: 'Bookkeeper', optional: true },
    ]),
  ).expect(201);
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));

/** The run's state minus what a refused request must not touch: steps (with checks) and events. */
const state = async (id: number) => {
  const run = await getRun(app, id);
  return { status: run.status, steps: run.steps, events: run.events };
};

describe('completing a step twice', () => {
  let run: RunJson;
  beforeEach(async () => {
    run = await startRun(app, 'close-month', ann);
  });

  test('answers 409 naming who completed it and when, and overwrites nothing', async () => {
    const first = await stepAction(app, run.id, 2, 'complete', ann, { note: 'All filed' });
    expect(first.status).toBe(200);
    const saved = await state(run.id);
    const second = await stepAction(app, run.id, 2, 'complete', ben, { note: 'Mine now' });
    const error = expectError(second, 409, 'step-already-complete');
    expect(error.completedBy).toEqual({ id: ann.id, name: 'Ann' });
    expect(error.completedAt).toBe(first.body.step.completedAt);
    expect(error.message).toContain('Ann');
    expect(await state(run.id)).toEqual(saved);
  });

  test('lets exactly one of two simultaneous completions win; the other hears who won', async () => {
    const [a, b] = await Promise.all([stepAction(app, run.id, 3, 'complete', ann), stepAction(app, run.id, 3, 'complete', ben)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.body.error.completedBy).toEqual(won.body.step.completedBy);
    const events = (await getRun(app, run.id)).events.filter((e) => e.kind === 'step.completed' && e.step === 3);
    expect(events).toHaveLength(1);
  });

  test('refuses skipping or reopening in the wrong state with 409', async () => {
    await stepAction(app, run.id, 2, 'complete', ann).expect(200);
    const skip = await stepAction(app, run.id, 2, 'skip', ann);
    expectError(skip, 409, 'step-already-complete');
    const reopenOpen = await stepAction(app, run.id, 1, 'reopen', ann);
    expectError(reopenOpen, 409, 'step-open');
  });
});

describe('checks', () => {
  let run: RunJson;
  beforeEach(async () => {
    run = await startRun(app, 'close-month', ann);
  });

  test('refuses to complete a step with open checks with 422 listing them, and changes nothing', async () => {
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    const saved = await state(run.id);
    const res = await stepAction(app, run.id, 1, 'complete', ann);
    const error = expectError(res, 422, 'checks-open', 'checks');
    expect(error.openChecks).toEqual([{ index: 0, text: 'Bank matches' }]);
    expect(await state(run.id)).toEqual(saved);
  });

  test('refuses ticking a ticked check with 409 naming who ticked it and when', async () => {
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    const res = await checkAction(app, run.id, 1, 1, 'tick', ben);
    const error = expectError(res, 409, 'check-already-ticked');
    expect(error.tickedBy).toEqual({ id: ann.id, name: 'Ann' });
    expect(error.tickedAt).toEqual((await getRun(app, run.id)).steps[0]!.checks[1]!.tickedAt);
  });

  test('refuses unticking an open check with 409', async () => {
    expectError(await checkAction(app, run.id, 1, 0, 'untick', ann), 409, 'check-not-ticked');
  });

  test('answers 404 for a check index the step does not have', async () => {
    expectError(await checkAction(app, run.id, 1, 2, 'tick', ann), 404, 'not-found');
    expectError(await checkAction(app, run.id, 2, 0, 'tick', ann), 404, 'not-found');
    expectError(await app.asPerson(ann).post(`/api/runs/${run.id}/steps/1/checks/x/tick`), 404, 'not-found');
    expectError(await app.asPerson(ann).post(`/api/runs/${run.id}/steps/1/checks/-1/tick`), 404, 'not-found');
  });

  test('refuses ticking a check of a completed step with 409', async () => {
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await stepAction(app, run.id, 1, 'complete', ann).expect(200);
    expectError(await checkAction(app, run.id, 1, 0, 'untick', ann), 409, 'step-already-complete');
  });
});

describe('optional and required steps', () => {
  test('refuses skipping a required step with 422', async () => {
    const run = await startRun(app, 'close-month', ann);
    expectError(await stepAction(app, run.id, 2, 'skip', ann), 422, 'step-required');
    expect((await getRun(app, run.id)).steps[1]!.status).toBe('open');
  });

  test('refuses completing a skipped step with 409 until it is reopened', async () => {
    const run = await startRun(app, 'close-month', ann);
    await stepAction(app, run.id, 3, 'skip', ben).expect(200);
    const error = expectError(await stepAction(app, run.id, 3, 'complete', ann), 409, 'step-skipped');
    expect(error.skippedBy).toEqual({ id: ben.id, name: 'Ben' });
    expect(error.skippedAt).toEqual(expect.any(String));
    await stepAction(app, run.id, 3, 'reopen', ann).expect(200);
    expect((await stepAction(app, run.id, 3, 'complete', ann)).body.step.status).toBe('complete');
  });

  test('completes the run when every required step is complete, closing the open optional one as not done', async () => {
    const run = await startRun(app, 'close-month', ann);
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    await stepAction(app, run.id, 1, 'complete', ann).expect(200);
    const last = await stepAction(app, run.id, 2, 'complete', ann);
    expect(last.body.run.status).toBe('complete');
    expect((await getRun(app, run.id)).steps[2]!.status).toBe('not-done');
  });
});

describe('a finished run', () => {
  let run: RunJson;
  let saved: Awaited<ReturnType<typeof state>>;

  beforeAll(async () => {
    run = await startRun(app, 'close-month', ann);
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    await stepAction(app, run.id, 1, 'complete', ann).expect(200);
    await stepAction(app, run.id, 2, 'complete', ann).expect(200);
    saved = await state(run.id);
  });

  test.each([
    ['completing the optional step', () => stepAction(app, run.id, 3, 'complete', ann)],
    ['skipping the optional step', () => stepAction(app, run.id, 3, 'skip', ann)],
    ['reopening a step', () => stepAction(app, run.id, 1, 'reopen', ann)],
    ['unticking a check', () => checkAction(app, run.id, 1, 0, 'untick', ann)],
    ['reassigning a step', () => stepAction(app, run.id, 3, 'reassign', ann, { to: cy.id, reason: 'Ann is away' })],
  ])('refuses %s with 409 run-complete and changes nothing', async (_name, act) => {
    const error = expectError(await act(), 409, 'run-complete');
    expect(error.completedAt).toBe((await getRun(app, run.id)).completedAt);
    expect(await state(run.id)).toEqual(saved);
  });
});

describe('reassigning a step', () => {
  let run: RunJson;
  beforeEach(async () => {
    run = await startRun(app, 'close-month', ann);
  });

  test('moves the step and records from, to, who and why as an event', async () => {
    const res = await stepAction(app, run.id, 2, 'reassign', ben, { to: cy.id, reason: '  Ann is on leave ' });
    expect(res.status).toBe(200);
    expect(res.body.step.assignee).toEqual({ id: cy.id, name: 'Cy' });
    const event = (await getRun(app, run.id)).events.at(-1)!;
    expect(event).toMatchObject({
      kind: 'step.reassigned',
      actor: { id: ben.id, name: 'Ben' },
      step: 2,
      data: { from: ann.id, to: cy.id, reason: 'Ann is on leave' },
    });
  });

  test('refuses a person who does not exist or is inactive with 422 and changes nothing', async () => {
    const saved = await state(run.id);
    expectError(await stepAction(app, run.id, 2, 'reassign', ben, { to: 99999, reason: 'x' }), 422, 'unknown-person', 'to');
    expectError(await stepAction(app, run.id, 2, 'reassign', ben, { to: gone.id, reason: 'x' }), 422, 'inactive-person', 'to');
    expect(await state(run.id)).toEqual(saved);
  });

  test('refuses the person who already has the step with 409', async () => {
    await stepAction(app, run.id, 2, 'reassign', ben, { to: cy.id, reason: 'Ann is on leave' }).expect(200);
    expectError(await stepAction(app, run.id, 2, 'reassign', ben, { to: cy.id, reason: 'again' }), 409, 'already-assigned');
  });

  test('refuses a completed step with 409 naming who completed it', async () => {
    await stepAction(app, run.id, 2, 'reassign', ben, { to: cy.id, reason: 'Ann is on leave' }).expect(200);
    await stepAction(app, run.id, 2, 'complete', cy).expect(200);
    const error = expectError(
      await stepAction(app, run.id, 2, 'reassign', ben, { to: ann.id, reason: 'late' }),
      409,
      'step-already-complete',
    );
    expect(error.completedBy).toEqual({ id: cy.id, name: 'Cy' });
  });

  test('refuses a reason that is missing or blank with 400', async () => {
    expectError(await stepAction(app, run.id, 1, 'reassign', ben, { to: cy.id }), 400, 'invalid-input', 'reason');
    expectError(await stepAction(app, run.id, 1, 'reassign', ben, { to: cy.id, reason: '   ' }), 400, 'invalid-input', 'reason');
    expectError(await stepAction(app, run.id, 1, 'reassign', ben, { to: String(cy.id), reason: 'x' }), 400, 'invalid-input', 'to');
    expect((await getRun(app, run.id)).steps[0]!.assignee).toEqual({ id: ann.id, name: 'Ann' });
  });

  test('refuses a member reassigning a step assigned to someone else with 403 and changes nothing', async () => {
    const saved = await state(run.id);
    expectError(await stepAction(app, run.id, 1, 'reassign', cy, { to: cy.id, reason: 'I will do it' }), 403, 'forbidden');
    expect(await state(run.id)).toEqual(saved);
  });

  test('lets a member hand on a step assigned to them, and then no longer reassign it', async () => {
    const res = await stepAction(app, run.id, 3, 'reassign', ann, { to: cy.id, reason: 'Cy knows the owner' });
    expect(res.status).toBe(200);
    expect(res.body.step.assignee).toEqual({ id: cy.id, name: 'Cy' });
    expect((await getRun(app, run.id)).events.at(-1)).toMatchObject({
      kind: 'step.reassigned',
      actor: { id: ann.id, name: 'Ann' },
      step: 3,
      data: { from: ann.id, to: cy.id },
    });
    expectError(await stepAction(app, run.id, 3, 'reassign', ann, { to: ann.id, reason: 'Back to me' }), 403, 'forbidden');
  });
});
