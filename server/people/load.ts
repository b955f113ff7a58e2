import type { Db } from '../db/open';
import type { Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { NotFoundError } from '../http/errors';
import { idParam } from '../http/validate';
import { findPerson, type PersonRow } from './repo';
import { findRole, type RoleRow } from './roles-repo';

/**
 * The person a request is about (API or page). Someone the viewer may not even know of
 * (another person, to an outsourcer) is "not found", exactly like a missing id; what the
 * viewer may then do with them is each route's own rule.
 */
export function loadPerson(db: Db, raw: string | undefined, actor: Actor): PersonRow {
  const id = idParam(raw);
  if (id === null || !can(actor, { action: 'person.read', personId: id })) throw new NotFoundError(`Person ${raw}`);
  const person = findPerson(db, id);
  if (!person) throw new NotFoundError(`Person ${raw}`);
  return person;
}

/** The role a page is about (roles are for the team); a missing one is simply not found. */
export function loadRole(db: Db, raw: string | undefined, actor: Actor): RoleRow {
  authorize(actor, { action: 'roles.read' });
  const id = idParam(raw);
  const role = id === null ? undefined : findRole(db, id);
  if (!role) throw new NotFoundError(`Role ${raw}`);
  return role;
}
