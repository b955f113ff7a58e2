import type { Db } from '../db/open';
import { sql } from '../db/statements';

export interface RoleRow {
  id: number;
  name: string;
  description: string;
  created_at: string;
  /** 1 when no active person fills the role: its steps depend on nobody. */
  is_gap: number;
}

/**
 * A role is a gap when no active person fills it. Written once, here: every list of roles,
 * the roles API, the People page and GET /api/gaps read it from this column.
 */
const ROLE = `SELECT r.id, r.name, r.description, r.created_at,
       NOT EXISTS (SELECT 1 FROM role_members m JOIN people p ON p.id = m.person_id WHERE m.role_id = r.id AND p.active = 1) AS is_gap
  FROM roles r`;

export interface RoleMemberRow {
  role_id: number;
  person_id: number;
  name: string;
  is_primary: number;
  position: number;
  active: number;
}

export function listRoles(db: Db): RoleRow[] {
  return sql(db, `${ROLE} ORDER BY r.name COLLATE NOCASE`).all() as RoleRow[];
}

export function findRole(db: Db, id: number): RoleRow | undefined {
  return sql(db, `${ROLE} WHERE r.id = ?`).get(id) as RoleRow | undefined;
}

export function findRoleByName(db: Db, name: string): RoleRow | undefined {
  return sql(db, `${ROLE} WHERE r.name = ?`).get(name) as RoleRow | undefined;
}

export function insertRole(db: Db, name: string, description = ''): RoleRow {
  const { lastInsertRowid } = sql(db, 'INSERT INTO roles (name, description, created_at) VALUES (?, ?, ?)').run(
    name,
    description,
    new Date().toISOString(),
  );
  return findRole(db, Number(lastInsertRowid)) as RoleRow;
}

/** Members in hand-off order: the primary first, then backups as they were added. */
export function listRoleMembers(db: Db, roleId?: number): RoleMemberRow[] {
  return sql(
    db,
    `SELECT m.role_id, m.person_id, p.name, m.is_primary, m.position, p.active
         FROM role_members m JOIN people p ON p.id = m.person_id
        WHERE @roleId IS NULL OR m.role_id = @roleId
        ORDER BY m.role_id, m.is_primary DESC, m.position, p.id`,
  ).all({ roleId: roleId ?? null }) as RoleMemberRow[];
}

/**
 * Adds a person to a role or updates their membership. The first member becomes primary;
 * making someone primary demotes the previous primary to first backup.
 */
export function upsertRoleMember(db: Db, roleId: number, personId: number, primary: boolean | undefined): void {
  db.transaction(() => {
    const members = listRoleMembers(db, roleId);
    const existing = members.find((m) => m.person_id === personId);
    const becomesPrimary = primary ?? (members.length === 0 || existing?.is_primary === 1);
    if (becomesPrimary) sql(db, 'UPDATE role_members SET is_primary = 0 WHERE role_id = ?').run(roleId);
    if (existing) {
      sql(db, 'UPDATE role_members SET is_primary = ? WHERE role_id = ? AND person_id = ?').run(becomesPrimary ? 1 : 0, roleId, personId);
    } else {
      const position = members.reduce((max, m) => Math.max(max, m.position), 0) + 1;
      sql(db, 'INSERT INTO role_members (role_id, person_id, is_primary, position) VALUES (?, ?, ?, ?)').run(
        roleId,
        personId,
        becomesPrimary ? 1 : 0,
        position,
      );
    }
    // A role with members always has a primary.
    const stillPrimary = sql(db, 'SELECT 1 FROM role_members WHERE role_id = ? AND is_primary = 1').get(roleId);
    if (!stillPrimary) {
      sql(
        db,
        `UPDATE role_members SET is_primary = 1
          WHERE role_id = ? AND person_id = (SELECT person_id FROM role_members WHERE role_id = ? ORDER BY position LIMIT 1)`,
      ).run(roleId, roleId);
    }
  })();
}

export function removeRoleMember(db: Db, roleId: number, personId: number): boolean {
  return db.transaction(() => {
    const { changes } = sql(db, 'DELETE FROM role_members WHERE role_id = ? AND person_id = ?').run(roleId, personId);
    sql(
      db,
      `UPDATE role_members SET is_primary = 1
        WHERE role_id = ? AND NOT EXISTS (SELECT 1 FROM role_members WHERE role_id = ? AND is_primary = 1)
          AND person_id = (SELECT person_id FROM role_members WHERE role_id = ? ORDER BY position LIMIT 1)`,
    ).run(roleId, roleId, roleId);
    return changes > 0;
  })();
}

/** The roles a person is in, with where they stand: primary, or their place among the backups. */
export function rolesOf(db: Db, personId: number) {
  return sql(
    db,
    `SELECT r.id, r.name, m.is_primary,
            (SELECT count(*) FROM role_members o
              WHERE o.role_id = m.role_id AND o.is_primary = 0 AND o.position < m.position) + 1 AS backup_rank
       FROM role_members m JOIN roles r ON r.id = m.role_id
      WHERE m.person_id = ?
      ORDER BY r.name COLLATE NOCASE`,
  ).all(personId) as { id: number; name: string; is_primary: number; backup_rank: number }[];
}

/** Steps of current, unarchived runbooks that name this role as their owner (or inherit it). */
export function stepsOwnedBy(db: Db, roleName: string) {
  return sql(
    db,
    `SELECT b.slug, v.title AS runbook_title, s.position, s.title
       FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
       JOIN runbook_steps s ON s.version_id = v.id
      WHERE b.archived_at IS NULL AND coalesce(s.owner, v.owner) = ? COLLATE NOCASE
      ORDER BY v.title COLLATE NOCASE, b.slug, s.position`,
  ).all(roleName) as { slug: string; runbook_title: string; position: number; title: string }[];
}
