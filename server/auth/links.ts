import type { Db } from '../db/open';
import { deleteInBatches, sql } from '../db/statements';
import { derivedSecret, hashSecret, newSecret } from './secrets';

/**
 * Single-purpose links: invitations (set a password, once, within 7 days) and personal links
 * (open the person's own work without a password). Both are stored hashed.
 *
 * A person has at most one live personal link (a partial unique index holds it): making a new
 * one ends the old, and emails reuse the live one. For that, its secret is not random but made
 * from a random salt (stored) and the server's key (not stored in the database), so the server
 * can make it again for the next email while the database holds only its hash. A link ends
 * when revoked, or after `days` (LINK_DAYS) without being used: every use moves its end.
 */
export const INVITATION_MS = 7 * 24 * 3600_000;
export const DAY_MS = 24 * 3600_000;
/** LINK_DAYS when not set (server/config.ts). */
export const DEFAULT_LINK_DAYS = 30;

/** What making and checking personal links needs: the server's key and LINK_DAYS. */
export interface LinkSettings {
  key: Buffer;
  days: number;
}

export interface LinkRow {
  id: number;
  person_id: number;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AccessLinkRow extends LinkRow {
  last_used_at: string | null;
  salt: string | null;
  token_hash: string;
}

const LINK_PURPOSE = 'personal-link';
const plusDays = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();

/**
 * A new invitation (single use, 7 days). With the server's `key`, its secret is made from a
 * stored salt and the key (as a personal link's is), so that the outbox can show the emailed
 * link again (invitationSecret); the database holds only its hash either way.
 */
export function createInvitation(
  db: Db,
  personId: number,
  createdBy: number | null,
  now = new Date(),
  key?: Buffer,
): { token: string; id: number } {
  const salt = key ? newSecret() : null;
  const token = key && salt ? derivedSecret(key, INVITATION_PURPOSE, salt) : newSecret();
  // A new invitation replaces any earlier one still open for the same person.
  sql(db, 'UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL').run(
    now.toISOString(),
    personId,
  );
  const { lastInsertRowid } = sql(
    db,
    'INSERT INTO invitations (person_id, token_hash, salt, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(personId, hashSecret(token), salt, createdBy, now.toISOString(), new Date(now.getTime() + INVITATION_MS).toISOString());
  return { token, id: Number(lastInsertRowid) };
}

const INVITATION_PURPOSE = 'invitation';

/** The secret of invitation `id` made again, while it is open (not used, revoked or expired); else null. */
export function invitationSecret(db: Db, key: Buffer, id: number, now = new Date()): string | null {
  const row = sql(
    db,
    'SELECT salt, token_hash FROM invitations WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
  ).get(id, now.toISOString()) as { salt: string | null; token_hash: string } | undefined;
  if (!row?.salt) return null;
  const token = derivedSecret(key, INVITATION_PURPOSE, row.salt);
  return hashSecret(token) === row.token_hash ? token : null;
}

/** The open invitation behind a link: not used, not revoked, not expired. */
export function findOpenInvitation(db: Db, token: string, now = new Date()): LinkRow | undefined {
  return sql(
    db,
    `SELECT id, person_id, created_by, created_at, expires_at, revoked_at FROM invitations
      WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
  ).get(hashSecret(token), now.toISOString()) as LinkRow | undefined;
}

export function markInvitationUsed(db: Db, id: number): void {
  sql(db, 'UPDATE invitations SET used_at = ? WHERE id = ?').run(new Date().toISOString(), id);
}

/**
 * Ends every personal link of a person that has not been ended yet, and the sessions they
 * opened, at once. Returns how many links were live.
 */
export function endAccessLinks(db: Db, personId: number, now = new Date()): number {
  const live = sql(db, 'SELECT count(*) AS n FROM access_links WHERE person_id = ? AND revoked_at IS NULL AND expires_at > ?').get(
    personId,
    now.toISOString(),
  ) as { n: number };
  sql(db, 'UPDATE access_links SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL').run(now.toISOString(), personId);
  sql(db, 'DELETE FROM sessions WHERE link_id IN (SELECT id FROM access_links WHERE person_id = ?)').run(personId);
  return live.n;
}

/** The person's new personal link, ending the one before. Call inside a transaction. */
export function createAccessLink(
  db: Db,
  settings: LinkSettings,
  personId: number,
  createdBy: number | null,
  now = new Date(),
): { token: string; id: number; expiresAt: string } {
  endAccessLinks(db, personId, now);
  const salt = newSecret();
  const token = derivedSecret(settings.key, LINK_PURPOSE, salt);
  const expiresAt = plusDays(now, settings.days);
  const { lastInsertRowid } = sql(
    db,
    'INSERT INTO access_links (person_id, token_hash, salt, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(personId, hashSecret(token), salt, createdBy, now.toISOString(), expiresAt);
  return { token, id: Number(lastInsertRowid), expiresAt };
}

const LINK_COLUMNS = 'id, person_id, created_by, created_at, expires_at, last_used_at, revoked_at, salt, token_hash';

/** The live link behind a secret: not revoked, used (or made) within LINK_DAYS. */
export function findLiveAccessLink(db: Db, token: string, now = new Date()): AccessLinkRow | undefined {
  return sql(db, `SELECT ${LINK_COLUMNS} FROM access_links WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`).get(
    hashSecret(token),
    now.toISOString(),
  ) as AccessLinkRow | undefined;
}

/** The person's live link, if they have one. */
export function liveAccessLinkOf(db: Db, personId: number, now = new Date()): AccessLinkRow | undefined {
  return sql(db, `SELECT ${LINK_COLUMNS} FROM access_links WHERE person_id = ? AND revoked_at IS NULL AND expires_at > ?`).get(
    personId,
    now.toISOString(),
  ) as AccessLinkRow | undefined;
}

/** A use: recorded, and the link's end moves to LINK_DAYS from now. */
export function recordLinkUse(db: Db, days: number, linkId: number, now = new Date()): void {
  sql(db, 'UPDATE access_links SET last_used_at = ?, expires_at = ? WHERE id = ? AND revoked_at IS NULL').run(
    now.toISOString(),
    plusDays(now, days),
    linkId,
  );
}

/**
 * The secret of a link, made again from its salt and the server's key; null when it cannot
 * be (a link made before salts, or under another key).
 */
export function accessLinkSecret(settings: LinkSettings, link: Pick<AccessLinkRow, 'salt' | 'token_hash'>): string | null {
  if (link.salt === null) return null;
  const token = derivedSecret(settings.key, LINK_PURPOSE, link.salt);
  return hashSecret(token) === link.token_hash ? token : null;
}

/**
 * The person's live link for an email: the one they have, made again, or (when they have
 * none, or it cannot be made again) a new one, which ends the old. `made` says which.
 */
export function linkForEmail(
  db: Db,
  settings: LinkSettings,
  personId: number,
  now = new Date(),
): { token: string; id: number; made: boolean } {
  const live = liveAccessLinkOf(db, personId, now);
  const again = live ? accessLinkSecret(settings, live) : null;
  if (live && again) return { token: again, id: live.id, made: false };
  const link = createAccessLink(db, settings, personId, null, now);
  return { token: link.token, id: link.id, made: true };
}

/** A person's links, newest first, with the name of who made each (null: made for an email). */
export function listAccessLinks(db: Db, personId: number): (LinkRow & { last_used_at: string | null; created_by_name: string | null })[] {
  return sql(
    db,
    `SELECT l.id, l.person_id, l.created_by, m.name AS created_by_name, l.created_at, l.expires_at, l.revoked_at, l.last_used_at
       FROM access_links l LEFT JOIN people m ON m.id = l.created_by
      WHERE l.person_id = ? ORDER BY l.id DESC`,
  ).all(personId) as (LinkRow & { last_used_at: string | null; created_by_name: string | null })[];
}

/** Revokes a link and ends the sessions it opened, at once. */
export function revokeAccessLink(db: Db, linkId: number, personId: number): boolean {
  return db.transaction(() => {
    const changed = sql(db, 'UPDATE access_links SET revoked_at = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL').run(
      new Date().toISOString(),
      linkId,
      personId,
    ).changes;
    sql(db, 'DELETE FROM sessions WHERE link_id = ?').run(linkId);
    return changed > 0;
  })();
}

/** Revokes every link, open invitation and password reset of a person (deactivation, a new password, signing out everywhere). */
export function revokeAllLinks(db: Db, personId: number, now = new Date()): { links: number; invitations: number } {
  const links = endAccessLinks(db, personId, now);
  sql(db, 'UPDATE password_resets SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL').run(
    now.toISOString(),
    personId,
  );
  const invitations = sql(
    db,
    'UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
  ).run(now.toISOString(), personId, now.toISOString()).changes;
  return { links, invitations };
}

/**
 * Retention: deletes personal links that ended (revoked, or expired) with any session they
 * opened, in batches. The newest link row stays whatever it is, so that no new link ever gets
 * an id the audit log already names. Returns how many links went.
 */
export function purgeEndedLinks(db: Db, now = new Date()): number {
  const params = { now: now.toISOString() };
  const ended = `SELECT id FROM access_links WHERE (revoked_at IS NOT NULL OR expires_at <= @now)
                    AND id < (SELECT max(id) FROM access_links)`;
  deleteInBatches(db, `DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE link_id IN (${ended}) LIMIT @batch)`, params);
  return deleteInBatches(db, `DELETE FROM access_links WHERE id IN (${ended} LIMIT @batch)`, params);
}

/** Retention: deletes invitations past their expiry, used or not (a used one's account keeps its password), in batches. */
export function purgeExpiredInvitations(db: Db, now = new Date()): number {
  return deleteInBatches(db, 'DELETE FROM invitations WHERE id IN (SELECT id FROM invitations WHERE expires_at <= @now LIMIT @batch)', {
    now: now.toISOString(),
  });
}

/** Only our own pages may follow a personal link (never an address from outside). */
export const LINK_TARGET = /^\/(my-work|runs\/\d+(#step-\d+)?)$/;
