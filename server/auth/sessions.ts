import type { Db } from '../db/open';
import { deleteInBatches, sql } from '../db/statements';
import { hashSecret, newSecret } from './secrets';

/**
 * How long a session lives: it idles out, and ends at an absolute limit. Sessions exist only
 * for someone signed in (or in through a personal link, which must also still be live): a
 * visitor's forms need no stored state (server/http/csrf.ts).
 */
export const SESSION_LIMITS = {
  idleMs: 3 * 24 * 3600_000,
  absoluteMs: 30 * 24 * 3600_000,
  /** last_seen is written at most this often, so reading a page does not write every time. */
  touchEveryMs: 5 * 60_000,
};

export const SESSION_COOKIE = 'rb_session';

export interface SessionRow {
  id_hash: string;
  person_id: number;
  link_id: number | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export function createSession(
  db: Db,
  owner: { personId: number; linkId?: number | null },
  now = new Date(),
): { cookie: string; session: SessionRow } {
  const cookie = newSecret();
  const expires = new Date(now.getTime() + SESSION_LIMITS.absoluteMs);
  const session: SessionRow = {
    id_hash: hashSecret(cookie),
    person_id: owner.personId,
    link_id: owner.linkId ?? null,
    csrf_token: newSecret(),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expires.toISOString(),
  };
  sql(
    db,
    `INSERT INTO sessions (id_hash, person_id, link_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES (@id_hash, @person_id, @link_id, @csrf_token, @created_at, @last_seen_at, @expires_at)`,
  ).run(session);
  return { cookie, session };
}

/** The live session behind a cookie value; an expired or idle one is deleted and not returned. */
export function findSession(db: Db, cookie: string, now = new Date()): SessionRow | undefined {
  const idHash = hashSecret(cookie);
  const session = sql(db, 'SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
  if (!session) return undefined;
  const lastSeen = new Date(session.last_seen_at).getTime();
  if (now.toISOString() >= session.expires_at || now.getTime() - lastSeen >= SESSION_LIMITS.idleMs) {
    sql(db, 'DELETE FROM sessions WHERE id_hash = ?').run(idHash);
    return undefined;
  }
  if (now.getTime() - lastSeen >= SESSION_LIMITS.touchEveryMs) {
    session.last_seen_at = now.toISOString();
    sql(db, 'UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(session.last_seen_at, idHash);
  }
  return session;
}

export function destroySession(db: Db, idHash: string): void {
  sql(db, 'DELETE FROM sessions WHERE id_hash = ?').run(idHash);
}

/** Ends every session of a person at once but `except` (deactivation, a new password, signing out everywhere). */
export function endSessionsOf(db: Db, personId: number, except?: string): number {
  return sql(db, 'DELETE FROM sessions WHERE person_id = ? AND id_hash IS NOT ?').run(personId, except ?? null).changes;
}

/**
 * Retention: deletes every session that can no longer be used, ended by its absolute limit or
 * idle past its limit (3 days unused), in
 * batches, so that one purge never holds the database for long. Returns how many went.
 */
export function purgeExpiredSessions(db: Db, now = new Date()): number {
  const idle = new Date(now.getTime() - SESSION_LIMITS.idleMs).toISOString();
  return deleteInBatches(
    db,
    `DELETE FROM sessions WHERE rowid IN (
       SELECT rowid FROM sessions
        WHERE expires_at <= @now OR last_seen_at <= @idle
        LIMIT @batch)`,
    { now: now.toISOString(), idle },
  );
}
