import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { getRun, putRunbook, startRun, stepAction, type TestApp } from './api';

/**
 * Issue 13 item 6: a run that completes closes its open optional steps as "not done" (a state
 * of their own, shown on the run), and tells each of their assignees by email (the outbox).
 */
let app: TestApp;
afterEach(() => app.cleanup());

function world() {
  app = testApp();
  const ann = makePerson(app.db, { name: 'Ann Packer', email: 'ann@example.com' });
  const vera = makePerson(app.db, { name: 'Vera VA', email: 'vera@example.com', kind: 'outsourcer' });
  makeRole(app.db, 'Packer', [ann]);
  makeRole(app.db, 'Assistant', [vera]);
  return { ann, vera };
}

const runbook = runbookMarkdown('Ship an order', [
  { title: 'Pack the box', owner: 'Packer' },
  { title: 'Post a photo of the parcel', owner: 'Assistant', optional: true },
  { title: 'Thank the customer', owner: 'Packer', optional: true },
]);

const outbox = (personId: number) =>
  app.db.prepare('SELECT subject, body, link_path, run_id FROM notifications WHERE person_id = ? ORDER BY id').all(personId) as {
    subject: string;
    body: string;
    link_path: string;
    run_id: number;
  }[];

test('completing the last required step closes open optional steps as not done, in the run JSON and its activity', async () => {
  const { ann } = world();
  await putRunbook(app, 'ship', runbook).expect(201);
  const run = await startRun(app, 'ship', ann, 'Order #7');
  const done = await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  expect(done.body.run.status).toBe('complete');
  const after = await getRun(app, run.id);
  expect(after.steps.map((s) => s.status)).toEqual(['complete', 'not-done', 'not-done']);
  expect(after.steps[1]).toMatchObject({ completedBy: null, completedAt: after.completedAt });
  expect(after.events.filter((e) => e.kind === 'step.not-done').map((e) => e.step)).toEqual([2, 3]);
});

test("tells the optional step's assignee by email, but not whoever finished the run", async () => {
  const { ann, vera } = world();
  await putRunbook(app, 'ship', runbook).expect(201);
  const run = await startRun(app, 'ship', app.owner, 'Order #8');
  app.db.prepare('DELETE FROM notifications').run();
  await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  const [message, ...more] = outbox(vera.id);
  expect(more).toEqual([]);
  expect(message?.subject).toBe('Order #8 is finished: "Post a photo of the parcel" was not done');
  expect(message?.body).toContain('Ann Packer finished "Order #8"');
  expect(message?.body).toContain('closed as not done');
  expect(message).toMatchObject({ link_path: `/runs/${run.id}#step-2`, run_id: run.id });
  // Ann finished the run herself: her own optional step is closed without an email to her.
  expect(outbox(ann.id)).toEqual([]);
});

test('the run page shows the state "Not done" and offers no action on it', async () => {
  const { ann } = world();
  await putRunbook(app, 'ship', runbook).expect(201);
  const run = await startRun(app, 'ship', ann, 'Order #9');
  await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  const page = await app.http().get(`/runs/${run.id}`).expect(200);
  expect(page.text).toContain('step--not-done');
  expect(page.text).toContain('Not done: the run was finished on');
  expect(page.text).toContain('closed “Post a photo of the parcel” as not done when finishing the run');
  expect(page.text).not.toContain(`/runs/${run.id}/steps/2/skip`);
});

test('a step skipped by a person stays "skipped", and an optional step done before the end stays done', async () => {
  const { ann, vera } = world();
  await putRunbook(app, 'ship', runbook).expect(201);
  const run = await startRun(app, 'ship', ann, 'Order #10');
  await stepAction(app, run.id, 2, 'complete', vera).expect(200);
  await stepAction(app, run.id, 3, 'skip', ann, { note: 'Regular customer' }).expect(200);
  await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  const after = await getRun(app, run.id);
  expect(after.steps.map((s) => s.status)).toEqual(['complete', 'complete', 'skipped']);
  expect(outbox(vera.id).filter((m) => m.subject.includes('not done'))).toEqual([]);
});

test('a run of optional steps only still closes when nothing is open, with nothing marked not done', async () => {
  const { ann } = world();
  await putRunbook(
    app,
    'tidy',
    runbookMarkdown('Tidy up', [
      { title: 'Dust', owner: 'Packer', optional: true },
      { title: 'Sweep', owner: 'Packer', optional: true },
    ]),
  ).expect(201);
  const run = await startRun(app, 'tidy', ann, 'Friday tidy');
  await stepAction(app, run.id, 1, 'complete', ann).expect(200);
  expect((await getRun(app, run.id)).status).toBe('open');
  await stepAction(app, run.id, 2, 'skip', ann).expect(200);
  const after = await getRun(app, run.id);
  expect(after.status).toBe('complete');
  expect(after.steps.map((s) => s.status)).toEqual(['complete', 'skipped']);
});
