import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * `db.prepare(text)`, prepared once per database and reused. Preparing costs more than
 * running a small statement, so hot paths go through here; the SQL stays at the call site.
 */
export function sql(db: Db, text: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

const transactions = new WeakMap<Db, Map<unknown, unknown>>();

/**
 * `db.transaction(fn)`, made once per database and reused. better-sqlite3 builds five wrapper
 * functions for each transaction it makes, which costs more than the small statements a step
 * action runs, so hot paths go through here. `fn` is the cache key: pass a function defined
 * once (at module level), which gets the database as its first argument.
 */
export function transaction<A extends unknown[], R>(db: Db, fn: (db: Db, ...args: A) => R): (...args: A) => R {
  let cache = transactions.get(db);
  if (!cache) {
    cache = new Map();
    transactions.set(db, cache);
  }
  let wrapped = cache.get(fn) as ((...args: A) => R) | undefined;
  if (!wrapped) {
    wrapped = db.transaction((...args: A) => fn(db, ...args)) as unknown as (...args: A) => R;
    cache.set(fn, wrapped);
  }
  return wrapped;
}

const plucked = new WeakMap<Db, Map<string, Statement>>();

/**
 * Like sql(), for a query whose answer is its first column's value (`.pluck()`): no row object
 * is built, which for one value costs more than the value. Cached apart from sql()'s statements,
 * so the same text may also be used for rows.
 */
export function value(db: Db, text: string): Statement {
  let cache = plucked.get(db);
  if (!cache) {
    cache = new Map();
    plucked.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare(text).pluck();
    cache.set(text, statement);
  }
  return statement;
}

/**
 * Counts shown beside lists stop here: past it, "1,000 or more" tells a person as much as the
 * exact figure, and counting further would read every row of a list that keeps growing.
 */
export const COUNT_CAP = 1000;

/** How many rows `select` gives, counting no further than COUNT_CAP. */
export function countUpTo(db: Db, select: string, params: Record<string, unknown> = {}): number {
  return value(db, `SELECT count(*) FROM (${select} LIMIT ${COUNT_CAP})`).get(params) as number;
}

/** Rows a retention purge deletes at a time: each batch is its own short transaction. */
export const PURGE_BATCH = 1000;

/**
 * Runs a DELETE of at most @batch rows (the statement says which, with LIMIT @batch) until it
 * deletes nothing, each batch in its own transaction, so that a purge of a year's backlog never
 * holds the database for long. Returns how many rows went.
 */
export function deleteInBatches(db: Db, text: string, params: Record<string, unknown>): number {
  const statement = sql(db, text);
  const batch = db.transaction(() => statement.run({ ...params, batch: PURGE_BATCH }).changes);
  let total = 0;
  for (;;) {
    const changes = batch();
    total += changes;
    if (changes < PURGE_BATCH) return total;
  }
}
