import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';

/**
 * A value carried across one redirect, for what must be shown once and is stored nowhere in
 * the clear (a new invitation link): a form post answers with a redirect, so a refresh does
 * not post it again, and the page it redirects to shows the value once. Encrypted and
 * authenticated with the server's key (AES-256-GCM), HttpOnly, limited to that page's path,
 * two minutes at most, and cleared by the page that reads it.
 */
const FLASH_COOKIE = 'flash';
const MAX_AGE_SECONDS = 120;

const flashKey = (key: Buffer) => crypto.createHmac('sha256', key).update('flash cookie').digest();

export function setFlash(req: Request, res: Response, key: Buffer, path: string, value: unknown): void {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', flashKey(key), iv);
  // The path is sealed in with the value: a cookie moved to another page does not open there.
  cipher.setAAD(Buffer.from(path));
  const body = Buffer.concat([cipher.update(JSON.stringify({ value, until: Date.now() + MAX_AGE_SECONDS * 1000 })), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  res.append(
    'Set-Cookie',
    serialize(FLASH_COOKIE, sealed, { httpOnly: true, sameSite: 'lax', secure: req.secure, path, maxAge: MAX_AGE_SECONDS }),
  );
}

/** The value set for this page by the request before, once: the cookie is cleared as it is read. Null when none or not valid. */
export function takeFlash(req: Request, res: Response, key: Buffer): unknown {
  const sealed = parse(req.headers.cookie ?? '')[FLASH_COOKIE];
  if (!sealed) return null;
  res.append('Set-Cookie', serialize(FLASH_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: req.secure, path: req.path, maxAge: 0 }));
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', flashKey(key), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(req.path));
    decipher.setAuthTag(raw.subarray(12, 28));
    const { value, until } = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as {
      value: unknown;
      until: number;
    };
    return until >= Date.now() ? value : null;
  } catch {
    return null;
  }
}
