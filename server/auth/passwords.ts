import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type * as Zxcvbn from '@zxcvbn-ts/language-common';

/** argon2id at OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane. */
// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read at run time).
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const PASSWORD_HINT = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters; a phrase of a few words is easy to remember and hard to guess.`;

// The common-password list is read the first time a password is chosen, not at start: it
// holds about 5 MB that a running server rarely needs.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when first needed, typed above
  const { dictionary } = require('@zxcvbn-ts/language-common') as typeof Zxcvbn;
  return (common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));
}

/** Why a new password will not do, or null when it will. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'is one of the most common passwords; choose another';
  if (person.email && lower === person.email.toLowerCase()) return 'must not be your email address';
  if (person.name && lower === person.name.toLowerCase()) return 'must not be your name';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A hash of nothing anyone knows, verified when the email is unknown, so that a wrong email
 * takes as long to refuse as a wrong password and the answer gives nothing away.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
