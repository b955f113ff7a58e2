import type { Db } from '../db/open';
import { deleteInBatches, sql } from '../db/statements';
import { audit } from '../audit/repo';
import { derivedSecret, hashSecret, newSecret } from './secrets';

/**
 * "Forgot your password?": a single-use link, valid RESET_MS, emailed to the account's address.
 * Its secret is made from a stored salt and the server's key, so the outbox can show the
 * working link (when no mail server is set up, an owner forwards it); only its hash is stored.
 * Asking gives the same answer whether or not the address has an account, and is rate limited
 * by address and by email whatever the answer. The audit log records each reset asked for (on
 * the person's entry: owners read it) and the password set through it.
 */
export const RESET_MS = 30 * 60_000;
const PURPOSE = 'password-reset';

export const RESET_LIMITS = {
  windowMs: 60 * 60_000,
  /** Requests for one email address within the window (whoever asks). */
  perEmail: 3,
  /** Requests from one network address within the window (whatever the emails). */
  perAddress: 10,
};

export interface ResetRow {
  id: number;
  person_id: number;
  expires_at: string;
}

/** How long, in ms, this email or address must wait before asking again; 0 when it may ask now. */
export function resetRequestWait(db: Db, email: string, address: string, now = new Date()): number {
  const since = new Date(now.getTime() - RESET_LIMITS.windowMs).toISOString();
  const wait = (count: { n: number; first: string | null }, limit: number) =>
    count.n < limit || count.first === null ? 0 : Math.max(1000, new Date(count.first).getTime() + RESET_LIMITS.windowMs - now.getTime());
  // The oldest of the last `limit` requests leaves the window first.
  const byEmail = sql(
    db,
    'SELECT count(*) AS n, min(at) AS first FROM (SELECT at FROM password_reset_requests WHERE email = ? AND at > ? ORDER BY at DESC LIMIT ?)',
  ).get(email, since, RESET_LIMITS.perEmail) as { n: number; first: string | null };
  const byAddress = sql(
    db,
    'SELECT count(*) AS n, min(at) AS first FROM (SELECT at FROM password_reset_requests WHERE address = ? AND at > ? ORDER BY at DESC LIMIT ?)',
  ).get(address, since, RESET_LIMITS.perAddress) as { n: number; first: string | null };
  return Math.max(wait(byEmail, RESET_LIMITS.perEmail), wait(byAddress, RESET_LIMITS.perAddress));
}

/**
 * Records the request and, when `email` is an active person's, makes their reset link (ending
 * any earlier one), records it in the audit log and hands it to `tell` to be emailed. Returns
 * nothing the caller could show: the answer is the same either way.
 */
export function requestPasswordReset(
  db: Db,
  key: Buffer,
  request: { email: string; address: string },
  tell: (person: { id: number; name: string }, resetId: number) => void,
  now = new Date(),
): void {
  db.transaction(() => {
    sql(db, 'INSERT INTO password_reset_requests (email, address, at) VALUES (?, ?, ?)').run(
      request.email,
      request.address,
      now.toISOString(),
    );
    const person = sql(db, "SELECT id, name FROM people WHERE email = ? AND active = 1 AND email != ''").get(request.email) as
      { id: number; name: string } | undefined;
    if (!person) return;
    sql(db, 'UPDATE password_resets SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL').run(
      now.toISOString(),
      person.id,
    );
    const salt = newSecret();
    const token = derivedSecret(key, PURPOSE, salt);
    const { lastInsertRowid } = sql(
      db,
      'INSERT INTO password_resets (person_id, token_hash, salt, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(person.id, hashSecret(token), salt, now.toISOString(), new Date(now.getTime() + RESET_MS).toISOString());
    const id = Number(lastInsertRowid);
    audit(db, { action: 'password-reset.requested', actorId: null, subjectId: person.id, address: request.address, data: { reset: id } });
    tell(person, id);
  })();
}

/** The open reset behind a link: not used, not revoked, not expired. */
export function findOpenReset(db: Db, token: string, now = new Date()): ResetRow | undefined {
  return sql(
    db,
    'SELECT id, person_id, expires_at FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
  ).get(hashSecret(token), now.toISOString()) as ResetRow | undefined;
}

/** Marks the reset used; false when someone used it first. */
export function useReset(db: Db, id: number, now = new Date()): boolean {
  return (
    sql(db, 'UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL').run(now.toISOString(), id)
      .changes > 0
  );
}

/** The secret of reset `id` made again while it is open (for the email and the outbox); else null. */
export function resetSecret(db: Db, key: Buffer, id: number, now = new Date()): string | null {
  const row = sql(
    db,
    'SELECT salt, token_hash FROM password_resets WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
  ).get(id, now.toISOString()) as { salt: string; token_hash: string } | undefined;
  if (!row) return null;
  const token = derivedSecret(key, PURPOSE, row.salt);
  return hashSecret(token) === row.token_hash ? token : null;
}

/** Retention: reset links past their end and requests older than the limiter's window, in batches. */
export function purgePasswordResets(db: Db, now = new Date()): number {
  const params = { now: now.toISOString(), since: new Date(now.getTime() - RESET_LIMITS.windowMs).toISOString() };
  deleteInBatches(
    db,
    'DELETE FROM password_reset_requests WHERE rowid IN (SELECT rowid FROM password_reset_requests WHERE at <= @since LIMIT @batch)',
    params,
  );
  return deleteInBatches(
    db,
    'DELETE FROM password_resets WHERE id IN (SELECT id FROM password_resets WHERE expires_at <= @now LIMIT @batch)',
    params,
  );
}
