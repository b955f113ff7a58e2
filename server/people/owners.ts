import type { Db } from '../db/open';
import { UnprocessableError } from '../http/errors';
import { findPerson, findPersonByName, type PersonRow } from './repo';
import { findRoleByName, insertRole, type RoleRow } from './roles-repo';
import { refuseIfAway, today } from './absences';
import { sql } from '../db/statements';

/**
 * Who an `Owner:` name means. A role name wins over a person's name (the format prefers
 * roles); a name that matches nothing resolves to nothing, which is shown as a gap.
 */
export type OwnerResolution =
  | { kind: 'role'; role: RoleRow; assignee: { id: number; name: string } | null }
  | { kind: 'person'; person: PersonRow; assignee: { id: number; name: string } | null }
  | { kind: 'none' };

/**
 * What else decides who takes a step: its due time (whoever is away on that day passes it on,
 * like whoever is away on the day the run starts), and, for the step-away simulator, one more
 * person to treat as away.
 */
export interface AssignOptions {
  dueAt?: Date | null;
  alsoAway?: number | null;
}

export function resolveOwner(db: Db, name: string | null, now: Date = new Date(), options: AssignOptions = {}): OwnerResolution {
  return assignNamed(db, namedBy(db, name), now, options);
}

/** The role or person an `Owner:` name means, before anyone is chosen (the half of resolveOwner that does not depend on the day). */
export type NamedOwner = { kind: 'role'; role: RoleRow } | { kind: 'person'; person: PersonRow } | { kind: 'none' };

export function namedBy(db: Db, name: string | null): NamedOwner {
  if (name === null) return { kind: 'none' };
  const role = findRoleByName(db, name);
  if (role) return { kind: 'role', role };
  const person = findPersonByName(db, name);
  if (person) return { kind: 'person', person };
  return { kind: 'none' };
}

/** Who takes a step owned by `named` on this day (the other half of resolveOwner). */
export function assignNamed(db: Db, named: NamedOwner, now: Date = new Date(), options: AssignOptions = {}): OwnerResolution {
  if (named.kind === 'role') return { kind: 'role', role: named.role, assignee: pickRoleAssignee(db, named.role.id, now, options) };
  if (named.kind === 'person')
    return {
      kind: 'person',
      person: named.person,
      assignee: named.person.active ? { id: named.person.id, name: named.person.name } : null,
    };
  return { kind: 'none' };
}

/**
 * The primary if active and away neither on the day the run starts nor on the day the step is
 * due, else the first such backup, else nobody: a step nobody present can take is a gap the
 * owner sees, not a step waiting on someone's holiday. A step that names a person (not a role)
 * still goes to them: there is no backup to choose.
 */
export function pickRoleAssignee(
  db: Db,
  roleId: number,
  now: Date = new Date(),
  options: AssignOptions = {},
): { id: number; name: string } | null {
  const member = sql(
    db,
    `SELECT p.id, p.name FROM role_members m JOIN people p ON p.id = m.person_id
      WHERE m.role_id = @role AND p.active = 1 AND p.id IS NOT @alsoAway
        AND NOT EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = p.id
                         AND ((a.starts_on <= @today AND a.ends_on >= @today) OR (a.starts_on <= @dueDay AND a.ends_on >= @dueDay)))
      ORDER BY m.is_primary DESC, m.position, p.id LIMIT 1`,
  ).get({
    role: roleId,
    today: today(now),
    dueDay: today(options.dueAt ?? now),
    alsoAway: options.alsoAway ?? null,
  }) as { id: number; name: string } | undefined;
  return member ?? null;
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

/**
 * Whom a step may be given to (a reassignment, a hand-off): someone who exists, is active and
 * is not away today. Refused naming `field`, with nothing changed.
 */
export function stepRecipient(db: Db, personId: number, field: string, now: Date = new Date()): PersonRow {
  const to = findPerson(db, personId);
  if (!to) throw new UnprocessableError('unknown-person', `${field}: person ${personId} does not exist`, field);
  if (!to.active) throw new UnprocessableError('inactive-person', `${field}: ${to.name} is inactive and cannot take steps`, field);
  refuseIfAway(db, to, field, now);
  return to;
}
