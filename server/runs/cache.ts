import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ByteCache, ENTRY_OVERHEAD, stringBytes } from '../db/byte-cache';

interface Entry {
  key: string;
  /** When the first open step falls due, "overdue" changes, so a copy is good until then. */
  validUntil: string;
  value: unknown;
}

/** What all runs' cached copies may hold together, whatever the number of viewers and runs. */
export const RUN_CACHE_BYTES = 8 * 1024 * 1024;
/** And at most this many copies. */
export const RUN_CACHE_LIMIT = 1000;

const caches = new WeakMap<Db, ByteCache<Entry>>();

/** The cache of `db` (tests read its size). */
export function runCache(db: Db): ByteCache<Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new ByteCache<Entry>(RUN_CACHE_BYTES, RUN_CACHE_LIMIT)));
  return cache;
}

/** The size of a cached value: bytes as they are, a page as its plain and gzipped copies. */
export const bufferBytes = (value: Buffer) => value.length;
export const pageBytes = (page: { html: Buffer; gzip: Buffer }) => page.html.length + page.gzip.length;

/**
 * Things built from one run (its JSON, its page for one kind of viewer) kept until the run
 * changes: its revision (bumped by a trigger on every event; every change records one), a
 * person or role renamed (names_revision), or the next due time passing. `variant` tells
 * apart what is built for different viewers; `size` says what a value costs to keep, against
 * the cache's byte budget (least recently used copies go first). Returns undefined when the
 * run does not exist or `build` finds nothing to show.
 */
export function cachedForRun<T>(
  db: Db,
  runId: number,
  variant: string,
  now: string,
  build: () => T | undefined,
  size: (value: T) => number,
): T | undefined {
  const head = sql(db, "SELECT r.revision, m.value AS names FROM runs r, app_meta m WHERE r.id = ? AND m.key = 'names_revision'").get(
    runId,
  ) as { revision: number; names: string } | undefined;
  if (!head) return undefined;
  const cache = runCache(db);
  const key = `${head.revision}:${head.names}`;
  const slot = `${runId}:${variant}`;
  const hit = cache.get(slot);
  if (hit && hit.key === key && now < hit.validUntil) return hit.value as T;

  const value = build();
  if (value === undefined) return undefined;
  const next = sql(db, "SELECT min(due_at) AS at FROM run_steps WHERE run_id = ? AND status = 'open' AND due_at > ?").get(runId, now) as {
    at: string | null;
  };
  cache.set(slot, { key, validUntil: next.at ?? '9999', value }, size(value) + stringBytes(slot) + ENTRY_OVERHEAD);
  return value;
}

/** Drops everything cached (after a rolled-back batch, whose revision numbers will be reused). */
export function forgetCachedRuns(db: Db): void {
  caches.get(db)?.clear();
}
