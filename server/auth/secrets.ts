import crypto from 'node:crypto';

/**
 * Random secrets for cookies, links and API tokens: 32 random bytes, so a stored sha256 of
 * one is as good as the secret is unguessable (no slow hash needed, unlike passwords).
 */
export function newSecret(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
