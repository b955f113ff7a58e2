import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';
import { audit } from '../audit/repo';
import { endAccessLinks, revokeAllLinks } from '../auth/links';
import { endSessionsOf } from '../auth/sessions';
import { revokeAllApiTokens } from '../auth/tokens';
import { endCalendarLink } from '../auth/calendar-links';
import { findPersonByEmail, insertPerson, updatePerson, type PersonRow } from './repo';
import type { Actor, Level } from '../access/actor';
import { authorize } from '../access/policy';

/** The level of someone added without one: an outsourcer sees only their own steps; the team starts as members. */
export const defaultLevel = (kind: PersonRow['kind']): Level => (kind === 'outsourcer' ? 'outsourcer' : 'member');

export interface NewPerson {
  name: string;
  email: string;
  kind: PersonRow['kind'];
  level?: Level;
  hourlyCostCents?: number | null;
  /** false: recorded as inactive (someone who has left, kept for the record); active by default. */
  active?: boolean;
}

/**
 * Adds someone to the team (the API, the People page and the CLI's teammates): at the level
 * chosen or the usual one for their kind, which the maker must be allowed to give; a cost only
 * by those who may see costs; an email address belongs to one person.
 */
export function addPerson(db: Db, actor: Actor, input: NewPerson): PersonRow {
  const level = input.level ?? defaultLevel(input.kind);
  authorize(actor, { action: 'person.invite', level });
  if (input.hourlyCostCents !== undefined) authorize(actor, { action: 'person.see-costs' });
  refuseTakenEmail(db, input.email);
  return insertPerson(db, {
    name: input.name,
    email: input.email,
    kind: input.kind,
    hourlyCostCents: input.hourlyCostCents ?? null,
    active: input.active ?? true,
    level,
  });
}

/** An email address belongs to one person: refused for anyone but `ownerId` (the person being edited). */
export function refuseTakenEmail(db: Db, email: string, ownerId?: number): void {
  const holder = findPersonByEmail(db, email);
  if (holder && holder.id !== ownerId) {
    throw new ConflictError('email-taken', `${email} already belongs to someone on the team.`, { field: 'email' });
  }
}

/** Refuses a change that would leave nobody able to run the business. */
function keepAnOwner(db: Db, target: PersonRow): void {
  if (target.access_level !== 'owner') return;
  const others = sql(db, "SELECT count(*) AS n FROM people WHERE access_level = 'owner' AND active = 1 AND id != ?").get(target.id) as {
    n: number;
  };
  if (others.n === 0) throw new ConflictError('last-owner', `${target.name} is the only owner; make someone else owner first`);
}

export function setAccessLevel(db: Db, actorId: number, target: PersonRow, level: Level, address: string | null): void {
  if (level !== 'owner') keepAnOwner(db, target);
  sql(db, 'UPDATE people SET access_level = ? WHERE id = ?').run(level, target.id);
  // Nobody holds a personal link to an owner's account (server/access/policy.ts, link.manage).
  if (level === 'owner') endAccessLinks(db, target.id);
  audit(db, { action: 'level.changed', actorId, subjectId: target.id, address, data: { from: target.access_level, to: level } });
}

/**
 * Deactivation takes effect at once: sessions end, tokens and links stop working. Their open
 * steps stay assigned to them and show as gaps (GET /api/gaps) until someone takes them over.
 */
export function deactivatePerson(db: Db, actorId: number, target: PersonRow, address: string | null): void {
  keepAnOwner(db, target);
  sql(db, 'UPDATE people SET active = 0 WHERE id = ?').run(target.id);
  endSessionsOf(db, target.id);
  revokeAllApiTokens(db, target.id);
  revokeAllLinks(db, target.id);
  endCalendarLink(db, target.id);
  audit(db, { action: 'person.deactivated', actorId, subjectId: target.id, address });
}

/** Reactivation restores sign-in by password; links and tokens that ended stay ended. */
export function reactivatePerson(db: Db, actorId: number, target: PersonRow, address: string | null): void {
  updatePerson(db, target.id, { active: true });
  audit(db, { action: 'person.reactivated', actorId, subjectId: target.id, address });
}
