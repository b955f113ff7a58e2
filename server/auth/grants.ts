import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';
import { audit } from '../audit/repo';
import type { Level } from '../access/actor';
import { createAccessLink, createInvitation, INVITATION_MS, revokeAccessLink } from './links';

/**
 * An invitation sets a password, so for someone who already has one it is a password reset:
 * only an owner may do that (an editor could otherwise take over a member's account).
 */
export function refuseReinvite(db: Db, actor: { level: Level }, target: { id: number; name: string }): void {
  const hasPassword = sql(db, 'SELECT 1 FROM credentials WHERE person_id = ?').get(target.id) !== undefined;
  if (hasPassword && actor.level !== 'owner') {
    throw new ConflictError(
      'already-has-account',
      `${target.name} already has a password; only an owner can send a new invitation, which replaces it`,
    );
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

/** Whether someone can sign in yet: a password set, or an invitation still open. */
export function accountState(db: Db, personId: number, now: string) {
  return sql(
    db,
    `SELECT EXISTS (SELECT 1 FROM credentials WHERE person_id = @id) AS has_password,
            (SELECT max(expires_at) FROM invitations
              WHERE person_id = @id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @now) AS invitation_expires_at`,
  ).get({ id: personId, now }) as { has_password: number; invitation_expires_at: string | null };
}
