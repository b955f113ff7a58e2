import type { Db } from '../db/open';
import { sql } from '../db/statements';

interface Entry {
  key: string;
  /** When the first open step falls due, "overdue" changes, so a copy is good until then. */
  validUntil: string;
  value: unknown;
}

const caches = new WeakMap<Db, Map<string, Entry>>();
export const RUN_CACHE_LIMIT = 1000;

/**
 * Things built from one run (its JSON, its page for one kind of viewer) kept until the run
 * changes: its revision (bumped by a trigger on every event; every change records one), a
 * person or role renamed (names_revision), or the next due time passing. `variant` tells
 * apart what is built for different viewers. Returns undefined when the run does not exist
 * or `build` finds nothing to show.
 */
export function cachedForRun<T>(db: Db, runId: number, variant: string, now: string, build: () => T | undefined): T | undefined {
  const head = sql(db, "SELECT r.revision, m.value AS names FROM runs r, app_meta m WHERE r.id = ? AND m.key = 'names_revision'").get(
    runId,
  ) as { revision: number; names: string } | undefined;
  if (!head) return undefined;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${head.revision}:${head.names}`;
  const slot = `${runId}:${variant}`;
  const hit = cache.get(slot);
  if (hit && hit.key === key && now < hit.validUntil) return hit.value as T;

  const value = build();
  if (value === undefined) return undefined;
  const next = sql(db, "SELECT min(due_at) AS at FROM run_steps WHERE run_id = ? AND status = 'open' AND due_at > ?").get(runId, now) as {
    at: string | null;
  };
  if (cache.size >= RUN_CACHE_LIMIT && !hit) cache.delete(cache.keys().next().value as string);
  cache.delete(slot); // re-insert, so the map's order is oldest built first
  cache.set(slot, { key, validUntil: next.at ?? '9999', value });
  return value;
}

/** Drops everything cached (after a rolled-back batch, whose revision numbers will be reused). */
export function forgetCachedRuns(db: Db): void {
  caches.delete(db);
}
