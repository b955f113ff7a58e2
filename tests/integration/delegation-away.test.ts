import { formatDay } from '../../server/views/helpers/format-date';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { expectError, getRun, putRunbook, startRun, stepAction, type TestApp } from './api';

let app: TestApp;
let vera: PersonRow, bo: PersonRow, cy: PersonRow, named: PersonRow;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const markAway = (who: PersonRow, from: string, to: string, as: PersonRow | { id: number } = app.owner) =>
  app.asPerson(as).post(`/api/people/${who.id}/away`).send({ from, to, note: 'Holiday' });
const assignees = async (runId: number) => (await getRun(app, runId)).steps.map((s) => s.assignee?.name ?? null);
const notificationCount = () => (app.db.prepare('SELECT count(*) AS n FROM notifications').get() as { n: number }).n;

beforeAll(async () => {
  app = testApp();
  vera = makePerson(app.db, { name: 'Vera' });
  bo = makePerson(app.db, { name: 'Bo' });
  cy = makePerson(app.db, { name: 'Cy' });
  named = makePerson(app.db, { name: 'Nora Named' });
  // Vera packs, Bo is her first backup and Cy the second.
  makeRole(app.db, 'Fulfillment VA', [vera, bo, cy]);
  await putRunbook(
    app,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack', owner: 'Fulfillment VA' },
      { title: 'Post', owner: 'Nora Named' },
    ]),
  ).expect(201);
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));

describe('marking someone away', () => {
  afterEach(() => app.db.prepare('DELETE FROM away_periods').run());

  it('sends new steps of their roles to the next backup, and back once the absence is removed', async () => {
    const res = await markAway(vera, day(0), day(6));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), from: day(0), to: day(6), note: 'Holiday', now: true });
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual(['Bo', 'Nora Named']);

    await markAway(bo, day(-2), day(2)).expect(201);
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual(['Cy', 'Nora Named']);

    await app.http().delete(`/api/people/${vera.id}/away/${res.body.id}`).expect(200);
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual(['Vera', 'Nora Named']);
  });

  it('leaves a step unassigned (a gap the owner sees) when everyone in the role is away', async () => {
    for (const who of [vera, bo, cy]) await markAway(who, day(0), day(1)).expect(201);
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual([null, 'Nora Named']);
  });

  it('still gives a step that names a person to that person (there is no backup to choose)', async () => {
    await markAway(named, day(0), day(3)).expect(201);
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual(['Vera', 'Nora Named']);
  });

  it('does not change who gets steps before the absence starts', async () => {
    await markAway(vera, day(2), day(9)).expect(201);
    expect(await assignees((await startRun(app, 'ship', app.owner)).id)).toEqual(['Vera', 'Nora Named']);
    const listed = await app.http().get(`/api/people/${vera.id}/away`).expect(200);
    expect(listed.body.away).toEqual([{ id: expect.any(Number), from: day(2), to: day(9), note: 'Holiday', now: false }]);
  });

  it("lets a member plan their own absence but not a colleague's", async () => {
    await markAway(bo, day(10), day(12), bo).expect(201);
    expectError(await markAway(cy, day(10), day(12), bo), 403, 'forbidden');
  });

  it('records the absence in the audit log', async () => {
    await markAway(cy, day(20), day(21)).expect(201);
    const entry = app.db.prepare("SELECT * FROM audit_log WHERE action = 'away.planned' AND subject_id = ?").get(cy.id);
    expect(entry).toBeDefined();
  });
});

describe('refusing a bad absence, changing nothing', () => {
  afterEach(() => app.db.prepare('DELETE FROM away_periods').run());
  const count = () => (app.db.prepare('SELECT count(*) AS n FROM away_periods').get() as { n: number }).n;

  it.each([
    ['a date in another format', { from: '22/11/2026', to: day(3) }, 'from'],
    ['a day that is not in the calendar', { from: '2026-02-30', to: '2026-03-02' }, 'from'],
    ['no end', { from: day(1) }, 'to'],
    ['a number', { from: 20261122, to: day(3) }, 'from'],
    ['a note of 501 characters', { from: day(1), to: day(3), note: 'x'.repeat(501) }, 'note'],
  ])('%s: 400 naming the field', async (_name, body, field) => {
    expectError(await app.http().post(`/api/people/${vera.id}/away`).send(body), 400, 'invalid-input', field);
    expect(count()).toBe(0);
  });

  it('an end before the start, or in the past: 422 naming "to"', async () => {
    expectError(await markAway(vera, day(5), day(3)), 422, 'bad-period', 'to');
    expectError(await markAway(vera, day(-9), day(-2)), 422, 'bad-period', 'to');
    expect(count()).toBe(0);
  });

  it('an absence overlapping another: 409 naming the one it overlaps', async () => {
    await markAway(vera, day(3), day(8)).expect(201);
    const error = expectError(await markAway(vera, day(7), day(12)), 409, 'away-overlap');
    expect(error.message).toContain(`from ${formatDay(day(3))} to ${formatDay(day(8))}`);
    expect(count()).toBe(1);
  });

  it('an unknown person or absence: 404', async () => {
    expectError(
      await app
        .http()
        .post('/api/people/99999/away')
        .send({ from: day(1), to: day(2) }),
      404,
      'not-found',
    );
    expectError(await app.http().delete(`/api/people/${vera.id}/away/99999`), 404, 'not-found');
  });
});

describe('handing a step to someone who is away', () => {
  it('is refused with the date they are back, and nothing changes', async () => {
    const run = await startRun(app, 'ship', app.owner);
    await markAway(bo, day(0), day(4)).expect(201);
    const before = await getRun(app, run.id);
    const messages = notificationCount();
    const error = expectError(
      await stepAction(app, run.id, 1, 'reassign', app.owner, { to: bo.id, reason: 'cover' }),
      422,
      'person-away',
      'to',
    );
    expect(error.message).toBe(`to: Bo is away until ${formatDay(day(4))}; choose someone who is here`);
    const after = await getRun(app, run.id);
    expect({ steps: after.steps, events: after.events }).toEqual({ steps: before.steps, events: before.events });
    expect(notificationCount()).toBe(messages);
  });
});
