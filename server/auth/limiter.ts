import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { audit } from '../audit/repo';

/**
 * Slows password guessing without giving anyone a way to lock a person out. Failed sign-ins
 * are counted for one account from one address (a pair), and for one address whatever the
 * account, within a window. Past a free allowance, the pair (or address) must wait after its
 * latest failure: 1 second, then twice as long at each failure, up to a cap. Nothing is ever
 * counted against the account alone, so the right password from an address that has not been
 * failing signs in at once, whatever is happening elsewhere.
 *
 * A burst (many failures for one account from several addresses: guessing spread out to stay
 * under the pair allowance) takes the allowance away from those addresses: each is slowed
 * from its first failure for that account. It is written to the audit log, once a window.
 * Kept in SQLite, so a restart does not reset an attack in progress.
 */
export const SIGN_IN_LIMITS = {
  windowMs: 15 * 60_000,
  /** Free failures for one account from one address. */
  perPair: 5,
  /** Free failures from one address, whatever the accounts. */
  perAddress: 20,
  /** A burst: this many failures for one account in the window… */
  burstFailures: 10,
  /** …from at least this many addresses. */
  burstAddresses: 3,
  /** The longest wait for a pair, and for an address (shared by everyone behind it: kept short). */
  pairCapMs: 5 * 60_000,
  addressCapMs: 30_000,
};

interface Count {
  n: number;
  last: string | null;
}

/** How long a key with `count` failures must still wait at `now`, in ms (0: it may try). */
function waitFor(count: Count, allowance: number, capMs: number, now: Date): number {
  if (count.n < allowance || count.last === null) return 0;
  const delay = Math.min(1000 * 2 ** Math.min(count.n - allowance, 30), capMs);
  return Math.max(0, new Date(count.last).getTime() + delay - now.getTime());
}

const since = (now: Date) => new Date(now.getTime() - SIGN_IN_LIMITS.windowMs).toISOString();

function burstOn(db: Db, email: string, now: Date): { failures: number; addresses: number } | null {
  const row = sql(
    db,
    'SELECT count(*) AS failures, count(DISTINCT address) AS addresses FROM sign_in_failures WHERE email = ? AND at > ?',
  ).get(email, since(now)) as { failures: number; addresses: number };
  return row.failures >= SIGN_IN_LIMITS.burstFailures && row.addresses >= SIGN_IN_LIMITS.burstAddresses ? row : null;
}

/** How long this account and address must wait before trying again, in ms; 0 when they may try now. */
export function signInWait(db: Db, email: string, address: string, now = new Date()): number {
  const from = since(now);
  const pair = sql(db, 'SELECT count(*) AS n, max(at) AS last FROM sign_in_failures WHERE email = ? AND address = ? AND at > ?').get(
    email,
    address,
    from,
  ) as Count;
  const fromAddress = sql(db, 'SELECT count(*) AS n, max(at) AS last FROM sign_in_failures WHERE address = ? AND at > ?').get(
    address,
    from,
  ) as Count;
  const pairAllowance = pair.n > 0 && burstOn(db, email, now) ? 1 : SIGN_IN_LIMITS.perPair;
  return Math.max(
    waitFor(pair, pairAllowance, SIGN_IN_LIMITS.pairCapMs, now),
    waitFor(fromAddress, SIGN_IN_LIMITS.perAddress, SIGN_IN_LIMITS.addressCapMs, now),
  );
}

/** Counts a failure; the failure that makes a burst of it is written to the audit log (once a window). */
export function recordSignInFailure(db: Db, email: string, address: string, now = new Date()): void {
  sql(db, 'INSERT INTO sign_in_failures (email, address, at) VALUES (?, ?, ?)').run(email, address, now.toISOString());
  const burst = burstOn(db, email, now);
  if (!burst) return;
  const told = sql(
    db,
    "SELECT 1 FROM audit_log WHERE action = 'sign-in.burst' AND at > ? AND json_extract(data, '$.email') = ? LIMIT 1",
  ).get(since(now), email);
  if (!told) {
    const account = sql(db, 'SELECT id FROM people WHERE email = ?').get(email) as { id: number } | undefined;
    audit(db, { action: 'sign-in.burst', actorId: null, subjectId: account?.id ?? null, address, data: { email, ...burst } });
  }
}

/** A sign-in that worked forgets that pair's failures (not the address's with other accounts). */
export function clearSignInFailures(db: Db, email: string, address: string): void {
  sql(db, 'DELETE FROM sign_in_failures WHERE email = ? AND address = ?').run(email, address);
}

/** Deletes failures older than the window: they count for nothing any more. */
export function purgeSignInFailures(db: Db, now = new Date()): number {
  return sql(db, 'DELETE FROM sign_in_failures WHERE at <= ?').run(since(now)).changes;
}
