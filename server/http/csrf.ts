import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { AppError } from './errors';

/**
 * CSRF protection for every state-changing request a browser could be tricked into sending.
 * The token must come back in the form (`_csrf`) or the `X-CSRF-Token` header:
 *
 * - signed in (a session): the session's own token, stored with it (a synchroniser token);
 * - a visitor (the sign-in, set-up and invitation forms): nothing is stored. The browser gets
 *   a cookie holding a random nonce, and the form a keyed hash of that nonce (a signed
 *   double-submit): another site can neither read the cookie nor make the hash of one.
 *
 * Bearer-token requests carry no ambient credential, so they are exempt; so is an API request
 * (`api`) with no session at all (it is refused as anonymous by its route instead).
 */
export const FORM_COOKIE = 'rb_form';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const NONCE = /^[\w-]{43}$/;

const visitorToken = (key: Buffer, nonce: string) => crypto.createHmac('sha256', key).update(`form\0${nonce}`).digest('base64url');

const formNonce = (req: Request): string | undefined => {
  const nonce = req.headers.cookie ? parseCookies(req.headers.cookie)[FORM_COOKIE] : undefined;
  return nonce !== undefined && NONCE.test(nonce) ? nonce : undefined;
};

/**
 * The token a page's forms carry: the session's, or for a visitor the hash of their form
 * cookie's nonce (setting the cookie if they have none yet).
 */
export function csrfTokenFor(req: Request, res: Response, key: Buffer): string {
  if (req.session) return req.session.csrf_token;
  let nonce = (res.locals.formNonce as string | undefined) ?? formNonce(req);
  if (!nonce) {
    nonce = crypto.randomBytes(32).toString('base64url');
    res.append('Set-Cookie', serialize(FORM_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' }));
  }
  res.locals.formNonce = nonce;
  return visitorToken(key, nonce);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export function csrfProtection({ api, key }: { api: boolean; key: Buffer }): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method) || req.actor?.via === 'token' || (api && !req.session)) return next();
    const fromForm = (req.body as Record<string, unknown> | undefined)?._csrf;
    const header = req.headers['x-csrf-token'];
    const given = typeof fromForm === 'string' ? fromForm : typeof header === 'string' ? header : undefined;
    const nonce = req.session ? undefined : formNonce(req);
    const expected = req.session ? req.session.csrf_token : nonce && visitorToken(key, nonce);
    if (given === undefined || !expected || !sameText(given, expected)) {
      throw new AppError(403, 'csrf-invalid', 'This form has expired or did not come from this site. Reload the page and try again.');
    }
    next();
  };
}
