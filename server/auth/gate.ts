import type { RequestHandler } from 'express';
import type { Db } from '../db/open';
import { AppError } from '../http/errors';
import { setupDone } from './setup';

/**
 * Until the owner account exists, only the set-up link (and the assets its page needs) work:
 * nothing can be read or changed on a server nobody owns yet.
 */
export function setupGate(db: Db): RequestHandler {
  let done = false;
  return (req, _res, next) => {
    done ||= setupDone(db);
    // The full address: the API's router sees only the part after /api.
    if (done || req.originalUrl.startsWith('/setup/') || req.originalUrl.startsWith('/assets/')) return next();
    throw new AppError(503, 'setup-required', 'This server is not set up yet: open the set-up link printed when it started.');
  };
}
