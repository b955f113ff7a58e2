process.env.TZ = 'UTC';
import { dependenceFixture } from './dependence-fixture';

/**
 * GET /api/dependence on the hand-computed fixture (see dependence-fixture.ts: now is Monday
 * 7 December 2026, 10:00 UTC).
 *
 * Runs a month (the next 30 days: 7 Dec 10:00 to 6 Jan 10:00)
 *   Weekly invoicing, Mondays 9:00: 14, 21, 28 Dec and 4 Jan = 4 (7 Dec 9:00 is already past)
 *   Month-end close, the 15th at 9:00: 15 Dec = 1 (15 Jan is after the window)
 *
 * Who a run started now gives each step (Bea is away 8 to 9 Dec):
 *   Prepare the invoices   due 7 Dec 12:00 -> Bea      30 x 4 = 120  direct
 *   Approve the invoices   Owner role      -> Olive    15 x 4 =  60  direct
 *   Send the invoices      due 8 Dec, Bea away -> Olive (backup)   20 x 4 = 80  direct
 *   Thank-you note         names Vic       -> Vic      10 x 4 =  40  indirect (optional still counts)
 *   Reconcile the bank     due 9 Dec, Bea away -> Olive            60 x 1 = 60  none
 *   Review the numbers     names Olive     -> Olive    45 x 1 =  45  none
 *   File the receipts      no estimate     -> Bea       0            (listed as no estimate)
 *
 *   Olive 60 + 80 + 60 + 45 = 245 (direct 140, none 105), cost 245 x 100.00 / 60 = 408.33 -> 40833 cents
 *   Bea   120 (direct 120), cost 120 x 30.00 / 60 = 60.00 -> 6000 cents
 *   Vic   40 (indirect 40), no hourly cost -> null
 *   total 405, the owner's 245, nobody 0
 *
 * Hand off next (Olive's steps: income none first, then indirect, unset, direct; most minutes first):
 *   Reconcile the bank (none, 60), Review the numbers (none, 45), Send the invoices (direct, 80),
 *   Approve the invoices (direct, 60). Candidates: the role's members who are not owners, then
 *   the lightest loads (Vic 40 before Bea 120); cost = the step's minutes x their rate:
 *   Reconcile: Bea (in the role) 60 x 30.00 / 60 = 3000, Vic null
 *   Review (names Olive, no role): Vic null, Bea 45 x 0.50 = 2250
 *   Send: Bea 20 x 4 = 80 min -> 4000, Vic null;  Approve: Vic null, Bea 60 min -> 3000
 *
 * Single points of failure
 *   Bookkeeper: Bea, and only the owner as backup; its steps 120 + 80 + 60 + 0 = 260 a month
 *   Owner: Olive alone, no backup; 60 a month (Review the numbers names Olive, not the role)
 *   Weekly invoicing: only Olive completed its steps in the last 90 days; 120+60+80+40 = 300
 *   (Month-end close is not: Bea completed a step of it)
 *
 * Trend (owner minutes completed, by month): Nov 30 + 15 = 45 (20 Nov), Dec 45 (1 Dec); the
 * 60 minutes Bea completed do not count; Jul to Oct 0.
 */
const f = dependenceFixture();
const { t, olive, bea, vic, bookkeeper, ownerRole } = f;
afterAll(() => {
  jest.useRealTimers();
  t.cleanup();
});
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const person = (p: { id: number; name: string }) => ({ id: p.id, name: p.name });

test('answers minutes a month per person, split by income potential, with costs for the owner', async () => {
  const res = await t.http().get('/api/dependence').expect(200);
  expect(res.body.totalMinutesPerMonth).toBe(405);
  expect(res.body.ownerMinutesPerMonth).toBe(245);
  expect(res.body.owners).toEqual([person(olive)]);
  expect(res.body.people).toEqual([
    {
      person: person(olive),
      owner: true,
      minutesPerMonth: 245,
      byIncome: { direct: 140, indirect: 0, none: 105, unset: 0 },
      costPerMonthCents: 40833,
      steps: 4,
    },
    {
      person: person(bea),
      owner: false,
      minutesPerMonth: 120,
      byIncome: { direct: 120, indirect: 0, none: 0, unset: 0 },
      costPerMonthCents: 6000,
      steps: 2,
    },
    {
      person: person(vic),
      owner: false,
      minutesPerMonth: 40,
      byIncome: { direct: 0, indirect: 40, none: 0, unset: 0 },
      costPerMonthCents: null,
      steps: 1,
    },
  ]);
  expect(res.body.unassigned).toEqual({ minutesPerMonth: 0, byIncome: { direct: 0, indirect: 0, none: 0, unset: 0 }, steps: 0 });
  expect(res.body.unestimatedSteps).toEqual([
    {
      runbook: { slug: 'month-end', title: 'Month-end close' },
      position: 3,
      title: 'File the receipts',
      assignee: person(bea),
      runsPerMonth: 1,
    },
  ]);
});

test("ranks the owner's steps to hand off: no income first, then the most minutes", async () => {
  const res = await t.http().get('/api/dependence').expect(200);
  const rows = res.body.handOffNext as {
    title: string;
    income: string;
    minutesPerMonth: number;
    candidates: { person: { name: string }; reason: string; minutesPerMonth: number; costPerMonthCents: number | null }[];
    fix: { href: string };
  }[];
  expect(rows.map((r) => [r.title, r.income, r.minutesPerMonth])).toEqual([
    ['Reconcile the bank', 'none', 60],
    ['Review the numbers', 'none', 45],
    ['Send the invoices', 'direct', 80],
    ['Approve the invoices', 'direct', 60],
  ]);
  const candidates = rows.map((r) => r.candidates.map((c) => [c.person.name, c.reason, c.minutesPerMonth, c.costPerMonthCents]));
  expect(candidates).toEqual([
    [
      ['Bea Books', 'in the role', 120, 3000],
      ['Vic Helper', 'lightest load', 40, null],
    ],
    [
      ['Vic Helper', 'lightest load', 40, null],
      ['Bea Books', 'lightest load', 120, 2250],
    ],
    [
      ['Bea Books', 'in the role', 120, 4000],
      ['Vic Helper', 'lightest load', 40, null],
    ],
    [
      ['Vic Helper', 'lightest load', 40, null],
      ['Bea Books', 'lightest load', 120, 3000],
    ],
  ]);
  expect(rows.map((r) => r.fix.href)).toEqual([
    `/roles/${bookkeeper.id}`,
    '/runbooks/month-end/edit',
    `/roles/${bookkeeper.id}`,
    `/roles/${ownerRole.id}`,
  ]);
});

test('lists the single points of failure, each with its fix', async () => {
  const res = await t.http().get('/api/dependence').expect(200);
  expect(res.body.singlePoints).toEqual([
    {
      kind: 'owner-only-backup',
      role: { id: bookkeeper.id, name: 'Bookkeeper' },
      person: person(bea),
      runbook: null,
      minutesPerMonth: 260,
      fix: { label: 'Add a backup to Bookkeeper', href: `/roles/${bookkeeper.id}` },
    },
    {
      kind: 'no-backup',
      role: { id: ownerRole.id, name: 'Owner' },
      person: person(olive),
      runbook: null,
      minutesPerMonth: 60,
      fix: { label: 'Add a backup to Owner', href: `/roles/${ownerRole.id}` },
    },
    {
      kind: 'only-owner-completes',
      role: null,
      person: null,
      runbook: { slug: 'weekly-invoicing', title: 'Weekly invoicing' },
      minutesPerMonth: 300,
      fix: { label: 'See who does each step', href: '/runbooks/weekly-invoicing' },
    },
  ]);
});

test("shows the owner's completed hours in each of the last six months", async () => {
  const res = await t.http().get('/api/dependence').expect(200);
  expect(res.body.trend).toEqual([
    { month: '2026-07', minutes: 0, current: false },
    { month: '2026-08', minutes: 0, current: false },
    { month: '2026-09', minutes: 0, current: false },
    { month: '2026-10', minutes: 0, current: false },
    { month: '2026-11', minutes: 45, current: false },
    { month: '2026-12', minutes: 45, current: true },
  ]);
});

test('gives editors the figures without anyone’s costs', async () => {
  const eddie = (await import('../helpers/factories')).makePerson(t.db, {
    name: 'Eddie Editor',
    email: 'eddie@example.com',
    level: 'editor',
  });
  const res = await t.asPerson(eddie).get('/api/dependence').expect(200);
  const names = (res.body.people as { person: { name: string }; costPerMonthCents: number | null }[]).filter(
    (p) => p.person.name !== 'Eddie Editor',
  );
  expect(names.map((p) => [p.person.name, p.costPerMonthCents])).toEqual([
    ['Olive Owner', null],
    ['Bea Books', null],
    ['Vic Helper', null],
  ]);
  expect(JSON.stringify(res.body.handOffNext)).not.toMatch(/"costPerMonthCents":\d/);
  t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(eddie.id);
});

test('refuses members and outsourcers (403)', async () => {
  const res = await t.asPerson(vic).get('/api/dependence').expect(403);
  expect(res.body.error.code).toBe('forbidden');
  await t.asPerson(vic).get('/api/dependence/steps.csv').expect(403);
});

test('the CSV holds one row per step, the same figures, RFC 4180 with CRLF line ends', async () => {
  const res = await t.http().get('/api/dependence/steps.csv').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  expect(res.headers['content-disposition']).toBe('attachment; filename="workload-2026-12-07.csv"');
  const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
  expect(lines[0]).toBe(
    'Runbook,Step,Step title,Owner (role or person),Carried by,Income potential,Estimate (minutes),Runs a month,Minutes a month,Cost a month,Note',
  );
  expect(lines).toContain('Month-end close,1,Reconcile the bank,Bookkeeper,Olive Owner,none,60,1,60,100.00,');
  expect(lines).toContain('Month-end close,3,File the receipts,Bookkeeper,Bea Books,none,,1,0,0.00,no estimate');
  expect(lines).toContain('Weekly invoicing,4,Thank-you note,Vic Helper,Vic Helper,indirect,10,4,40,,optional');
  expect(lines.filter((l) => l !== '')).toHaveLength(1 + 7);
});
