import type { RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import type { Level } from '../access/actor';
import { findSession, SESSION_COOKIE, type SessionRow } from './sessions';
import { hashSecret } from './secrets';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The browser session (signed in or not), if the request carried a live one. */
      session?: SessionRow;
    }
  }
}

interface PersonAccess {
  id: number;
  name: string;
  email: string;
  access_level: Level;
}

/** Token use is recorded at most once a minute, so reads through a token do not each write. */
const TOKEN_TOUCH_MS = 60_000;

/**
 * Works out who is asking: a Bearer token (scripts), else the session cookie (browsers and
 * outsourcers' links). A request with neither is anonymous; routes decide what that may do.
 */
export function authenticate(db: Db): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError(401, 'invalid-token', 'Authorization must be "Bearer <token>"');
      const row = sql(
        db,
        `SELECT t.id AS token_id, t.last_used_at, p.id, p.name, p.email, p.access_level
           FROM api_tokens t JOIN people p ON p.id = t.person_id
          WHERE t.token_hash = ? AND t.revoked_at IS NULL AND p.active = 1`,
      ).get(hashSecret(match[1] as string)) as (PersonAccess & { token_id: number; last_used_at: string | null }) | undefined;
      if (!row) throw new AppError(401, 'invalid-token', 'The API token is unknown, revoked, or its person is inactive');
      const now = Date.now();
      if (row.last_used_at === null || now - Date.parse(row.last_used_at) > TOKEN_TOUCH_MS) {
        sql(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date(now).toISOString(), row.token_id);
      }
      req.actor = { id: row.id, name: row.name, email: row.email, level: row.access_level, via: 'token' };
      return next();
    }
    const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
    const session = cookie ? findSession(db, cookie) : undefined;
    if (session) {
      req.session = session;
      if (session.person_id !== null) {
        const person = sql(db, 'SELECT id, name, email, access_level FROM people WHERE id = ? AND active = 1').get(session.person_id) as
          PersonAccess | undefined;
        if (person) {
          const viaLink = session.link_id !== null;
          req.actor = {
            id: person.id,
            name: person.name,
            email: person.email,
            level: viaLink ? 'outsourcer' : person.access_level,
            via: viaLink ? 'link' : 'session',
          };
        }
      }
    }
    next();
  };
}
