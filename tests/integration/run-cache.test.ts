import { testApp } from '../helpers/app';
import { runJsonBytes } from '../../server/runs/read';
import { RUN_CACHE_BYTES, runCache } from '../../server/runs/cache';
import { ByteCache, ENTRY_OVERHEAD } from '../../server/db/byte-cache';
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

test('the run cache holds no more bytes than its budget, however many runs and viewers are read', async () => {
  const cache = runCache(t.db);
  for (let i = 0; i < 15; i++) {
    const id = await startedRun();
    await t.http().get(`/api/runs/${id}`).expect(200);
    await t.http().get(`/runs/${id}`).set('Accept', 'text/html').expect(200);
  }
  expect(cache.size).toBeGreaterThan(0);
  expect(cache.bytes).toBeLessThanOrEqual(RUN_CACHE_BYTES);
  // A smaller budget on a cache of its own: entries go, oldest first, and the budget holds.
  const tight = new ByteCache<Buffer>(10_000);
  for (let i = 0; i < 100; i++) tight.set(String(i), Buffer.alloc(900), 900 + ENTRY_OVERHEAD);
  expect(tight.bytes).toBeLessThanOrEqual(10_000);
}, 30_000);

test('a folded tick (an event changed in place) is seen by the next read', async () => {
  const id = await startedRun();
  await t.asPerson(vera).post(`/api/runs/${id}/steps/1/checks/0/tick`).expect(200);
  await t.http().get(`/api/runs/${id}`).expect(200);
  await t.asPerson(vera).post(`/api/runs/${id}/steps/1/checks/0/untick`).expect(200);
  const after = await t.http().get(`/api/runs/${id}`);
  expect(after.body.steps[0].checks[0].ticked).toBe(false);
  expect(after.body.events.at(-1)).toMatchObject({ kind: 'check.unticked', data: { changes: [{ ticked: true }, { ticked: false }] } });
});
