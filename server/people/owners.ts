import type { Db } from '../db/open';
import { findPersonByName, findRoleByName, insertRole, listRoleMembers, type PersonRow, type RoleRow } from './repo';
import { sql } from '../db/statements';

/**
 * Who an `Owner:` name means. A role name wins over a person's name (the format prefers
 * roles); a name that matches nothing resolves to nothing, which is shown as a gap.
 */
export type OwnerResolution =
  | { kind: 'role'; role: RoleRow; assignee: { id: number; name: string } | null }
  | { kind: 'person'; person: PersonRow; assignee: { id: number; name: string } | null }
  | { kind: 'none' };

export function resolveOwner(db: Db, name: string | null): OwnerResolution {
  if (name === null) return { kind: 'none' };
  const role = findRoleByName(db, name);
  if (role) return { kind: 'role', role, assignee: pickRoleAssignee(db, role.id) };
  const person = findPersonByName(db, name);
  if (person) return { kind: 'person', person, assignee: person.active ? { id: person.id, name: person.name } : null };
  return { kind: 'none' };
}

/** The primary if active, else the first active backup, else nobody. */
export function pickRoleAssignee(db: Db, roleId: number): { id: number; name: string } | null {
  const member = listRoleMembers(db, roleId).find((m) => m.active === 1);
  return member ? { id: member.person_id, name: member.name } : null;
}

/**
 * Creates an empty role for each owner name that matches no role and no person, so that
 * the gap is visible (GET /api/gaps) until someone fills it. Returns the roles created.
 */
export function ensureOwnerRoles(db: Db, names: Iterable<string>): RoleRow[] {
  const created: RoleRow[] = [];
  for (const name of new Set(names)) {
    const anyPerson = sql(db, 'SELECT 1 FROM people WHERE name = ? COLLATE NOCASE').get(name);
    if (findRoleByName(db, name) || anyPerson) continue;
    created.push(insertRole(db, name, ''));
  }
  return created;
}
