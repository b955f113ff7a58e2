import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { hashSecret, newSecret } from './secrets';

/** True once an owner who can sign in exists: until then only the set-up link works. */
export function setupDone(db: Db): boolean {
  return (
    sql(
      db,
      `SELECT 1 FROM people p JOIN credentials c ON c.person_id = p.id
        WHERE p.access_level = 'owner' AND p.active = 1 LIMIT 1`,
    ).get() !== undefined
  );
}

/**
 * On a start with no owner: a fresh one-time set-up token (earlier unused ones stop working,
 * so only the newest printed link is live). Returns null when set-up is already done.
 */
export function issueSetupToken(db: Db): string | null {
  if (setupDone(db)) {
    // An owner exists (maybe made with the CLI): a link printed earlier must die now.
    sql(db, 'DELETE FROM setup_tokens WHERE used_at IS NULL').run();
    return null;
  }
  const token = newSecret();
  db.transaction(() => {
    sql(db, 'DELETE FROM setup_tokens WHERE used_at IS NULL').run();
    sql(db, 'INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hashSecret(token), new Date().toISOString());
  })();
  return token;
}

/** A set-up link works once, and only while no owner exists: afterwards it would hand over the owner account. */
export function setupTokenValid(db: Db, token: string): boolean {
  return (
    !setupDone(db) && sql(db, 'SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL').get(hashSecret(token)) !== undefined
  );
}

export function useSetupToken(db: Db, token: string): boolean {
  return (
    setupTokenValid(db, token) &&
    sql(db, 'UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(new Date().toISOString(), hashSecret(token))
      .changes > 0
  );
}
