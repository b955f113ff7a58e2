process.env.TZ = 'UTC';
import { testApp } from '../helpers/app';
import { finishEveryRun, makePerson, makeRole, makeRunbook } from '../helpers/factories';
import { freezeTime } from './dependence-fixture';
import { startRun } from '../../server/runs/start';
import { addAwayPeriod } from '../../server/people/absences';
import { escalateOverdueSteps } from '../../server/notify/sweep';

/**
 * Absence-aware and overdue-aware work. Monday 7 December 2026, 10:00 UTC; Sam fills Fulfillment
 * VA with Bo as backup; Olive (the owner) is the Operations lead, accountable for "Ship".
 */
const MONDAY = new Date('2026-12-07T10:00:00.000Z');
freezeTime(MONDAY);
const t = testApp();
const olive = t.owner;
const sam = makePerson(t.db, { name: 'Sam Packer', email: 'sam@example.com', level: 'member' });
const bo = makePerson(t.db, { name: 'Bo Backup', email: 'bo@example.com', level: 'member' });
makeRole(t.db, 'Fulfillment VA', [sam, bo]);
makeRole(t.db, 'Operations lead', [olive]);
const ship = (slug: string, extra: string[]) =>
  makeRunbook(
    t.db,
    slug,
    [
      '---',
      `title: Ship ${slug}`,
      'owner: Operations lead',
      ...extra,
      '---',
      '',
      '## Pack the box',
      'Owner: Fulfillment VA',
      'Estimate: 10m',
      'Due: +1d',
      '',
      '## Post it',
      'Owner: Fulfillment VA',
      'Due: +3d',
      '',
    ].join('\n'),
  );
ship('ship', ['escalate: 4h']);
ship('plain', []);

afterAll(() => {
  jest.useRealTimers();
  t.cleanup();
});
afterEach(() => {
  expect(t.errors.splice(0)).toEqual([]);
  freezeTime(MONDAY);
  // Each test starts from no absence and no open run (finished as a finish leaves them: no step open).
  t.db.exec('DELETE FROM away_periods; DELETE FROM notifications');
  finishEveryRun(t.db);
});

const assignees = (runId: number) =>
  (t.db.prepare('SELECT assignee_id FROM run_steps WHERE run_id = ? ORDER BY position').all(runId) as { assignee_id: number }[]).map(
    (r) => r.assignee_id,
  );

describe('absences', () => {
  test('a step due inside its assignee’s planned absence goes to the backup when the run starts', () => {
    addAwayPeriod(t.db, { personId: sam.id, from: '2026-12-10', to: '2026-12-11', note: '', createdBy: olive.id });
    // Pack is due 8 Dec (Sam is here), Post 10 Dec (Sam is away): Bo gets Post.
    expect(assignees(startRun(t.db, { runbook: 'ship', title: 'Order 1', startedBy: olive.id }))).toEqual([sam.id, bo.id]);
  });

  test('an absence planned after the run started flags the steps due in it, on the API, Home, the person page and the hand-off preview', async () => {
    startRun(t.db, { runbook: 'ship', title: 'Order 2', startedBy: olive.id });
    await t.asPerson(sam).post(`/api/people/${sam.id}/away`).send({ from: '2026-12-08', to: '2026-12-09' }).expect(201);
    const mine = await t.asPerson(sam).get(`/api/people/${sam.id}/assignments`).expect(200);
    const flags = (mine.body.assignments as { title: string; dueWhileAway: boolean }[]).map((a) => [a.title, a.dueWhileAway]);
    expect(flags).toEqual([
      ['Pack the box', true],
      ['Post it', false],
    ]);
    const preview = await t.asPerson(sam).get(`/api/people/${sam.id}/handoff`).expect(200);
    expect((preview.body.steps as { title: string; dueWhileAway: boolean }[]).map((s) => [s.title, s.dueWhileAway])).toEqual(flags);

    const home = await t.asPerson(sam).get('/').set('Accept', 'text/html').expect(200);
    expect(home.text).toContain('1 of your steps is due while you are away');
    expect(home.text).toContain(`href="/people/${sam.id}/handoff"`);
    const page = await t.http().get(`/people/${sam.id}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('1 open step is due while Sam Packer is away');
  });

  test('two absences back to back read as one: away until 13 Dec', async () => {
    addAwayPeriod(t.db, { personId: sam.id, from: '2026-12-07', to: '2026-12-08', note: '', createdBy: olive.id });
    addAwayPeriod(t.db, { personId: sam.id, from: '2026-12-09', to: '2026-12-13', note: '', createdBy: olive.id });
    const run = startRun(t.db, { runbook: 'plain', title: 'Order 3', startedBy: olive.id });
    const refused = await t.http().post(`/api/runs/${run}/steps/1/reassign`).send({ to: sam.id, reason: 'cover' }).expect(422);
    expect(refused.body.error).toMatchObject({ field: 'to', awayUntil: '2026-12-13' });
    const page = await t.http().get(`/people/${sam.id}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('is away until 13 Dec 2026');
  });
});

describe('escalation', () => {
  const outbox = () =>
    t.db.prepare("SELECT person_id, subject FROM notifications WHERE subject LIKE 'Still not done%' ORDER BY person_id").all() as {
      person_id: number;
      subject: string;
    }[];

  test('after the runbook’s grace time the role’s first backup and the runbook’s owner are emailed, once', () => {
    startRun(t.db, { runbook: 'ship', title: 'Order 4', startedBy: olive.id });
    // Pack is due Tuesday 10:00; escalate: 4h, so at 14:00.
    freezeTime(new Date('2026-12-08T13:59:00.000Z'));
    expect(escalateOverdueSteps(t.db)).toBe(0);
    freezeTime(new Date('2026-12-08T14:00:00.000Z'));
    expect(escalateOverdueSteps(t.db)).toBe(1);
    expect(outbox()).toEqual([
      { person_id: olive.id, subject: 'Still not done: "Pack the box" (Order 4)' },
      { person_id: bo.id, subject: 'Still not done: "Pack the box" (Order 4)' },
    ]);
    expect(escalateOverdueSteps(t.db)).toBe(0);
    expect(outbox()).toHaveLength(2);
  });

  test('without escalate: it waits one working day (due Friday, escalated Monday)', () => {
    freezeTime(new Date('2026-12-10T10:00:00.000Z')); // Thursday; Pack is due Friday 10:00
    const run = startRun(t.db, { runbook: 'plain', title: 'Order 5', startedBy: olive.id });
    expect(t.db.prepare('SELECT escalate_at FROM run_steps WHERE run_id = ? AND position = 1').get(run)).toEqual({
      escalate_at: '2026-12-14T10:00:00.000Z',
    });
    freezeTime(new Date('2026-12-13T23:00:00.000Z'));
    expect(escalateOverdueSteps(t.db)).toBe(0);
    freezeTime(new Date('2026-12-14T10:00:00.000Z'));
    // Pack (due Friday 10:00) and Post (due Sunday 10:00): both escalate on Monday at 10:00.
    expect(escalateOverdueSteps(t.db)).toBe(2);
  });

  test('owners and editors see overdue steps across the team on Home, and runs filter by overdue', async () => {
    startRun(t.db, { runbook: 'plain', title: 'Order 6', startedBy: olive.id });
    const onTime = startRun(t.db, { runbook: 'plain', title: 'Order 7', startedBy: olive.id });
    t.db.prepare("UPDATE run_steps SET due_at = '2026-12-20T10:00:00.000Z' WHERE run_id = ?").run(onTime);
    freezeTime(new Date('2026-12-09T10:00:00.000Z'));
    const home = await t.http().get('/').set('Accept', 'text/html').expect(200);
    expect(home.text).toContain('Overdue across the team');
    expect(home.text).toMatch(/Pack the box<\/a> <span class="muted">· Order 6 · Sam Packer · was due/);
    const memberHome = await t.asPerson(bo).get('/').set('Accept', 'text/html').expect(200);
    expect(memberHome.text).not.toContain('Overdue across the team');
    const overdue = await t.http().get('/api/runs?overdue=true').expect(200);
    expect((overdue.body.runs as { title: string }[]).map((r) => r.title)).toEqual(['Order 6']);
    const page = await t.http().get('/runs?overdue=true').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Order 6');
    expect(page.text).not.toContain('Order 7');
  });
});
