import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { checkAction, expectError, startRun, stepAction, type RunJson, type TestApp } from './api';

let app: TestApp;
let pia: PersonRow, quin: PersonRow;
let orders: RunJson, returns: RunJson;

// A fresh world for each test: Pia packs, Quin drives, and one run of each runbook is open.
beforeEach(async () => {
  app = testApp();
  pia = makePerson(app.db, { name: 'Pia' });
  quin = makePerson(app.db, { name: 'Quin' });
  makeRole(app.db, 'Packer', [pia]);
  makeRole(app.db, 'Driver', [quin]);
  makeRunbook(
    app.db,
    'orders',
    runbookMarkdown('Ship orders', [
      { title: 'Pack tomorrow', owner: 'Packer', due: '+1d', estimate: '15m', body: '- [ ] Box\n- [ ] Label' },
      { title: 'Pack soon', owner: 'Packer', due: '+30m' },
      { title: 'Pack some time', owner: 'Packer' },
      { title: 'Drive', owner: 'Driver', due: '+10m' },
    ]),
  );
  makeRunbook(
    app.db,
    'returns',
    runbookMarkdown('Handle a return', [
      { title: 'Unpack the return', owner: 'Packer', due: '+1h', optional: true },
      { title: 'Refund', owner: 'Driver', due: '+5m' },
    ]),
  );
  orders = await startRun(app, 'orders', quin, 'Order #7');
  returns = await startRun(app, 'returns', quin, 'Return #3');
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const assignments = async (personId: number) => {
  const res = await app.http().get(`/api/people/${personId}/assignments`);
  expect(res.status).toBe(200);
  return res.body as {
    person: { id: number; name: string };
    assignments: {
      run: { id: number; title: string; runbook: string };
      position: number;
      title: string;
      dueAt: string | null;
      [k: string]: unknown;
    }[];
  };
};
const titles = async (personId: number) => (await assignments(personId)).assignments.map((a) => a.title);

describe('GET /api/people/:id/assignments', () => {
  test("lists a person's open steps across open runs, earliest due first, undated last", async () => {
    const body = await assignments(pia.id);
    expect(body.person).toEqual({ id: pia.id, name: 'Pia' });
    expect(body.assignments.map((a) => [a.run.title, a.title])).toEqual([
      ['Order #7', 'Pack soon'],
      ['Return #3', 'Unpack the return'],
      ['Order #7', 'Pack tomorrow'],
      ['Order #7', 'Pack some time'],
    ]);
    const dues = body.assignments.map((a) => a.dueAt);
    expect(dues[3]).toBeNull();
    expect([...dues.slice(0, 3)].sort()).toEqual(dues.slice(0, 3));
  });

  test('describes each assignment with its run, role, due time, estimate and check progress', async () => {
    const body = await assignments(pia.id);
    expect(body.assignments[2]).toEqual({
      run: { id: orders.id, title: 'Order #7', runbook: 'orders' },
      position: 1,
      title: 'Pack tomorrow',
      role: 'Packer',
      dueAt: orders.steps[0]!.dueAt,
      overdue: false,
      estimateMinutes: 15,
      optional: false,
      checks: { total: 2, ticked: 0 },
      dueWhileAway: false,
      waiting: null,
    });
    expect(body.assignments[1]).toMatchObject({ run: { id: returns.id }, optional: true, checks: { total: 0, ticked: 0 } });
  });

  test("shows only the person's own steps", async () => {
    expect(await titles(quin.id)).toEqual(['Refund', 'Drive']);
  });

  test('counts ticked checks and drops a step once it is completed or skipped', async () => {
    await checkAction(app, orders.id, 1, 0, 'tick', pia).expect(200);
    expect((await assignments(pia.id)).assignments[2]!.checks).toEqual({ total: 2, ticked: 1 });
    await stepAction(app, orders.id, 2, 'complete', pia).expect(200);
    await stepAction(app, returns.id, 1, 'skip', pia).expect(200);
    expect(await titles(pia.id)).toEqual(['Pack tomorrow', 'Pack some time']);
  });

  test("moves a reassigned step to the new person's list, in due order", async () => {
    await stepAction(app, orders.id, 1, 'reassign', pia, { to: quin.id, reason: 'Pia is out' }).expect(200);
    expect(await titles(pia.id)).toEqual(['Pack soon', 'Unpack the return', 'Pack some time']);
    expect(await titles(quin.id)).toEqual(['Refund', 'Drive', 'Pack tomorrow']);
  });

  test('drops every step of a run once the run is complete, optional ones included', async () => {
    await stepAction(app, returns.id, 2, 'complete', quin).expect(200);
    expect(await titles(quin.id)).toEqual(['Drive']);
    expect(await titles(pia.id)).toEqual(['Pack soon', 'Pack tomorrow', 'Pack some time']);
  });

  test('marks a step whose due time has passed as overdue', async () => {
    app.db.prepare('UPDATE run_steps SET due_at = ? WHERE run_id = ? AND position = 4').run('2000-01-01T00:00:00.000Z', orders.id);
    const body = await assignments(quin.id);
    expect(body.assignments.map((a) => [a.title, a.overdue])).toEqual([
      ['Drive', true],
      ['Refund', false],
    ]);
  });

  test('answers an empty list for someone with nothing assigned', async () => {
    const idle = makePerson(app.db, { name: 'Idle' });
    expect(await assignments(idle.id)).toEqual({ person: { id: idle.id, name: 'Idle' }, assignments: [], next: null });
  });

  test('answers 404 for an unknown or non-numeric person', async () => {
    expectError(await app.http().get('/api/people/99999/assignments'), 404, 'not-found');
    expectError(await app.http().get('/api/people/abc/assignments'), 404, 'not-found');
  });
});

describe('GET /api/gaps', () => {
  let open: RunJson;
  let eda: PersonRow;

  beforeEach(async () => {
    eda = makePerson(app.db, { name: 'Eda', level: 'editor' });
    makeRole(app.db, 'Courier');
    makeRunbook(
      app.db,
      'dispatch',
      runbookMarkdown('Dispatch', [
        { title: 'Book the courier', owner: 'Courier' },
        { title: 'Nobody owns this' },
        { title: 'Load the van', owner: 'Loader' },
      ]),
    );
    makeRunbook(app.db, 'shelved', runbookMarkdown('Shelved', [{ title: 'Old step' }, { title: 'Old courier', owner: 'Courier' }]));
    app.db.prepare("UPDATE runbooks SET archived_at = '2026-01-01T00:00:00.000Z' WHERE slug = 'shelved'").run();
    open = await startRun(app, 'dispatch', pia, 'Dispatch Monday');
  });

  test('lists empty roles with the current steps naming them and the open steps waiting, leaving archived runbooks out', async () => {
    const res = await app.http().get('/api/gaps');
    expect(res.status).toBe(200);
    expect(res.body.emptyRoles).toEqual([
      {
        id: expect.any(Number),
        name: 'Courier',
        steps: [{ runbook: 'dispatch', runbookTitle: 'Dispatch', position: 1, title: 'Book the courier' }],
        moreSteps: false,
        waiting: 1,
      },
      {
        id: expect.any(Number),
        name: 'Loader',
        steps: [{ runbook: 'dispatch', runbookTitle: 'Dispatch', position: 3, title: 'Load the van' }],
        moreSteps: false,
        waiting: 1,
      },
    ]);
    expect(res.body.counts).toEqual({ emptyRoles: 2, unownedSteps: 1, unassignedRunSteps: 3 });
    expect(res.body.next).toEqual({ emptyRoles: null, unownedSteps: null, unassignedRunSteps: null });
  });

  test('lists current steps with no owner at all', async () => {
    const res = await app.http().get('/api/gaps');
    expect(res.body.unownedSteps).toEqual([{ runbook: 'dispatch', runbookTitle: 'Dispatch', position: 2, title: 'Nobody owns this' }]);
  });

  test('lists open run steps nobody is assigned to', async () => {
    const res = await app.http().get('/api/gaps');
    expect(res.body.unassignedRunSteps).toEqual([
      { run: open.id, runTitle: 'Dispatch Monday', position: 1, title: 'Book the courier', owner: 'Courier', dueAt: null },
      { run: open.id, runTitle: 'Dispatch Monday', position: 2, title: 'Nobody owns this', owner: null, dueAt: null },
      { run: open.id, runTitle: 'Dispatch Monday', position: 3, title: 'Load the van', owner: 'Loader', dueAt: null },
    ]);
  });

  test('drops a role once someone active fills it, and a run step once it is reassigned', async () => {
    const courier = (await app.http().get('/api/roles')).body.roles.find((r: { name: string }) => r.name === 'Courier');
    await app.http().post(`/api/roles/${courier.id}/members`).send({ person: quin.id }).expect(201);
    // A step nobody has is no member's own: only an editor (or the owner) may hand it out.
    expectError(await stepAction(app, open.id, 1, 'reassign', pia, { to: quin.id, reason: 'Courier filled' }), 403, 'forbidden');
    await stepAction(app, open.id, 1, 'reassign', eda, { to: quin.id, reason: 'Courier filled' }).expect(200);
    const res = await app.http().get('/api/gaps');
    expect(res.body.emptyRoles.map((r: { name: string }) => r.name)).toEqual(['Loader']);
    expect(res.body.unassignedRunSteps.map((s: { position: number }) => s.position)).toEqual([2, 3]);
  });

  test('counts a step assigned to someone since made inactive as unassigned, and their role as empty', async () => {
    await app.http().patch(`/api/people/${quin.id}`).send({ active: false }).expect(200);
    const res = await app.http().get('/api/gaps');
    expect(res.body.emptyRoles.map((r: { name: string }) => r.name)).toEqual(['Courier', 'Driver', 'Loader']);
    expect(res.body.unassignedRunSteps.map((s: { run: number; position: number }) => [s.run, s.position])).toEqual([
      [returns.id, 2],
      [orders.id, 4],
      [open.id, 1],
      [open.id, 2],
      [open.id, 3],
    ]);
  });
});
