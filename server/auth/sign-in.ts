import type { Request, Response } from 'express';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import { audit } from '../audit/repo';
import { clearSessionCookie, setSessionCookie } from './cookies';
import { decoyHash, verifyPassword } from './passwords';
import { clearSignInFailures, recordSignInFailure, signInWait } from './limiter';
import { createSession, destroySession } from './sessions';

const WRONG = 'That email and password do not match an account';

/** "in 4 seconds", "in 2 minutes": how long a slowed sign-in must wait, as people say it. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * Refuses with 429 while this account and address must wait (server/auth/limiter.ts), saying
 * how long. The account page's check of the current password is slowed the same way.
 */
export function refuseWhileSlowed(db: Db, res: Response, email: string, address: string, field: string): void {
  const wait = signInWait(db, email, address);
  if (wait <= 0) return;
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
  throw new AppError(429, 'too-many-attempts', `Too many failed sign-ins from here. Try again in ${waitText(wait)}.`, field);
}

/**
 * Checks an email and password and, if they match an active account, starts a new session
 * (a new id: whatever session the browser had before is destroyed, so a planted session id
 * is worth nothing). Unknown email and wrong password get the same answer in the same time.
 */
export async function signIn(db: Db, req: Request, res: Response, email: string, password: string): Promise<number> {
  const address = req.ip ?? 'unknown';
  refuseWhileSlowed(db, res, email, address, 'email');
  // Counted as failed until proven otherwise: checking a password takes tens of milliseconds,
  // and guesses sent all at once must not all pass the limit check before any is counted.
  recordSignInFailure(db, email, address);
  const account = sql(
    db,
    `SELECT p.id, c.password_hash FROM people p JOIN credentials c ON c.person_id = p.id
      WHERE p.email = ? AND p.active = 1`,
  ).get(email) as { id: number; password_hash: string } | undefined;
  const ok = await verifyPassword(account?.password_hash ?? (await decoyHash()), password);
  if (!account || !ok) {
    audit(db, { action: 'sign-in.failed', actorId: null, subjectId: account?.id ?? null, address, data: { email } });
    throw new AppError(401, 'sign-in-failed', WRONG, 'email');
  }
  clearSignInFailures(db, email, address);
  startSessionFor(db, req, res, account.id);
  audit(db, { action: 'sign-in.ok', actorId: account.id, subjectId: account.id, address });
  return account.id;
}

/** Replaces the browser's session with a new one for this person (or their personal link). */
export function startSessionFor(db: Db, req: Request, res: Response, personId: number, linkId: number | null = null): void {
  if (req.session) destroySession(db, req.session.id_hash);
  const { cookie, session } = createSession(db, { personId, linkId });
  req.session = session;
  setSessionCookie(req, res, cookie, session.expires_at);
}

export function signOut(db: Db, req: Request, res: Response): void {
  if (req.session) {
    destroySession(db, req.session.id_hash);
    if (req.actor) audit(db, { action: 'sign-out', actorId: req.actor.id, subjectId: req.actor.id, address: req.ip ?? null });
  }
  clearSessionCookie(req, res);
}
