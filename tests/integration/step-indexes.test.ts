import { freshDb } from '../helpers/db';
import { OVERDUE_STEPS } from '../../server/notify/sweep';

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

test('the open-steps index holds only open steps, and the indexes nobody queries are gone', () => {
  // Each index here is read by a list (tests/integration/list-plans.test.ts checks which).
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('run_steps', 'run_events') AND sql IS NOT NULL")
    .all() as {
    name: string;
    sql: string;
  }[];
  const byName = Object.fromEntries(indexes.map((index) => [index.name, index.sql]));
  expect(byName.run_steps_open_by_assignee).toMatch(/WHERE status = 'open'$/);
  expect(byName.run_steps_unassigned).toMatch(/WHERE status = 'open' AND assignee_id IS NULL$/);
  expect(byName.run_events_handoffs).toMatch(/WHERE kind = 'step.reassigned'$/);
  expect(Object.keys(byName).sort()).toEqual([
    'run_events_handoffs',
    'run_events_run',
    'run_steps_open_by_assignee',
    'run_steps_people',
    'run_steps_unassigned',
  ]);
});
