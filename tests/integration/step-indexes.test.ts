import { freshDb } from '../helpers/db';
import { OVERDUE_STEPS } from '../../server/notify/sweep';
import { ONLY_OWNERS_COMPLETE, OWNER_COMPLETED_MINUTES, RUNS_STARTED_SINCE } from '../../server/dependence/repo';
import { OPEN_STEPS_DUE } from '../../server/dependence/step-away';
import { APPROVALS } from '../../server/people/assignments';

/**
 * Completing a step updates every index on run_steps and run_events, so they hold only what
 * queries use; these plans show that the queries that need them still find them.
 */
const { db, cleanup } = freshDb();
afterAll(cleanup);

const plan = (text: string, params: Record<string, unknown> = {}) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(params) as { detail: string }[]).map((row) => row.detail);

test("the overdue sweep reads each person's open steps due by now from the open-steps index", () => {
  const steps = plan(OVERDUE_STEPS, { now: '2026-12-01T00:00:00.000Z' });
  expect(steps).toContain('SEARCH s USING INDEX run_steps_open_by_assignee (assignee_id=? AND due_at<?)');
  expect(steps.some((step) => /^SCAN (s|r)\b/.test(step))).toBe(false);
});

test('the open-steps index holds only open steps, the completed-steps index only completed ones, and the indexes nobody queries are gone', () => {
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('run_steps', 'run_events') AND sql IS NOT NULL")
    .all() as {
    name: string;
    sql: string;
  }[];
  const byName = Object.fromEntries(indexes.map((index) => [index.name, index.sql]));
  expect(byName.run_steps_open_by_assignee).toMatch(/WHERE status = 'open'$/);
  expect(byName.run_steps_completed).toMatch(/WHERE status = 'complete'$/);
  expect(byName.run_steps_awaiting_role).toMatch(/WHERE status = 'awaiting-approval'$/);
  expect(byName.run_steps_awaiting_person).toMatch(/WHERE status = 'awaiting-approval'$/);
  expect(Object.keys(byName).sort()).toEqual([
    'run_events_run',
    'run_steps_awaiting_person',
    'run_steps_awaiting_role',
    'run_steps_completed',
    'run_steps_open_by_assignee',
  ]);
});

test("the steps waiting for someone's approval are found from the awaiting indexes, not by reading every step", () => {
  const steps = plan(APPROVALS, { person: 1, limit: 50 });
  expect(steps.join('\n')).toMatch(/USING (COVERING )?INDEX run_steps_awaiting_person/);
  expect(steps.join('\n')).toMatch(/USING (COVERING )?INDEX run_steps_awaiting_role/);
  expect(steps.some((step) => /^SCAN s\b/.test(step))).toBe(false);
});

describe('the workload queries read only the range they need', () => {
  test('runs of the last 90 days come from a range of runs_started, without touching the table', () => {
    expect(plan(RUNS_STARTED_SINCE.replace('?', "'2026-09-01'"))).toContain('SEARCH runs USING COVERING INDEX runs_started (started_at>?)');
  });

  test("the owner's monthly trend and the runbooks only owners complete read run_steps_completed, person by person", () => {
    expect(plan(OWNER_COMPLETED_MINUTES, { from: '2026-11-01', to: '2026-12-01' })).toContain(
      'SEARCH s USING COVERING INDEX run_steps_completed (completed_by=? AND completed_at>? AND completed_at<?)',
    );
    expect(plan(ONLY_OWNERS_COMPLETE, { since: '2026-09-01' })).toContain(
      'SEARCH s USING COVERING INDEX run_steps_completed (completed_by=? AND completed_at>?)',
    );
  });

  test("the simulator reads a person's open steps due in the range from the open-steps index", () => {
    expect(plan(OPEN_STEPS_DUE, { person: 1, from: '2026-12-14', to: '2026-12-21' })).toContain(
      'SEARCH s USING INDEX run_steps_open_by_assignee (assignee_id=? AND due_at>? AND due_at<?)',
    );
  });
});
