import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import { audit } from '../audit/repo';
import { hashPassword, passwordProblem } from './passwords';
import { endSessionsOf } from './sessions';
import { revokeAllLinks } from './links';
import { revokeAllApiTokens } from './tokens';

/** Where a password was set, for the audit log. */
export type PasswordDoor = 'setup' | 'invitation' | 'account' | 'cli' | 'reset';

/**
 * A new password as it will be stored, or a 422 naming the field when the policy refuses it.
 * Hashing is slow (argon2id): do it before the transaction that saves it.
 */
export async function hashNewPassword(password: string, person: { email?: string; name?: string }): Promise<string> {
  const problem = passwordProblem(password, person);
  if (problem) throw new AppError(422, 'weak-password', `Password ${problem}`, 'password');
  return hashPassword(password);
}

/**
 * Saves a person's new password: the one place that does, for the set-up page, invitations,
 * the account page and the command line. A new password ends everything else that acts as the
 * person (whoever had the old one may hold any of these): their other sessions (all but
 * `keepSession`, the browser that set it), their personal links, open invitations and API
 * tokens. All in one transaction, with its audit entry.
 */
export function setPassword(
  db: Db,
  personId: number,
  hash: string,
  by: { actorId: number | null; address: string | null; door: PasswordDoor; keepSession?: string },
): { sessions: number; links: number; tokens: number } {
  return db.transaction(() => {
    sql(
      db,
      `INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
    ).run(personId, hash, new Date().toISOString());
    const sessions = endSessionsOf(db, personId, by.keepSession);
    const { links } = revokeAllLinks(db, personId);
    const tokens = revokeAllApiTokens(db, personId);
    audit(db, {
      action: 'password.changed',
      actorId: by.actorId,
      subjectId: personId,
      address: by.address,
      data: { via: by.door, ended: { sessions, links, tokens } },
    });
    return { sessions, links, tokens };
  })();
}
