import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { audit } from '../audit/repo';
import { hashSecret, newSecret } from './secrets';

/**
 * Calendar links: the secret address a calendar program subscribes to (GET /calendar/<secret>.ics,
 * server/calendar/). Whoever has the address reads the person's calendar without signing in, so
 * it is a secret like any other: random, stored only as its sha256, shown once when made. A
 * person has at most one live link (a partial unique index holds it): making a new one revokes
 * the old, so a leaked address is replaced in one step.
 */

export interface CalendarLinkRow {
  id: number;
  created_at: string;
  created_by_name: string | null;
}

interface By {
  actorId: number;
  address: string | null;
}

/** The calendar address of a secret, under the site's address (PUBLIC_URL). */
export const calendarUrl = (baseUrl: string, secret: string) => `${baseUrl}/calendar/${secret}.ics`;

function revokeLive(db: Db, personId: number, now: string): number | null {
  const live = sql(db, 'SELECT id FROM calendar_links WHERE person_id = ? AND revoked_at IS NULL').get(personId) as
    { id: number } | undefined;
  if (!live) return null;
  sql(db, 'UPDATE calendar_links SET revoked_at = ? WHERE id = ?').run(now, live.id);
  return live.id;
}

/** The person's new calendar link (the one before stops working), recorded in the audit log. Returns its secret. */
export function makeCalendarLink(db: Db, personId: number, by: By, now = new Date()): { secret: string; id: number; createdAt: string } {
  return db.transaction(() => {
    const at = now.toISOString();
    const replaced = revokeLive(db, personId, at);
    const secret = newSecret();
    const { lastInsertRowid } = sql(
      db,
      'INSERT INTO calendar_links (person_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)',
    ).run(personId, hashSecret(secret), by.actorId, at);
    const id = Number(lastInsertRowid);
    audit(db, {
      action: 'calendar.created',
      actorId: by.actorId,
      subjectId: personId,
      address: by.address,
      data: { calendar: id, replaced },
    });
    return { secret, id, createdAt: at };
  })();
}

/** Stops the person's calendar link; false when they had none. */
export function revokeCalendarLink(db: Db, personId: number, by: By, now = new Date()): boolean {
  return db.transaction(() => {
    const revoked = revokeLive(db, personId, now.toISOString());
    if (revoked === null) return false;
    audit(db, { action: 'calendar.revoked', actorId: by.actorId, subjectId: personId, address: by.address, data: { calendar: revoked } });
    return true;
  })();
}

/**
 * Ends a person's calendar link without an audit entry of its own (deactivation and signing out
 * everywhere record themselves); 1 when there was one, else 0.
 */
export function endCalendarLink(db: Db, personId: number, now = new Date()): number {
  return revokeLive(db, personId, now.toISOString()) === null ? 0 : 1;
}

/** The person's live calendar link (never its secret: only its hash is kept), or undefined. */
export function liveCalendarLink(db: Db, personId: number): CalendarLinkRow | undefined {
  return sql(
    db,
    `SELECT c.id, c.created_at, p.name AS created_by_name
       FROM calendar_links c LEFT JOIN people p ON p.id = c.created_by
      WHERE c.person_id = ? AND c.revoked_at IS NULL`,
  ).get(personId) as CalendarLinkRow | undefined;
}

/** Whose calendar a secret opens: an active person with that live link, or undefined (revoked, unknown). */
export function calendarOwner(db: Db, secret: string): { id: number; name: string } | undefined {
  return sql(
    db,
    `SELECT p.id, p.name FROM calendar_links c JOIN people p ON p.id = c.person_id
      WHERE c.token_hash = ? AND c.revoked_at IS NULL AND p.active = 1`,
  ).get(hashSecret(secret)) as { id: number; name: string } | undefined;
}
