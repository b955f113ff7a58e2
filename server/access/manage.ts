import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';
import { audit } from '../auth/audit';
import { createAccessLink, createInvitation, INVITATION_MS, revokeAccessLink, revokeAllLinks } from '../auth/links';
import { endSessionsOf } from '../auth/sessions';
import { revokeAllApiTokens } from '../auth/tokens';
import type { PersonRow } from '../people/repo';
import type { Level } from './actor';

/** Refuses a change that would leave nobody able to run the business. */
function keepAnOwner(db: Db, target: PersonRow): void {
  if (target.access_level !== 'owner') return;
  const others = sql(db, "SELECT count(*) AS n FROM people WHERE access_level = 'owner' AND active = 1 AND id != ?").get(target.id) as { n: number };
  if (others.n === 0) throw new ConflictError('last-owner', `${target.name} is the only owner; make someone else owner first`);
}

export function setAccessLevel(db: Db, actorId: number, target: PersonRow, level: Level, address: string | null): void {
  if (level !== 'owner') keepAnOwner(db, target);
  sql(db, 'UPDATE people SET access_level = ? WHERE id = ?').run(level, target.id);
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
  audit(db, { action: 'person.deactivated', actorId, subjectId: target.id, address });
}

/**
 * An invitation sets a password, so for someone who already has one it is a password reset:
 * only an owner may do that (an editor could otherwise take over a member's account).
 */
export function refuseReinvite(db: Db, actor: { level: Level }, target: PersonRow): void {
  const hasPassword = sql(db, 'SELECT 1 FROM credentials WHERE person_id = ?').get(target.id) !== undefined;
  if (hasPassword && actor.level !== 'owner') {
    throw new ConflictError('already-has-account', `${target.name} already has a password; only an owner can send a new invitation, which replaces it`);
  }
}

interface By {
  actorId: number;
  address: string | null;
}

/** An invitation link's secret, recorded in the audit log; the API and the people pages both use it. */
export function inviteWithAudit(db: Db, personId: number, by: By): { token: string; expiresAt: string } {
  const { token, id } = createInvitation(db, personId, by.actorId);
  audit(db, { action: 'invitation.created', actorId: by.actorId, subjectId: personId, address: by.address, data: { invitation: id } });
  return { token, expiresAt: new Date(Date.now() + INVITATION_MS).toISOString() };
}

/** A personal link's secret, recorded in the audit log. */
export function linkWithAudit(db: Db, personId: number, by: By): { token: string; id: number; expiresAt: string } {
  const link = createAccessLink(db, personId, by.actorId);
  audit(db, { action: 'link.created', actorId: by.actorId, subjectId: personId, address: by.address, data: { link: link.id } });
  return link;
}

/** Revokes one of a person's links (its sessions end at once) and records it; false if there was none. */
export function revokeLinkWithAudit(db: Db, personId: number, linkId: number, by: By): boolean {
  if (!revokeAccessLink(db, linkId, personId)) return false;
  audit(db, { action: 'link.revoked', actorId: by.actorId, subjectId: personId, address: by.address, data: { link: linkId } });
  return true;
}
