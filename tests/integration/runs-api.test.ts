import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { checkAction, expectError, getRun, putRunbook, startRun, stepAction, type RunJson, type TestApp } from './api';

let app: TestApp;
let ann: PersonRow, ben: PersonRow, vera: PersonRow;
let run: RunJson;

const shipping = runbookMarkdown('Ship an order', [
  { title: 'Confirm payment', owner: 'Bookkeeper', estimate: '5m', due: '+2h', body: '- [ ] Payment captured\n- [ ] Address complete' },
  { title: 'Pack the box', owner: 'Vera VA', estimate: '20m', due: '+1d', body: 'Binder on top.' },
  { title: 'Hand to the courier', owner: 'Courier', due: 'same day' },
  { title: 'Send the tracking email', optional: true },
]);

/**
 * Each group of tests has an app of its own (`world`): the people, roles and runbook below and
 * one run, Order #1042, started by Ben. No test relies on what another did before it.
 */
async function world() {
  app = testApp();
  // Ann, a member, works her own steps; Ben, an editor, works any step (and steps nobody has);
  // Vera, an outsourcer, works only the step named for her.
  ann = makePerson(app.db, { name: 'Ann' });
  ben = makePerson(app.db, { name: 'Ben', level: 'editor' });
  vera = makePerson(app.db, { name: 'Vera VA', kind: 'outsourcer' });
  makeRole(app.db, 'Bookkeeper', [ann, ben]);
  makeRole(app.db, 'Courier');
  await putRunbook(app, 'ship', shipping).expect(201);
  run = await startRun(app, 'ship', ben, 'Order #1042');
}
afterEach(() => expect(app.errors).toEqual([]));

/** What happens to Order #1042 in the story of the step actions, in order. */
async function workTheRun() {
  await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
  await checkAction(app, run.id, 1, 0, 'untick', ben).expect(200);
  await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
  await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
  await stepAction(app, run.id, 1, 'complete', ann, { note: '  Paid by card  ' }).expect(200);
  await stepAction(app, run.id, 1, 'reopen', ben, { note: 'Card declined' }).expect(200);
  await stepAction(app, run.id, 4, 'skip', ben, { note: 'Customer collects' }).expect(200);
  await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  await stepAction(app, run.id, 2, 'complete', vera).expect(200);
  await stepAction(app, run.id, 3, 'complete', ben).expect(200);
}

const at = (iso: string | null) => new Date(iso as string).getTime();

describe('POST /api/runs', () => {
  beforeAll(world);
  afterAll(() => app.cleanup());

  test("answers 201 with the run, open, on the runbook's current version", () => {
    expect(run).toMatchObject({
      id: expect.any(Number),
      title: 'Order #1042',
      status: 'open',
      runbook: { slug: 'ship', title: 'Ship an order', version: 1 },
      startedBy: { id: ben.id, name: 'Ben' },
      completedAt: null,
      progress: { steps: 4, done: 0, required: 3, requiredDone: 0 },
    });
    expect(run.steps.map((s) => [s.position, s.title, s.status])).toEqual([
      [1, 'Confirm payment', 'open'],
      [2, 'Pack the box', 'open'],
      [3, 'Hand to the courier', 'open'],
      [4, 'Send the tracking email', 'open'],
    ]);
  });

  test("assigns each step to its role's primary, the named person, or nobody when the role is empty", () => {
    expect(run.steps.map((s) => [s.owner, s.role?.name ?? null, s.assignee])).toEqual([
      ['Bookkeeper', 'Bookkeeper', { id: ann.id, name: 'Ann' }],
      ['Vera VA', null, { id: vera.id, name: 'Vera VA' }],
      ['Courier', 'Courier', null],
      [null, null, null],
    ]);
  });

  test('sets due times from Due: counted from the start, and none where the step has no Due:', () => {
    const start = at(run.startedAt);
    expect(at(run.steps[0]!.dueAt) - start).toBe(2 * 3600_000);
    expect(at(run.steps[1]!.dueAt) - start).toBe(24 * 3600_000);
    const endOfDay = new Date(run.startedAt);
    endOfDay.setHours(23, 59, 59, 999);
    expect(at(run.steps[2]!.dueAt)).toBe(endOfDay.getTime());
    expect(run.steps[3]!.dueAt).toBeNull();
    expect(run.steps.map((s) => s.overdue)).toEqual([false, false, false, false]);
  });

  test('starts every check open, with its text and HTML', () => {
    expect(run.steps[0]!.checks).toEqual([
      { index: 0, text: 'Payment captured', html: 'Payment captured', ticked: false, tickedBy: null, tickedAt: null },
      { index: 1, text: 'Address complete', html: 'Address complete', ticked: false, tickedBy: null, tickedAt: null },
    ]);
    expect(run.steps[1]!.checks).toEqual([]);
    expect(run.steps[1]).toMatchObject({
      body: 'Binder on top.',
      bodyHtml: '<p>Binder on top.</p>\n',
      estimateMinutes: 20,
      optional: false,
    });
    expect(run.steps[3]!.optional).toBe(true);
  });

  test("records the start as the run's first event, naming who and which version", () => {
    expect(run.events).toEqual([
      {
        id: expect.any(Number),
        kind: 'run.started',
        at: run.startedAt,
        actor: { id: ben.id, name: 'Ben' },
        step: null,
        data: { version: 1 },
      },
    ]);
  });

  test('GET /api/runs/:id answers the same run', async () => {
    expect(await getRun(app, run.id)).toEqual(run);
  });
});

describe('step actions', () => {
  beforeAll(world);
  afterAll(() => app.cleanup());

  // A fresh Order #1042 for each test.
  beforeEach(async () => {
    run = await startRun(app, 'ship', ben, 'Order #1042');
  });

  test("ticking a check answers the step and the run's progress, naming who ticked it", async () => {
    const res = await checkAction(app, run.id, 1, 0, 'tick', ann);
    expect(res.status).toBe(200);
    expect(res.body.run).toEqual({
      id: run.id,
      status: 'open',
      completedAt: null,
      progress: { steps: 4, done: 0, required: 3, requiredDone: 0 },
    });
    expect(res.body.step.position).toBe(1);
    expect(res.body.step.checks[0]).toMatchObject({
      index: 0,
      ticked: true,
      tickedBy: { id: ann.id, name: 'Ann' },
      tickedAt: expect.any(String),
    });
    expect(res.body.step.checks[1]).toMatchObject({ index: 1, ticked: false, tickedBy: null });
  });

  test('unticking a check opens it again', async () => {
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    const res = await checkAction(app, run.id, 1, 0, 'untick', ben);
    expect(res.status).toBe(200);
    expect(res.body.step.checks[0]).toMatchObject({ ticked: false, tickedBy: null, tickedAt: null });
  });

  test('completing a step whose checks are all ticked records who, when and the note', async () => {
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    const res = await stepAction(app, run.id, 1, 'complete', ann, { note: '  Paid by card  ' });
    expect(res.status).toBe(200);
    expect(res.body.step).toMatchObject({
      status: 'complete',
      completedBy: { id: ann.id, name: 'Ann' },
      completedAt: expect.any(String),
      note: 'Paid by card',
    });
    expect(res.body.run.progress).toEqual({ steps: 4, done: 1, required: 3, requiredDone: 1 });
  });

  test('reopening a completed step clears who completed it', async () => {
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    await stepAction(app, run.id, 1, 'complete', ann).expect(200);
    const res = await stepAction(app, run.id, 1, 'reopen', ben, { note: 'Card declined' });
    expect(res.status).toBe(200);
    expect(res.body.step).toMatchObject({ status: 'open', completedBy: null, completedAt: null, note: null });
    expect(res.body.run.progress.done).toBe(0);
  });

  test('skipping an optional step marks it skipped without closing the run', async () => {
    const res = await stepAction(app, run.id, 4, 'skip', ben, { note: 'Customer collects' });
    expect(res.status).toBe(200);
    expect(res.body.step).toMatchObject({ status: 'skipped', completedBy: { id: ben.id, name: 'Ben' }, note: 'Customer collects' });
    expect(res.body.run).toMatchObject({ status: 'open', progress: { done: 1, requiredDone: 0 } });
  });

  test('refuses a member a step assigned to someone else or to nobody with 403, and an outsourcer any step not theirs with 404', async () => {
    await stepAction(app, run.id, 4, 'skip', ben).expect(200);
    const saved = await getRun(app, run.id);
    expectError(await stepAction(app, run.id, 2, 'complete', ann), 403, 'forbidden');
    expectError(await stepAction(app, run.id, 3, 'complete', ann), 403, 'forbidden');
    expectError(await stepAction(app, run.id, 4, 'reopen', ann), 403, 'forbidden');
    expectError(await checkAction(app, run.id, 1, 0, 'tick', vera), 404, 'not-found');
    expectError(await stepAction(app, run.id, 3, 'complete', vera), 404, 'not-found');
    expect(await getRun(app, run.id)).toEqual(saved);
  });

  test('completing the last required step completes the run', async () => {
    await stepAction(app, run.id, 4, 'skip', ben).expect(200);
    await checkAction(app, run.id, 1, 0, 'tick', ann).expect(200);
    await checkAction(app, run.id, 1, 1, 'tick', ann).expect(200);
    await stepAction(app, run.id, 1, 'complete', ann).expect(200);
    await stepAction(app, run.id, 2, 'complete', vera).expect(200);
    const last = await stepAction(app, run.id, 3, 'complete', ben);
    expect(last.status).toBe(200);
    expect(last.body.run).toEqual({
      id: run.id,
      status: 'complete',
      completedAt: last.body.step.completedAt,
      progress: { steps: 4, done: 4, required: 3, requiredDone: 3 },
    });
  });

  test('lists every change as an event, in order, with actor, step and data', async () => {
    await workTheRun();
    const done = await getRun(app, run.id);
    expect(done.status).toBe('complete');
    expect(done.events.map((e) => [e.kind, e.actor?.name ?? null, e.step, e.data])).toEqual([
      ['run.started', 'Ben', null, { version: 1 }],
      ['check.ticked', 'Ann', 1, { index: 0, text: 'Payment captured' }],
      ['check.unticked', 'Ben', 1, { index: 0, text: 'Payment captured' }],
      ['check.ticked', 'Ann', 1, { index: 0, text: 'Payment captured' }],
      ['check.ticked', 'Ann', 1, { index: 1, text: 'Address complete' }],
      ['step.completed', 'Ann', 1, { note: 'Paid by card' }],
      ['step.reopened', 'Ben', 1, { was: 'complete', by: ann.id, at: expect.any(String), note: 'Card declined' }],
      ['step.skipped', 'Ben', 4, { note: 'Customer collects' }],
      ['step.completed', 'Ann', 1, {}],
      ['step.completed', 'Vera VA', 2, {}],
      ['step.completed', 'Ben', 3, {}],
      ['run.completed', 'Ben', null, {}],
    ]);
    const ids = done.events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(done.completedAt).toBe(done.events[11]!.at);
  });
});

describe('runs of a runbook that changes later', () => {
  afterAll(() => app.cleanup());

  let before: RunJson;

  beforeAll(async () => {
    await world();
    before = await startRun(app, 'ship', ann, 'Order #1043');
    const edited = runbookMarkdown('Ship an order, v2', [
      { title: 'Take payment', owner: 'Bookkeeper', body: '- [ ] Receipt sent' },
      { title: 'Courier pickup', owner: 'Courier' },
    ]);
    await putRunbook(app, 'ship', edited).expect(200);
  });

  test('keeps the steps, titles, bodies and checks of the version the run started from', async () => {
    const after = await getRun(app, before.id);
    // The introduction too: its warnings are those of the version the work follows.
    expect(after.runbook).toEqual({
      slug: 'ship',
      title: 'Ship an order',
      version: 1,
      intro: 'Intro for Ship an order.',
      introHtml: '<p>Intro for Ship an order.</p>\n',
    });
    const text = (steps: RunJson['steps']) => steps.map((s) => ({ title: s.title, body: s.body, checks: s.checks.map((c) => c.text) }));
    expect(text(after.steps)).toEqual(text(before.steps));
    expect(after.steps.map((s) => s.title)).toEqual(['Confirm payment', 'Pack the box', 'Hand to the courier', 'Send the tracking email']);
  });

  test('still takes actions on the old steps', async () => {
    const res = await checkAction(app, before.id, 1, 1, 'tick', ann);
    expect(res.status).toBe(200);
    expect(res.body.step.checks[1]).toMatchObject({ text: 'Address complete', ticked: true });
    await stepAction(app, before.id, 2, 'complete', vera).expect(200);
  });

  test('starts new runs from the new version', async () => {
    const next = await startRun(app, 'ship', ann, 'Order #1044');
    expect(next.runbook).toEqual({
      slug: 'ship',
      title: 'Ship an order, v2',
      version: 2,
      intro: 'Intro for Ship an order, v2.',
      introHtml: '<p>Intro for Ship an order, v2.</p>\n',
    });
    expect(next.steps.map((s) => s.title)).toEqual(['Take payment', 'Courier pickup']);
    expect(next.steps[0]!.checks.map((c) => c.text)).toEqual(['Receipt sent']);
  });
});

describe('GET /api/runs', () => {
  afterAll(() => app.cleanup());

  let other: RunJson;

  // Order #1042 complete, #1043 (of version 1) with one step done, #1044 of version 2, and
  // March invoices, started in that order.
  beforeAll(async () => {
    await world();
    await workTheRun();
    const order1043 = await startRun(app, 'ship', ann, 'Order #1043');
    await stepAction(app, order1043.id, 2, 'complete', vera).expect(200);
    const edited = runbookMarkdown('Ship an order, v2', [
      { title: 'Take payment', owner: 'Bookkeeper', body: '- [ ] Receipt sent' },
      { title: 'Courier pickup', owner: 'Courier' },
    ]);
    await putRunbook(app, 'ship', edited).expect(200);
    await startRun(app, 'ship', ann, 'Order #1044');
    await putRunbook(app, 'invoices', runbookMarkdown('Send invoices', [{ title: 'Export hours', owner: 'Ben' }])).expect(201);
    other = await startRun(app, 'invoices', ben, 'March invoices');
  });

  const titles = async (query: string) => {
    const res = await app.http().get(`/api/runs${query}`);
    expect(res.status).toBe(200);
    return res.body.runs.map((r: { title: string }) => r.title);
  };

  const firstOpenDue = (id: number) => {
    const row = app.db.prepare("SELECT min(due_at) AS at FROM run_steps WHERE run_id = ? AND status = 'open'").get(id) as { at: string };
    return row.at;
  };

  test('lists runs newest first with their progress and next due time', async () => {
    const res = await app.http().get('/api/runs');
    expect(res.body.runs.map((r: { title: string }) => r.title)).toEqual(['March invoices', 'Order #1044', 'Order #1043', 'Order #1042']);
    expect(res.body.runs[0]).toEqual({
      id: other.id,
      title: 'March invoices',
      status: 'open',
      runbook: { slug: 'invoices', title: 'Send invoices' },
      startedAt: other.startedAt,
      completedAt: null,
      progress: { steps: 1, done: 0 },
      nextDueAt: null,
      overdue: false,
    });
    const first = res.body.runs[3];
    expect(first).toMatchObject({ status: 'complete', progress: { steps: 4, done: 4 }, nextDueAt: null });
    const second = res.body.runs[2];
    expect(second.progress).toEqual({ steps: 4, done: 1 });
    expect(second.nextDueAt).toBe(firstOpenDue(second.id));
  });

  test('filters by status', async () => {
    expect(await titles('?status=complete')).toEqual(['Order #1042']);
    expect(await titles('?status=open')).toEqual(['March invoices', 'Order #1044', 'Order #1043']);
  });

  test('filters by runbook slug', async () => {
    expect(await titles('?runbook=invoices')).toEqual(['March invoices']);
    expect(await titles('?runbook=ship&status=open')).toEqual(['Order #1044', 'Order #1043']);
    expect(await titles('?runbook=nothing')).toEqual([]);
  });

  test('filters by assignee of any step', async () => {
    expect(await titles(`?assignee=${vera.id}`)).toEqual(['Order #1043', 'Order #1042']);
    expect(await titles(`?assignee=${ben.id}`)).toEqual(['March invoices']);
    expect(await titles('?assignee=99999')).toEqual([]);
  });
});

describe('names in a run', () => {
  afterAll(() => app.cleanup());

  beforeAll(async () => {
    await world();
  });

  test("shows a person's new name in a run that was read before the rename", async () => {
    await stepAction(app, run.id, 2, 'complete', vera).expect(200);
    const before = await getRun(app, run.id);
    expect(before.steps[1]!.assignee).toEqual({ id: vera.id, name: 'Vera VA' });
    await app.http().patch(`/api/people/${vera.id}`).send({ name: 'Vera Virtual' }).expect(200);
    const after = await getRun(app, run.id);
    expect(after.steps[1]!.assignee).toEqual({ id: vera.id, name: 'Vera Virtual' });
    expect(after.steps[1]!.completedBy).toEqual({ id: vera.id, name: 'Vera Virtual' });
    expect(after.events.find((e) => e.step === 2)!.actor).toEqual({ id: vera.id, name: 'Vera Virtual' });
  });
});
