import { freshDb } from '../helpers/db';
import { fullScans } from '../helpers/query-plan';
import { OVERDUE_STEPS } from '../../server/notify/sweep';

/**
 * Completing a step updates every index on run_steps and run_events, so they hold only what
 * queries use; these plans show that the queries that need them still read no whole table.
 */
const { db, cleanup } = freshDb();
afterAll(cleanup);

test("the overdue sweep reads each person's open steps due by now without a full scan of runs, run_steps or run_events", () => {
  expect(fullScans(db, OVERDUE_STEPS, { now: '2026-12-01T00:00:00.000Z' })).toEqual([]);
});

test('a query that reads a whole growing table is caught, by its name or its alias', () => {
  expect(fullScans(db, "SELECT * FROM run_steps s WHERE s.note = 'x'")).toEqual(['SCAN s']);
  expect(fullScans(db, 'SELECT count(*) FROM run_events')).toHaveLength(1);
  expect(fullScans(db, 'SELECT * FROM runs WHERE id = ?', [1])).toEqual([]);
});

test('the open-steps index holds only open steps, and the indexes nobody queries are gone', () => {
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('run_steps', 'run_events') AND sql IS NOT NULL")
    .all() as {
    name: string;
    sql: string;
  }[];
  const byName = Object.fromEntries(indexes.map((index) => [index.name, index.sql]));
  expect(byName.run_steps_open_by_assignee).toMatch(/WHERE status = 'open'$/);
  expect(Object.keys(byName).sort()).toEqual(['run_events_run', 'run_steps_open_by_assignee']);
});
