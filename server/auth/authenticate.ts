import type { RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import type { Level } from '../access/actor';
import { destroySession, findSession, SESSION_COOKIE, SESSION_LIMITS, type SessionRow } from './sessions';
import { recordLinkUse, type LinkSettings } from './links';
import { hashSecret } from './secrets';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The browser session of someone signed in (or in through a personal link), if the request carried a live one. */
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
 * Works out who is asking: a Bearer token (scripts), else the session cookie (browsers, and
 * personal links). A request with neither is anonymous; routes decide what that may do.
 * Everything is looked up on every request, so a revoked token, an ended link or a
 * deactivated person stops working on the very next one.
 */
export function authenticate(db: Db, links: Pick<LinkSettings, 'days'>): RequestHandler {
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
    if (!session) return next();
    const person = sql(db, 'SELECT id, name, email, access_level FROM people WHERE id = ? AND active = 1').get(session.person_id) as
      PersonAccess | undefined;
    if (!person) return next();
    if (session.link_id === null) {
      req.session = session;
      req.actor = { id: person.id, name: person.name, email: person.email, level: person.access_level, via: 'session' };
      return next();
    }
    // A session a personal link opened lives only as long as the link does.
    const now = new Date();
    const link = sql(db, 'SELECT created_by, last_used_at FROM access_links WHERE id = ? AND revoked_at IS NULL AND expires_at > ?').get(
      session.link_id,
      now.toISOString(),
    ) as { created_by: number | null; last_used_at: string | null } | undefined;
    if (!link) {
      destroySession(db, session.id_hash);
      return next();
    }
    // Using the session is using the link: it moves the link's end (at most every few minutes).
    if (link.last_used_at === null || now.getTime() - Date.parse(link.last_used_at) >= SESSION_LIMITS.touchEveryMs) {
      recordLinkUse(db, links.days, session.link_id, now);
    }
    req.session = session;
    req.actor = {
      id: person.id,
      name: person.name,
      email: person.email,
      level: person.access_level,
      via: 'link',
      link: { id: session.link_id, createdBy: link.created_by },
    };
    next();
  };
}
