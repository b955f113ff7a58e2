import type { Db } from '../../server/db/open';

/** The tables that grow with every run: a query must never read all of them. */
export const GROWING_TABLES = ['runs', 'run_steps', 'run_events', 'run_field_values'] as const;

/**
 * The steps of SQLite's plan for `text` that read a whole table (or a whole index of it) of
 * `tables`, named as the query names them (the table or its alias). Empty when every access
 * to them is a search by index. SQLite's wording of the rest of the plan (which index, in what
 * order) is free to change from version to version; only this is asserted.
 */
export function fullScans(
  db: Db,
  text: string,
  params: Record<string, unknown> | unknown[] = {},
  tables: readonly string[] = GROWING_TABLES,
): string[] {
  const names = new Set<string>(tables);
  const reference = new RegExp(
    `\\b(${tables.join('|')})\\s+(?:AS\\s+)?(?!ON\\b|WHERE\\b|JOIN\\b|LEFT\\b|INNER\\b|ORDER\\b|GROUP\\b|USING\\b|SET\\b)(\\w+)`,
    'gi',
  );
  for (const match of text.matchAll(reference)) names.add(match[2] as string);
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...(Array.isArray(params) ? params : [params])) as { detail: string }[];
  return plan
    .map((row) => row.detail)
    .filter((detail) => {
      const scanned = /^SCAN (\w+)/.exec(detail)?.[1];
      return scanned !== undefined && names.has(scanned);
    });
}
