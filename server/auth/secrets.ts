import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Random secrets for cookies, links and API tokens: 32 random bytes, so a stored sha256 of
 * one is as good as the secret is unguessable (no slow hash needed, unlike passwords).
 */
export function newSecret(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

// crypto.hash (Node 20.12+) is the one-shot form: a third of the cost, the same digest.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/**
 * A secret the server can make again from what it stores (a random salt) and its own key:
 * the same salt and key always give the same secret, and without the key nobody can. Only
 * the sha256 of the result is stored, as for every other secret.
 */
export function derivedSecret(key: Buffer, purpose: string, salt: string): string {
  return crypto.createHmac('sha256', key).update(`${purpose}\0${salt}`).digest('base64url');
}

/**
 * The server's key, read from `file`, or made there (readable by this user only) on the first
 * start. It is kept out of the database, so that a copy of the database alone gives no live
 * personal link.
 */
export function loadKeyFile(file: string): Buffer {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    const key = Buffer.from(text, 'base64url');
    if (key.length >= 32) return key;
    throw new Error(`${file} does not hold a key (32 random bytes, base64url); delete it to make a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // 'wx': two servers starting at once must not each write their own key.
  try {
    fs.writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadKeyFile(file);
    throw error;
  }
  return key;
}
