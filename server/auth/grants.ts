import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';
import { audit } from '../audit/repo';
import type { Level } from '../access/actor';
import { createAccessLink, createInvitation, INVITATION_MS, revokeAccessLink, revokeAllLinks, type LinkSettings } from './links';
import { endSessionsOf } from './sessions';
import { revokeAllApiTokens } from './tokens';
import { endCalendarLink } from './calendar-links';

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

/**
 * An invitation link's secret, recorded in the audit log; the API and the people pages both use
 * it. With the server's `key` its secret can be made again for the email and the outbox.
 */
export function inviteWithAudit(db: Db, personId: number, by: By, key?: Buffer): { token: string; id: number; expiresAt: string } {
  const { token, id } = createInvitation(db, personId, by.actorId, new Date(), key);
  audit(db, { action: 'invitation.created', actorId: by.actorId, subjectId: personId, address: by.address, data: { invitation: id } });
  return { token, id, expiresAt: new Date(Date.now() + INVITATION_MS).toISOString() };
}

/**
 * The person's new personal link (their earlier one ends), recorded in the audit log with who
 * made it. Whether `by` may make it is the policy's rule (link.manage), checked by the routes.
 */
export function linkWithAudit(db: Db, settings: LinkSettings, personId: number, by: By): { token: string; id: number; expiresAt: string } {
  return db.transaction(() => {
    const link = createAccessLink(db, settings, personId, by.actorId);
    audit(db, {
      action: 'link.created',
      actorId: by.actorId,
      subjectId: personId,
      address: by.address,
      data: { link: link.id, madeBy: by.actorId },
    });
    return link;
  })();
}

/** Revokes one of a person's links (its sessions end at once) and records it; false if there was none. */
export function revokeLinkWithAudit(db: Db, personId: number, linkId: number, by: By): boolean {
  if (!revokeAccessLink(db, linkId, personId)) return false;
  audit(db, { action: 'link.revoked', actorId: by.actorId, subjectId: personId, address: by.address, data: { link: linkId } });
  return true;
}

/**
 * "Sign out everywhere": every session (this one too), personal link, open invitation, API token
 * and calendar address of the person ends at once, and the audit log says so. The calendar goes
 * too: on a lost phone its address shows the person's steps to whoever holds it.
 */
export function signOutEverywhere(db: Db, personId: number, by: By): { sessions: number; links: number; tokens: number; calendar: number } {
  return db.transaction(() => {
    const sessions = endSessionsOf(db, personId);
    const { links } = revokeAllLinks(db, personId);
    const tokens = revokeAllApiTokens(db, personId);
    const calendar = endCalendarLink(db, personId);
    audit(db, {
      action: 'signed-out-everywhere',
      actorId: by.actorId,
      subjectId: personId,
      address: by.address,
      data: { sessions, links, tokens, calendar },
    });
    return { sessions, links, tokens, calendar };
  })();
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

/**
 * Of these people, those invited who never accepted: no password yet, and an invitation that
 * was never used or revoked (expired or not). The directory says "Invited" for them, not "Active".
 */
export function invitedPeople(db: Db, personIds: number[]): Set<number> {
  const ids = sql(
    db,
    `SELECT p.value AS id FROM json_each(@ids) p
      WHERE NOT EXISTS (SELECT 1 FROM credentials c WHERE c.person_id = p.value)
        AND EXISTS (SELECT 1 FROM invitations i WHERE i.person_id = p.value AND i.used_at IS NULL AND i.revoked_at IS NULL)`,
  ).all({ ids: JSON.stringify(personIds) }) as { id: number }[];
  return new Set(ids.map((row) => row.id));
}
