import type { Db } from '../db/open';
import { sql } from '../db/statements';

/**
 * Slows password guessing: after too many failures for one account, or from one address,
 * within the window, sign-in is refused until the oldest failure ages out. Kept in SQLite,
 * so a restart does not reset an attack in progress.
 */
export const SIGN_IN_LIMITS = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export function signInBlockedUntil(db: Db, email: string, address: string, now = new Date()): Date | null {
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMs).toISOString();
  const check = (column: 'email' | 'address', value: string, limit: number) => {
    const rows = sql(db, `SELECT at FROM sign_in_failures WHERE ${column} = ? AND at > ? ORDER BY at DESC LIMIT ?`).all(
      value,
      since,
      limit,
    ) as {
      at: string;
    }[];
    if (rows.length < limit) return null;
    const oldest = rows[rows.length - 1] as { at: string };
    return new Date(new Date(oldest.at).getTime() + SIGN_IN_LIMITS.windowMs);
  };
  const until = [check('email', email, SIGN_IN_LIMITS.perAccount), check('address', address, SIGN_IN_LIMITS.perAddress)]
    .filter((d): d is Date => d !== null)
    .sort((a, b) => b.getTime() - a.getTime());
  return until[0] ?? null;
}

export function recordSignInFailure(db: Db, email: string, address: string, now = new Date()): void {
  sql(db, 'INSERT INTO sign_in_failures (email, address, at) VALUES (?, ?, ?)').run(email, address, now.toISOString());
  // Old rows say nothing any more.
  sql(db, 'DELETE FROM sign_in_failures WHERE at < ?').run(new Date(now.getTime() - SIGN_IN_LIMITS.windowMs).toISOString());
}

export function clearSignInFailures(db: Db, email: string): void {
  sql(db, 'DELETE FROM sign_in_failures WHERE email = ?').run(email);
}
