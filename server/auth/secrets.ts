import crypto from 'node:crypto';

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
