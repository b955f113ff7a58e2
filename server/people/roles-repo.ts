import type { Db } from '../db/open';
import { COUNT_CAP, countUpTo, sql } from '../db/statements';

export interface RoleRow {
  id: number;
  name: string;
  description: string;
  created_at: string;
  /** 1 when no active person fills the role: its steps depend on nobody. */
  is_gap: number;
}

/**
 * A role is a gap when no active person fills it (of a role aliased r). Written once, here:
 * every list of roles, the roles API, the People page, Home and GET /api/gaps use it.
 */
export const ROLE_IS_GAP = `NOT EXISTS (SELECT 1 FROM role_members m JOIN people p ON p.id = m.person_id WHERE m.role_id = r.id AND p.active = 1)`;
const ROLE = `SELECT r.id, r.name, r.description, r.created_at, ${ROLE_IS_GAP} AS is_gap FROM roles r`;

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

/** Roles by name, a page at a time: up to `limit` after the name `after` (names are unique, case aside). */
export function listRolesAfter(db: Db, after: string, limit: number): RoleRow[] {
  return sql(db, `${ROLE} WHERE r.name > @after ORDER BY r.name LIMIT @limit`).all({ after, limit }) as RoleRow[];
}

/** The members of these roles, in hand-off order. */
export function membersOf(db: Db, roleIds: number[]): RoleMemberRow[] {
  return sql(
    db,
    `SELECT m.role_id, m.person_id, p.name, m.is_primary, m.position, p.active
         FROM role_members m JOIN people p ON p.id = m.person_id
        WHERE m.role_id IN (SELECT value FROM json_each(@ids))
        ORDER BY m.role_id, m.is_primary DESC, m.position, p.id`,
  ).all({ ids: JSON.stringify(roleIds) }) as RoleMemberRow[];
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
  return rolesOfPeople(db, [personId]);
}

/** The roles of these people (person_id says whose), by role name. */
export function rolesOfPeople(db: Db, personIds: number[]) {
  return sql(
    db,
    `SELECT m.person_id, r.id, r.name, m.is_primary,
            (SELECT count(*) FROM role_members o
              WHERE o.role_id = m.role_id AND o.is_primary = 0 AND o.position < m.position) + 1 AS backup_rank
       FROM role_members m JOIN roles r ON r.id = m.role_id
      WHERE m.person_id IN (SELECT value FROM json_each(@ids))
      ORDER BY r.name COLLATE NOCASE`,
  ).all({ ids: JSON.stringify(personIds) }) as { person_id: number; id: number; name: string; is_primary: number; backup_rank: number }[];
}

/** Names in the order SQLite's NOCASE gives them (ASCII letters without case), as the SQL lists sort. */
const byName = (a: string, b: string) => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};

export interface OwnedStep {
  slug: string;
  runbook_title: string;
  position: number;
  title: string;
}

// Steps of current, unarchived runbooks naming the role themselves (runbook_steps_owner), and
// steps naming nobody in runbooks owned by the role (runbook_versions_owner).
const NAMED_BY_STEP = `SELECT b.slug, v.title AS runbook_title, s.position, s.title
   FROM runbook_steps s JOIN runbooks b ON b.current_version_id = s.version_id JOIN runbook_versions v ON v.id = s.version_id
  WHERE s.owner = @name COLLATE NOCASE AND b.archived_at IS NULL`;
const NAMED_BY_RUNBOOK = `SELECT b.slug, v.title AS runbook_title, s.position, s.title
   FROM runbook_versions v JOIN runbooks b ON b.current_version_id = v.id JOIN runbook_steps s ON s.version_id = v.id
  WHERE v.owner = @name COLLATE NOCASE AND s.owner IS NULL AND b.archived_at IS NULL`;

/**
 * Steps of current, unarchived runbooks that name this role as their owner (or inherit it):
 * the first `limit` found (by runbook title), and how many there are (up to COUNT_CAP). Found
 * through the owner indexes, so a role named by a few steps of a large library costs a few rows.
 */
export function stepsOwnedBy(db: Db, roleName: string, limit = 50, counted = true): { steps: OwnedStep[]; count: number | null } {
  const params = { name: roleName, limit };
  const steps = [
    ...(sql(db, `${NAMED_BY_STEP} ORDER BY s.id LIMIT @limit`).all(params) as OwnedStep[]),
    ...(sql(db, `${NAMED_BY_RUNBOOK} ORDER BY v.id, s.position LIMIT @limit`).all(params) as OwnedStep[]),
  ]
    .sort((a, b) => byName(a.runbook_title, b.runbook_title) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0) || a.position - b.position)
    .slice(0, limit);
  const count = counted ? Math.min(COUNT_CAP, countUpTo(db, NAMED_BY_STEP, params) + countUpTo(db, NAMED_BY_RUNBOOK, params)) : null;
  return { steps, count };
}

/**
 * The roles a hand-off of this person's steps may narrow to: those they fill, and those of any
 * open step they hold (a step given to them by hand keeps its role). By name.
 */
export function handOffRoles(db: Db, personId: number): { id: number; name: string }[] {
  return sql(
    db,
    `SELECT r.id, r.name FROM roles r
      WHERE r.id IN (SELECT role_id FROM role_members WHERE person_id = @person)
         -- A probe per role (run_steps_open_by_assignee_role): never a read of every open step they hold.
         OR EXISTS (SELECT 1 FROM run_steps s WHERE s.assignee_id = @person AND s.role_id = r.id AND s.status = 'open')
      ORDER BY r.name COLLATE NOCASE`,
  ).all({ person: personId }) as { id: number; name: string }[];
}
