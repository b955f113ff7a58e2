import type { Db } from '../db/open';
import { sql } from '../db/statements';

/**
 * Every message is first a row here, written in the same transaction as the change it tells
 * of: if the change is saved, so is the message, and nothing is lost when the mail server is
 * down or not configured (owners read the outbox in the app). The mailer sends 'pending' rows;
 * the digest gathers 'digest' rows once a day.
 */
export type NotificationKind = 'assigned' | 'handed-off' | 'overdue' | 'digest';
export type NotificationStatus = 'pending' | 'digest' | 'digested' | 'sent' | 'failed';

export interface Message {
  personId: number;
  kind: NotificationKind;
  subject: string;
  /** Plain text; `{link}` stands where the link to linkPath goes (see links.ts). */
  body: string;
  linkPath: string;
  runId: number | null;
}

export interface NotificationRow {
  id: number;
  person_id: number;
  kind: NotificationKind;
  subject: string;
  body: string;
  link_path: string;
  run_id: number | null;
  status: NotificationStatus;
  created_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  digest_id: number | null;
}

/**
 * Queues a message for an active person (nobody emails people who have left), as they chose:
 * now, or in tomorrow morning's digest.
 */
export function notify(db: Db, message: Message, now: Date = new Date()): void {
  sql(
    db,
    `INSERT INTO notifications (person_id, kind, subject, body, link_path, run_id, status, created_at)
     SELECT id, @kind, @subject, @body, @linkPath, @runId,
            CASE WHEN notify = 'digest' AND @kind != 'digest' THEN 'digest' ELSE 'pending' END, @now
       FROM people WHERE id = @personId AND active = 1`,
  ).run({ ...message, now: now.toISOString() });
}

export function findNotification(db: Db, id: number): NotificationRow | undefined {
  return sql(db, 'SELECT * FROM notifications WHERE id = ?').get(id) as NotificationRow | undefined;
}

/** The outbox as owners read it: newest first, optionally only one status. */
export function listNotifications(db: Db, filter: { status?: NotificationStatus; personId?: number; limit?: number } = {}) {
  return sql(
    db,
    `SELECT n.*, p.name AS person_name, p.email AS person_email, p.access_level AS person_level
       FROM notifications n JOIN people p ON p.id = n.person_id
      WHERE (@status IS NULL OR n.status = @status) AND (@person IS NULL OR n.person_id = @person)
      ORDER BY n.id DESC LIMIT @limit`,
  ).all({ status: filter.status ?? null, person: filter.personId ?? null, limit: filter.limit ?? 200 }) as (NotificationRow & {
    person_name: string;
    person_email: string;
    person_level: string;
  })[];
}

export function countNotifications(db: Db): Record<NotificationStatus, number> {
  const rows = sql(db, 'SELECT status, count(*) AS n FROM notifications GROUP BY status').all() as {
    status: NotificationStatus;
    n: number;
  }[];
  const counts = { pending: 0, digest: 0, digested: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
