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

/** How many roles the set-up form offers: the shipped runbooks name nine. */
const SETUP_ROLES = 50;

/** The roles the runbooks name, for the founder to say which they fill today ("Owner" first ticked). */
export function setupRoles(db: Db): { id: number; name: string; checked: boolean }[] {
  const roles = sql(db, `SELECT id, name FROM roles ORDER BY name COLLATE NOCASE LIMIT ${SETUP_ROLES}`).all() as {
    id: number;
    name: string;
  }[];
  return roles.map((role) => ({ ...role, checked: role.name.toLowerCase() === 'owner' }));
}

/**
 * Puts the founder in the roles they fill: primary where the role has nobody yet, otherwise
 * the last backup. Role ids that do not exist are ignored (the form offered only real ones).
 */
export function fillRolesAtSetup(db: Db, personId: number, roleIds: number[]): void {
  for (const roleId of new Set(roleIds)) {
    if (!sql(db, 'SELECT 1 FROM roles WHERE id = ?').get(roleId)) continue;
    if (sql(db, 'SELECT 1 FROM role_members WHERE role_id = ? AND person_id = ?').get(roleId, personId)) continue;
    const hasPrimary = sql(db, 'SELECT 1 FROM role_members WHERE role_id = ? AND is_primary = 1').get(roleId) !== undefined;
    sql(
      db,
      `INSERT INTO role_members (role_id, person_id, is_primary, position)
       VALUES (?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM role_members WHERE role_id = ?))`,
    ).run(roleId, personId, hasPrimary ? 0 : 1, roleId);
  }
}
