import { testApp } from '../helpers/app';
import { runJsonBytes } from '../../server/runs/read';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';

const t = testApp();
afterAll(t.cleanup);
afterEach(() => expect(t.errors).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera' });
const sam = makePerson(t.db, { name: 'Sam' });
makeRole(t.db, 'Packer', [vera]);
makeRunbook(
  t.db,
  'ship',
  runbookMarkdown('Ship', [
    { title: 'Pack', owner: 'Packer', due: '+2h', checks: ['Box taped'] },
    { title: 'Post', owner: 'Packer', due: '+1d' },
  ]),
);

async function startedRun() {
  const run = await t.asPerson(vera).post('/api/runs').send({ runbook: 'ship', title: 'Order 7' }).expect(201);
  return run.body.id as number;
}

test('a read after each kind of change shows that change', async () => {
  const id = await startedRun();
  const first = await t.http().get(`/api/runs/${id}`).expect(200);
  expect(first.body.steps[0].checks[0].ticked).toBe(false);

  await t.asPerson(vera).post(`/api/runs/${id}/steps/1/checks/0/tick`).expect(200);
  expect((await t.http().get(`/api/runs/${id}`)).body.steps[0].checks[0].tickedBy).toEqual({ id: vera.id, name: 'Vera' });

  await t.asPerson(vera).post(`/api/runs/${id}/steps/1/reassign`).send({ to: sam.id, reason: 'Vera is out' }).expect(200);
  expect((await t.http().get(`/api/runs/${id}`)).body.steps[0].assignee).toEqual({ id: sam.id, name: 'Sam' });

  await t.asPerson(sam).post(`/api/runs/${id}/steps/1/complete`).expect(200);
  const after = await t.http().get(`/api/runs/${id}`);
  expect(after.body.steps[0].status).toBe('complete');
  expect(after.body.steps[0].completedBy).toEqual({ id: sam.id, name: 'Sam' });
  expect(after.body.events.map((e: { kind: string }) => e.kind)).toEqual([
    'run.started',
    'check.ticked',
    'step.reassigned',
    'step.completed',
  ]);
});

test('renaming a person shows the new name in runs already read', async () => {
  const id = await startedRun();
  expect((await t.http().get(`/api/runs/${id}`)).body.steps[1].assignee.name).toBe('Vera');
  await t.http().patch(`/api/people/${vera.id}`).send({ name: 'Vera Lynn' }).expect(200);
  expect((await t.http().get(`/api/runs/${id}`)).body.steps[1].assignee.name).toBe('Vera Lynn');
});

test('a copy read before a step falls due is not served after it', async () => {
  const id = await startedRun();
  const run = JSON.parse(String(runJsonBytes(t.db, id)));
  const due = new Date(run.steps[0].dueAt).getTime();
  const before = JSON.parse(String(runJsonBytes(t.db, id, null, new Date(due - 1000).toISOString())));
  const after = JSON.parse(String(runJsonBytes(t.db, id, null, new Date(due + 1000).toISOString())));
  expect(before.steps[0].overdue).toBe(false);
  expect(after.steps[0].overdue).toBe(true);
  expect(after.steps[1].overdue).toBe(false);
});
