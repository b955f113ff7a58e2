import type { Request, Response } from 'express';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import { audit } from '../audit/repo';
import { clearSessionCookie, setSessionCookie } from './cookies';
import { decoyHash, verifyPassword } from './passwords';
import { clearSignInFailures, recordSignInFailure, signInBlockedUntil } from './limiter';
import { createSession, destroySession } from './sessions';

const WRONG = 'That email and password do not match an account';

/**
 * Checks an email and password and, if they match an active account, starts a new session
 * (a new id: whatever session the browser had before is destroyed, so a planted session id
 * is worth nothing). Unknown email and wrong password get the same answer in the same time.
 */
export async function signIn(db: Db, req: Request, res: Response, email: string, password: string): Promise<number> {
  const address = req.ip ?? 'unknown';
  const blockedUntil = signInBlockedUntil(db, email, address);
  if (blockedUntil) {
    const seconds = Math.max(1, Math.ceil((blockedUntil.getTime() - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    res.setHeader('Retry-After', String(seconds));
    throw new AppError(
      429,
      'too-many-attempts',
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      'email',
    );
  }
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
  clearSignInFailures(db, email);
  startSessionFor(db, req, res, account.id);
  audit(db, { action: 'sign-in.ok', actorId: account.id, subjectId: account.id, address });
  return account.id;
}

/** Replaces the browser's session with a new one for this person (or link). */
export function startSessionFor(db: Db, req: Request, res: Response, personId: number, link?: { id: number; expiresAt: string }): void {
  if (req.session) destroySession(db, req.session.id_hash);
  const { cookie, session } = createSession(db, {
    personId,
    linkId: link?.id ?? null,
    ...(link ? { expiresAt: new Date(link.expiresAt) } : {}),
  });
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

/** A visitor's session, so that a form shown before sign-in can carry a CSRF token. */
export function ensureVisitorSession(db: Db, req: Request, res: Response): string {
  if (!req.session) {
    const { cookie, session } = createSession(db, { personId: null });
    req.session = session;
    setSessionCookie(req, res, cookie, session.expires_at);
  }
  return req.session.csrf_token;
}
