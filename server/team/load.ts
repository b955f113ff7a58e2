import type { Db } from '../db/open';
import type { Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { NotFoundError } from '../http/errors';
import { idParam } from '../http/validate';
import { findPerson, findRole, type PersonRow, type RoleRow } from '../people/repo';

/**
 * The person a team page is about. Someone the viewer may not even know of (another person,
 * to an outsourcer) is "not found", exactly like a missing id. The pages are for the team,
 * except that everyone may see their own profile (`ownProfile`, for the person page itself).
 */
export function loadPerson(db: Db, raw: string | undefined, actor: Actor, options: { ownProfile?: boolean } = {}): PersonRow {
  const id = idParam(raw);
  if (id === null || !can(actor, { action: 'person.read', personId: id })) throw new NotFoundError(`Person ${raw}`);
  const person = findPerson(db, id);
  if (!person) throw new NotFoundError(`Person ${raw}`);
  if (!(options.ownProfile && person.id === actor.id)) authorize(actor, { action: 'people.list' });
  return person;
}

export function loadRole(db: Db, raw: string | undefined, actor: Actor): RoleRow {
  authorize(actor, { action: 'roles.read' });
  const id = idParam(raw);
  const role = id === null ? undefined : findRole(db, id);
  if (!role) throw new NotFoundError(`Role ${raw}`);
  return role;
}

/** Messages after a change (POST, then redirect, then GET): a fixed set, never text from the URL. */
const NOTICES = {
  added: 'Added.',
  saved: 'Saved.',
  level: 'Access level changed.',
  deactivated: 'Deactivated: their sessions, API tokens and links have ended. Their open steps show as gaps.',
  reactivated: 'Reactivated. A password they set still works; links and API tokens that ended stay ended.',
  'link-revoked': 'Link revoked: anyone using it is signed out.',
  'role-created': 'Role created. Add the people who fill it.',
  'member-added': 'Added to the role.',
  primary: 'Primary changed; the previous primary is now the first backup.',
  removed: 'Removed from the role.',
  'away-planned': 'Absence saved. While they are away, new steps of their roles go to the next backup.',
  'away-removed': 'Absence removed.',
  'handed-off': 'Handed off. Both people have been told.',
  offboarded: 'Offboarded: their steps are now here, and their access has ended.',
  'notify-saved': 'Email choice saved.',
} as const;
export type Notice = keyof typeof NOTICES;

export const noticeFor = (value: unknown): string | undefined =>
  typeof value === 'string' && Object.hasOwn(NOTICES, value) ? NOTICES[value as Notice] : undefined;
