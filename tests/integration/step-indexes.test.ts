import { freshDb } from '../helpers/db';
import { fullScans } from '../helpers/query-plan';
import { OVERDUE_STEPS } from '../../server/notify/sweep';
import { ONLY_OWNERS_COMPLETE, OWNER_COMPLETED_MINUTES, RUNS_STARTED_SINCE } from '../../server/dependence/repo';
import { OPEN_STEPS_DUE } from '../../server/dependence/step-away';
import { APPROVALS } from '../../server/people/assignments';
import { MISSING_REQUIRED_FIELDS, STEPS_NAMING_FIELD } from '../../server/runs/fields';

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

test('the open-steps index holds only open steps, the completed-steps index only completed ones, and the indexes nobody queries are gone', () => {
  // Each index here is read by a list (tests/integration/list-plans.test.ts checks which).
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('run_steps', 'run_events') AND sql IS NOT NULL")
    .all() as {
    name: string;
    sql: string;
  }[];
  const byName = Object.fromEntries(indexes.map((index) => [index.name, index.sql]));
  expect(byName.run_steps_open_by_assignee).toMatch(/WHERE status = 'open'$/);
  expect(byName.run_steps_completed).toMatch(/WHERE status = 'complete'$/);
  expect(byName.run_steps_unassigned).toMatch(/WHERE status = 'open' AND assignee_id IS NULL$/);
  expect(byName.run_events_handoffs).toMatch(/WHERE kind = 'step.reassigned'$/);
  expect(byName.run_steps_awaiting_role).toMatch(/WHERE status = 'awaiting-approval'$/);
  expect(byName.run_steps_awaiting_person).toMatch(/WHERE status = 'awaiting-approval'$/);
  // A step's notes (under it on the run page) and the steps waiting on something (Home) hold only those rows.
  expect(byName.run_events_notes).toMatch(/WHERE kind = 'step.noted'$/);
  expect(byName.run_steps_waiting).toMatch(/WHERE waiting_reason IS NOT NULL$/);
  expect(byName.run_steps_open_due).toMatch(/WHERE status = 'open'$/);
  expect(byName.run_steps_open_by_assignee_role).toMatch(/WHERE status = 'open'$/);
  expect(Object.keys(byName).sort()).toEqual([
    'run_events_handoffs',
    'run_events_notes',
    'run_events_run',
    'run_steps_awaiting_person',
    'run_steps_awaiting_role',
    'run_steps_completed',
    'run_steps_named_fields',
    'run_steps_open_by_assignee',
    'run_steps_open_by_assignee_role',
    'run_steps_open_due',
    'run_steps_people',
    'run_steps_unassigned',
    'run_steps_waiting',
  ]);
});

test("completing a step finds that step's empty required fields by the step, without reading every run's fields", () => {
  expect(fullScans(db, MISSING_REQUIRED_FIELDS, [1])).toEqual([]);
  expect(fullScans(db, 'SELECT name FROM run_field_values WHERE value IS NULL')).toEqual(['SCAN run_field_values']);
});

test('filling a field looks only at the steps that name some field, found by the partial index, not at every step of the run', () => {
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${STEPS_NAMING_FIELD}`).all({ run: 1, changed: 'x' }) as { detail: string }[]).map(
    (row) => row.detail,
  );
  expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX run_steps_named_fields/);
  expect(fullScans(db, STEPS_NAMING_FIELD, { run: 1, changed: 'x' })).toEqual([]);
});

test("the steps waiting for someone's approval are found from the awaiting indexes, not by reading every step", () => {
  const steps = (db.prepare(`EXPLAIN QUERY PLAN ${APPROVALS}`).all({ person: 1, limit: 50 }) as { detail: string }[]).map(
    (row) => row.detail,
  );
  expect(steps.join('\n')).toMatch(/USING (COVERING )?INDEX run_steps_awaiting_person/);
  expect(steps.join('\n')).toMatch(/USING (COVERING )?INDEX run_steps_awaiting_role/);
  expect(fullScans(db, APPROVALS, { person: 1, limit: 50 })).toEqual([]);
});

describe('the workload queries read only the range they need, never a whole table of runs or steps', () => {
  test('runs of the last 90 days', () => {
    expect(fullScans(db, RUNS_STARTED_SINCE, ['2026-09-01'])).toEqual([]);
  });

  test("the owner's monthly trend and the runbooks only owners complete", () => {
    expect(fullScans(db, OWNER_COMPLETED_MINUTES, { from: '2026-11-01', to: '2026-12-01' })).toEqual([]);
    expect(fullScans(db, ONLY_OWNERS_COMPLETE, { since: '2026-09-01' })).toEqual([]);
  });

  test("the simulator's open steps of a person due in the range", () => {
    expect(fullScans(db, OPEN_STEPS_DUE, { person: 1, from: '2026-12-14', to: '2026-12-21' })).toEqual([]);
  });
});
