import type { Db } from '../db/open';
import { deleteInBatches, sql } from '../db/statements';
import { hashSecret, newSecret } from './secrets';

/**
 * Single-purpose links: invitations (set a password, once, within 7 days) and outsourcers'
 * personal links (open their assignments until revoked or expired). Both are stored hashed.
 */
export const INVITATION_MS = 7 * 24 * 3600_000;
export const ACCESS_LINK_MS = 90 * 24 * 3600_000;

export interface LinkRow {
  id: number;
  person_id: number;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export function createInvitation(db: Db, personId: number, createdBy: number | null, now = new Date()): { token: string; id: number } {
  const token = newSecret();
  // A new invitation replaces any earlier one still open for the same person.
  sql(db, 'UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL').run(
    now.toISOString(),
    personId,
  );
  const { lastInsertRowid } = sql(
    db,
    'INSERT INTO invitations (person_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  ).run(personId, hashSecret(token), createdBy, now.toISOString(), new Date(now.getTime() + INVITATION_MS).toISOString());
  return { token, id: Number(lastInsertRowid) };
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

export function createAccessLink(
  db: Db,
  personId: number,
  createdBy: number | null,
  now = new Date(),
): { token: string; id: number; expiresAt: string } {
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + ACCESS_LINK_MS).toISOString();
  const { lastInsertRowid } = sql(
    db,
    'INSERT INTO access_links (person_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  ).run(personId, hashSecret(token), createdBy, now.toISOString(), expiresAt);
  return { token, id: Number(lastInsertRowid), expiresAt };
}

export function findLiveAccessLink(db: Db, token: string, now = new Date()): LinkRow | undefined {
  return sql(
    db,
    `SELECT id, person_id, created_by, created_at, expires_at, revoked_at FROM access_links
      WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
  ).get(hashSecret(token), now.toISOString()) as LinkRow | undefined;
}

export function listAccessLinks(db: Db, personId: number): (LinkRow & { last_used_at: string | null })[] {
  return sql(
    db,
    'SELECT id, person_id, created_by, created_at, expires_at, revoked_at, last_used_at FROM access_links WHERE person_id = ? ORDER BY id DESC',
  ).all(personId) as (LinkRow & { last_used_at: string | null })[];
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

/** Revokes every link and open invitation of a person (deactivation, offboarding). */
export function revokeAllLinks(db: Db, personId: number): void {
  const at = new Date().toISOString();
  sql(db, 'UPDATE access_links SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL').run(at, personId);
  sql(db, 'UPDATE invitations SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL').run(at, personId);
}

/**
 * Retention: deletes personal links past their expiry (with any session they opened, which
 * ended with them), in batches. Returns how many links went.
 */
export function purgeExpiredLinks(db: Db, now = new Date()): number {
  const params = { now: now.toISOString() };
  deleteInBatches(
    db,
    `DELETE FROM sessions WHERE rowid IN (
       SELECT s.rowid FROM sessions s JOIN access_links l ON l.id = s.link_id WHERE l.expires_at <= @now LIMIT @batch)`,
    params,
  );
  return deleteInBatches(
    db,
    'DELETE FROM access_links WHERE id IN (SELECT id FROM access_links WHERE expires_at <= @now LIMIT @batch)',
    params,
  );
}

/** Retention: deletes invitations past their expiry, used or not (a used one's account keeps its password), in batches. */
export function purgeExpiredInvitations(db: Db, now = new Date()): number {
  return deleteInBatches(db, 'DELETE FROM invitations WHERE id IN (SELECT id FROM invitations WHERE expires_at <= @now LIMIT @batch)', {
    now: now.toISOString(),
  });
}

/** Only our own pages may follow a personal link (never an address from outside). */
export const LINK_TARGET = /^\/(my-work|runs\/\d+(#step-\d+)?)$/;
