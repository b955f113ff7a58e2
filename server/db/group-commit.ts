import type { RequestHandler, Response } from 'express';
import { errorBody, AppError } from '../http/errors';

/** What group commit needs of the database: better-sqlite3's Database fits. */
export interface Committable {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

/**
 * Group commit. With `synchronous = FULL` every commit waits for the disk, and a disk sync
 * costs as much as the rest of a request. So a request that may write opens one transaction
 * that every request handled in the same turn of the event loop joins (each handler's own
 * `db.transaction()` becomes a savepoint inside it, still all-or-nothing), and it is
 * committed once, right after that turn. Every response written meanwhile, reads included,
 * is held until the commit is on disk: nothing is acknowledged, and no one sees anything,
 * that a power cut could take back. If the commit fails, all of them answer 500, and
 * `onRollback` lets caches of the lost state be dropped.
 */
export function groupCommit(db: Committable, onRollback: () => void = () => {}): RequestHandler {
  let open = false;
  let held: ((failure: Error | null) => void)[] = [];

  const flush = () => {
    open = false;
    let failure: Error | null = null;
    try {
      db.exec('COMMIT');
    } catch (error) {
      failure = error as Error;
      if (db.inTransaction) db.exec('ROLLBACK');
      // Anything derived from the rolled-back state (cached JSON keyed by revision) is void.
      onRollback();
    }
    const waiting = held;
    held = [];
    for (const release of waiting) release(failure);
  };

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !open && !db.inTransaction) {
      db.exec('BEGIN IMMEDIATE');
      open = true;
      setImmediate(flush);
    }
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (!open) return end(...args);
      held.push((failure) => {
        if (!failure || res.headersSent) return end(...args);
        res.statusCode = 500;
        res.removeHeader('Content-Length');
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        end(JSON.stringify(errorBody(new AppError(500, 'not-saved', 'The change could not be saved; nothing was changed. Try again.'))));
      });
      return res;
    }) as Response['end'];
    next();
  };
}
