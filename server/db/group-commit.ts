import type { Request, RequestHandler, Response } from 'express';

/** What group commit needs of the database: better-sqlite3's Database fits. */
export interface Committable {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

export interface GroupCommitOptions {
  /** After a failed commit: drop caches of the rolled-back state (cached JSON keyed by revision). */
  onRollback?: () => void;
  /**
   * Answers a request whose changes were lost with the failed commit. The app passes its one
   * error handler (JSON for the API, an error page for a form); the response is as the route
   * left it, minus the headers that described what it had sent.
   */
  onFailure: (req: Request, res: Response, cause: Error) => void;
}

/** Headers that described the answer the route wrote, which the failure replaces. */
const ANSWER_HEADERS = ['content-length', 'content-type', 'content-encoding', 'location', 'set-cookie', 'etag'];

/**
 * Group commit. With `synchronous = FULL` every commit waits for the disk, and a disk sync
 * costs as much as the rest of a request. So a request that may write opens one transaction
 * that every request handled in the same turn of the event loop joins (each handler's own
 * `db.transaction()` becomes a savepoint inside it, still all-or-nothing), and it is
 * committed once, right after that turn. Every response written meanwhile, reads included,
 * is held until the commit is on disk: nothing is acknowledged, and no one sees anything,
 * that a power cut could take back. If the commit fails, each held response is replaced by
 * `onFailure`'s answer.
 */
export function groupCommit(db: Committable, { onRollback = () => {}, onFailure }: GroupCommitOptions): RequestHandler {
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
        res.end = end as Response['end'];
        if (!failure || res.headersSent) return end(...args);
        for (const name of ANSWER_HEADERS) res.removeHeader(name);
        onFailure(req, res, failure);
      });
      return res;
    }) as Response['end'];
    next();
  };
}
