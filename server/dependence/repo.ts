import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { ENTRY_OVERHEAD, stringBytes } from '../db/byte-cache';
import type { Income } from '../runbooks/format/model';

/** The SQL behind the workload model, the dependence page and the step-away simulator. */

export interface CurrentStepRow {
  runbook_id: number;
  slug: string;
  runbook_title: string;
  schedule: string | null;
  runbook_income: Income | null;
  runbook_owner: string | null;
  position: number;
  title: string;
  owner: string | null;
  estimate_minutes: number | null;
  due: string | null;
  income: Income | null;
  optional: number | null;
}

/**
 * Every step of the current version of every runbook in use (not archived), runbook by runbook.
 * Kept per database until the catalog revision moves (a trigger bumps it when a runbook is
 * added, gets a new version, or is archived or restored): reading 20,000 steps costs far more
 * than the rest of the model. Kept only within CATALOG_BYTES: 2,000 runbooks of 10 steps count
 * about 8 MB (7.6 MB measured on the heap); a larger library is read each time rather than
 * held. The rows are shared: never change them.
 */
const catalogs = new WeakMap<Db, { revision: string; budget: number; rows: readonly CurrentStepRow[] }>();
export const CATALOG_BYTES = 16 * 1024 * 1024;

/** A row's strings at two bytes a character, and its object's own cost. */
const ROW_OVERHEAD = 200;
/** Whether the rows fit `budget`: counted until they do not. */
function fits(rows: readonly CurrentStepRow[], budget: number): boolean {
  let bytes = ENTRY_OVERHEAD;
  for (const row of rows) {
    bytes += ROW_OVERHEAD + stringBytes(row.slug) + stringBytes(row.runbook_title) + stringBytes(row.title);
    bytes += stringBytes(row.schedule ?? '') + stringBytes(row.runbook_owner ?? '') + stringBytes(row.owner ?? '');
    bytes += stringBytes(row.due ?? '') + stringBytes(row.runbook_income ?? '') + stringBytes(row.income ?? '');
    if (bytes > budget) return false;
  }
  return true;
}

/** Drops the kept catalog (after a rolled-back batch, whose revision numbers will be reused). */
export function forgetCatalog(db: Db): void {
  catalogs.delete(db);
}

export function currentSteps(db: Db, budget = CATALOG_BYTES): readonly CurrentStepRow[] {
  const revision = value(db, "SELECT value FROM app_meta WHERE key = 'catalog_revision'").get() as string;
  const cached = catalogs.get(db);
  if (cached?.revision === revision && cached.budget === budget) return cached.rows;
  const rows = sql(
    db,
    `SELECT b.id AS runbook_id, b.slug, v.title AS runbook_title, v.schedule, v.income AS runbook_income, v.owner AS runbook_owner,
            s.position, s.title, s.owner, s.estimate_minutes, s.due, s.income, s.optional
       FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
       JOIN runbook_steps s ON s.version_id = v.id
      WHERE b.archived_at IS NULL
      ORDER BY v.title COLLATE NOCASE, b.slug, s.position`,
  ).all() as CurrentStepRow[];
  if (fits(rows, budget)) catalogs.set(db, { revision, budget, rows });
  else catalogs.delete(db);
  return rows;
}

/**
 * Without statistics the planner would rather walk every run in runbook order (to group without
 * sorting); the last 90 days are a small part of the history, so the range is read instead.
 */
export const RUNS_STARTED_SINCE =
  'SELECT runbook_id, count(*) AS n FROM runs INDEXED BY runs_started WHERE started_at >= ? GROUP BY runbook_id';

export function runsStartedSince(db: Db, since: string): Map<number, number> {
  const rows = sql(db, RUNS_STARTED_SINCE).all(since) as {
    runbook_id: number;
    n: number;
  }[];
  return new Map(rows.map((row) => [row.runbook_id, row.n]));
}

export interface WorkerRow {
  id: number;
  name: string;
  access_level: 'owner' | 'editor' | 'member' | 'outsourcer';
  hourly_cost_cents: number | null;
}

/** Everyone who can be given work (active), by name. */
export function activePeople(db: Db): WorkerRow[] {
  return sql(
    db,
    'SELECT id, name, access_level, hourly_cost_cents FROM people WHERE active = 1 ORDER BY name COLLATE NOCASE, id',
  ).all() as WorkerRow[];
}

/**
 * Minutes of completed steps (by their estimates) that owners completed in [from, to): person by
 * person through run_steps_completed, so only that range of the index is read.
 */
export const OWNER_COMPLETED_MINUTES = `
SELECT coalesce(sum(s.estimate_minutes), 0) AS minutes
  FROM people p CROSS JOIN run_steps s
    ON s.completed_by = p.id AND s.status = 'complete' AND s.completed_at >= @from AND s.completed_at < @to
 WHERE p.access_level = 'owner'`;

export function ownerCompletedMinutes(db: Db, from: string, to: string): number {
  return (sql(db, OWNER_COMPLETED_MINUTES).get({ from, to }) as { minutes: number }).minutes;
}

/**
 * Runbooks whose steps completed since `since` were all completed by owners (through
 * run_steps_completed). Grouped by run first, so that each run is looked up once for its
 * runbook rather than once a step (a third less work over 90 days of 20,000 runs).
 */
export const ONLY_OWNERS_COMPLETE = `
SELECT r.runbook_id, sum(x.steps) AS steps
  FROM (SELECT s.run_id, count(*) AS steps, min(p.access_level = 'owner') AS owners_only
          FROM people p CROSS JOIN run_steps s ON s.completed_by = p.id AND s.status = 'complete' AND s.completed_at >= @since
         GROUP BY s.run_id) x
  JOIN runs r ON r.id = x.run_id
 GROUP BY r.runbook_id
HAVING min(x.owners_only) = 1`;

export function runbooksOnlyOwnersComplete(db: Db, since: string): Map<number, number> {
  const rows = sql(db, ONLY_OWNERS_COMPLETE).all({ since }) as { runbook_id: number; steps: number }[];
  return new Map(rows.map((row) => [row.runbook_id, row.steps]));
}
