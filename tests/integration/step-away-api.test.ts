process.env.TZ = 'UTC';
import { dependenceFixture } from './dependence-fixture';
import { makePerson } from '../helpers/factories';

/**
 * GET /api/step-away on the hand-computed fixture (dependence-fixture.ts; now is Monday
 * 7 December 2026, 10:00 UTC), for an absence from Monday 14 to Sunday 20 December.
 *
 * Runs the schedules start in the range, or shortly before with steps due in it (the longest
 * Due: is +2d, so from 12 December): Weekly invoicing on 14 Dec 9:00, Month-end close on
 * 15 Dec 9:00. Nothing else.
 *
 * Olive away:
 *   Approve the invoices (14 Dec run, due 15 Dec): the Owner role, Olive's, and nobody else in
 *     it -> nobody, 15 min; fix: add a backup to Owner
 *   Review the numbers (15 Dec run, no due time): names Olive -> still Olive, 45 min
 *   every Bookkeeper step goes to Bea as usual (her absence is 8-9 Dec), Vic's to Vic: not hers
 *   no open step of Olive's is due in the range
 *   -> blocked; nobody 1 step, 15 min; person 1 step, 45 min; others none
 *
 * Bea away:
 *   Prepare the invoices (14 Dec, due 11:00) 30, Send the invoices (due 15 Dec) 20,
 *   Reconcile the bank (15 Dec run, due 17 Dec) 60, File the receipts (no estimate) 0:
 *   all Bookkeeper steps -> Olive, the backup: 4 steps, 110 min
 *   her open steps (Send the invoices of 20 Nov, due 21 Nov; File the receipts, no due time) are not due in the range
 *   -> clear; Olive takes 110 min against her usual 245 a month x 7 / 30 = 57.17 -> 57, so
 *      110 / 57 = 193% of usual
 */
const { t, olive, bea, vic, ownerRole } = dependenceFixture();
afterAll(() => {
  jest.useRealTimers();
  t.cleanup();
});
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const RANGE = 'from=2026-12-14&to=2026-12-20';

test("the owner's week away is blocked: the approval would wait on nobody, the review still on her", async () => {
  const res = await t.http().get(`/api/step-away?${RANGE}`).expect(200);
  expect(res.body.verdict).toBe('blocked');
  expect(res.body.subject).toEqual({ id: olive.id, name: olive.name });
  expect(res.body.nobody).toEqual([
    {
      kind: 'scheduled',
      runbook: { slug: 'weekly-invoicing', title: 'Weekly invoicing' },
      run: null,
      step: { position: 2, title: 'Approve the invoices' },
      startsAt: '2026-12-14T09:00:00.000Z',
      dueAt: '2026-12-15T09:00:00.000Z',
      estimateMinutes: 15,
      role: { id: ownerRole.id, name: 'Owner' },
      who: null,
      needsHandOff: false,
      fix: { label: 'Add a backup to Owner', href: `/roles/${ownerRole.id}` },
    },
  ]);
  expect(res.body.person).toEqual([
    expect.objectContaining({
      runbook: { slug: 'month-end', title: 'Month-end close' },
      step: { position: 2, title: 'Review the numbers' },
      startsAt: '2026-12-15T09:00:00.000Z',
      dueAt: null,
      estimateMinutes: 45,
      fix: { label: 'Give the step to a role', href: '/runbooks/month-end/edit' },
    }),
  ]);
  expect(res.body.others).toEqual([]);
  expect(res.body.totals).toEqual({
    nobody: { steps: 1, minutes: 15 },
    person: { steps: 1, minutes: 45 },
    others: { steps: 0, minutes: 0 },
    openToHandOff: 0,
  });
});

test("the bookkeeper's week away is clear: everything goes to Olive, 193% of her usual load", async () => {
  const res = await t.http().get(`/api/step-away?person=${bea.id}&${RANGE}`).expect(200);
  expect(res.body.verdict).toBe('clear');
  expect(res.body.nobody).toEqual([]);
  expect(res.body.person).toEqual([]);
  expect(
    res.body.others.map((i: { step: { title: string }; who: { name: string }; estimateMinutes: number | null; dueAt: string | null }) => [
      i.step.title,
      i.who.name,
      i.estimateMinutes,
      i.dueAt,
    ]),
  ).toEqual([
    ['Prepare the invoices', 'Olive Owner', 30, '2026-12-14T11:00:00.000Z'],
    // no due time: placed at its run's start, 15 Dec 9:00, as is Send the invoices' due time (runbook title decides)
    ['File the receipts', 'Olive Owner', null, null],
    ['Send the invoices', 'Olive Owner', 20, '2026-12-15T09:00:00.000Z'],
    ['Reconcile the bank', 'Olive Owner', 60, '2026-12-17T09:00:00.000Z'],
  ]);
  expect(res.body.byPerson).toEqual([
    { person: { id: olive.id, name: olive.name }, steps: 4, minutes: 110, usualMinutes: 57, extraPercent: 193 },
  ]);
});

test('an open step due in the range must be handed off before the absence, and the answer says to whom', async () => {
  // Bea's open "Send the invoices" of 20 November, moved to be due inside the range.
  t.db.prepare("UPDATE run_steps SET due_at = '2026-12-16T09:00:00.000Z' WHERE run_id = ? AND position = 3").run(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (t.db.prepare("SELECT id FROM runs WHERE title = 'Invoices 20 Nov'").get() as any).id,
  );
  const res = await t.http().get(`/api/step-away?person=${bea.id}&${RANGE}`).expect(200);
  const open = (
    res.body.others as { kind: string; run: { title: string }; who: { name: string }; needsHandOff: boolean; fix: { href: string } }[]
  ).filter((i) => i.kind === 'open');
  expect(open).toEqual([
    expect.objectContaining({
      run: expect.objectContaining({ title: 'Invoices 20 Nov' }),
      who: { id: olive.id, name: olive.name },
      needsHandOff: true,
      fix: { label: 'Hand it off', href: `/people/${bea.id}/handoff` },
    }),
  ]);
  expect(res.body.totals.openToHandOff).toBe(1);
  expect(res.body.verdict).toBe('clear');
});

describe('bad input names the field', () => {
  test.each([
    ['a malformed date', 'from=2026-02-30&to=2026-03-02', 400, 'from'],
    ['a date that is not a date', 'from=soon&to=2026-12-20', 400, 'from'],
    ['a missing end', 'from=2026-12-14', 400, 'to'],
    ['to before from', 'from=2026-12-20&to=2026-12-14', 422, 'to'],
    ['a range over 366 days', 'from=2026-12-14&to=2027-12-15', 422, 'to'],
    ['a range in the past', 'from=2026-11-01&to=2026-11-10', 422, 'to'],
    ['an unknown person', 'person=9999&from=2026-12-14&to=2026-12-20', 422, 'person'],
    ['a person that is not an id', 'person=bea&from=2026-12-14&to=2026-12-20', 400, 'person'],
  ])('refuses %s', async (_what, query, status, field) => {
    const res = await t.http().get(`/api/step-away?${query}`).expect(status);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
  });

  test('accepts exactly 366 days', async () => {
    await t.http().get('/api/step-away?from=2026-12-14&to=2027-12-14').expect(200);
  });
});

describe('whose simulation one may ask for', () => {
  test("a member may simulate their own absence, and gets 404 for anyone else's, existing or not", async () => {
    await t.asPerson(vic).get(`/api/step-away?${RANGE}`).expect(200);
    await t.asPerson(vic).get(`/api/step-away?person=${vic.id}&${RANGE}`).expect(200);
    const other = await t.asPerson(vic).get(`/api/step-away?person=${olive.id}&${RANGE}`).expect(404);
    expect(other.body.error.code).toBe('not-found');
    const missing = await t.asPerson(vic).get(`/api/step-away?person=9999&${RANGE}`).expect(404);
    expect(missing.body.error.message).toBe(other.body.error.message.replace(String(olive.id), '9999'));
  });

  test('an editor may simulate anyone', async () => {
    const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
    const res = await t.asPerson(eddie).get(`/api/step-away?person=${bea.id}&${RANGE}`).expect(200);
    expect(res.body.subject.name).toBe('Bea Books');
    t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(eddie.id);
  });

  test('an outsourcer may not (403 for themselves, 404 for anyone else)', async () => {
    const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
    await t.asPerson(otto).get(`/api/step-away?${RANGE}`).expect(403);
    await t.asPerson(otto).get(`/api/step-away?person=${olive.id}&${RANGE}`).expect(404);
    t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(otto.id);
  });
});
