import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import { SESSION_COOKIE } from './sessions';

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
 * posts), Secure whenever the request came over HTTPS (directly, or through a proxy the
 * TRUST_PROXY setting names).
 */
export function setSessionCookie(req: Request, res: Response, value: string, expiresAt: string): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: new Date(expiresAt) }),
  );
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 0 }));
}
