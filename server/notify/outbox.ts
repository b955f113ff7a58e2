import type { Db } from '../db/open';
import { countUpTo, deleteInBatches, sql } from '../db/statements';

/**
 * Every message is first a row here, written in the same transaction as the change it tells
 * of: if the change is saved, so is the message, and nothing is lost when the mail server is
 * down or not configured (owners read the outbox in the app). The mailer sends 'pending' rows;
 * the digest gathers 'digest' rows once a day.
 */
export type NotificationKind = 'assigned' | 'handed-off' | 'overdue' | 'digest' | 'review-due';
/** What an invitation or a password reset email is (stored as kind 'assigned' with this topic; see the migration). */
export type NotificationTopic = 'invitation' | 'password-reset';
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
  topic: NotificationTopic | null;
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

/**
 * Queues a message that opens someone's account (an invitation, a password reset): sent at
 * once, never kept for a digest (a link that works for 30 minutes cannot wait for tomorrow),
 * and only to someone with an address.
 */
export function notifyNow(db: Db, message: Omit<Message, 'kind'> & { topic: NotificationTopic }, now: Date = new Date()): void {
  sql(
    db,
    `INSERT INTO notifications (person_id, kind, topic, subject, body, link_path, run_id, status, created_at)
     SELECT id, 'assigned', @topic, @subject, @body, @linkPath, @runId, 'pending', @now
       FROM people WHERE id = @personId AND active = 1 AND email != ''`,
  ).run({ ...message, now: now.toISOString() });
}

export function findNotification(db: Db, id: number): NotificationRow | undefined {
  return sql(db, 'SELECT * FROM notifications WHERE id = ?').get(id) as NotificationRow | undefined;
}

/** The outbox newest first, a page at a time (`?cursor=` holds the id of the last message shown). */
export const OUTBOX_LIST = { name: 'outbox', key: ['id'] } as const;

/**
 * The outbox as owners read it: newest first, optionally one status or one person's, up to
 * `limit` messages older than `before`. Each filter reads its own index in id order.
 */
export function listNotifications(
  db: Db,
  filter: { status?: NotificationStatus; personId?: number; before?: number | null; limit?: number } = {},
) {
  const where = ['n.id < @before'];
  if (filter.status) where.push('n.status = @status');
  if (filter.personId !== undefined) where.push('n.person_id = @person');
  return sql(
    db,
    `SELECT n.*, p.name AS person_name, p.email AS person_email, p.access_level AS person_level
       FROM notifications n JOIN people p ON p.id = n.person_id
      WHERE ${where.join(' AND ')}
      ORDER BY n.id DESC LIMIT @limit`,
  ).all({
    status: filter.status ?? null,
    person: filter.personId ?? null,
    before: filter.before ?? Number.MAX_SAFE_INTEGER,
    limit: filter.limit ?? 200,
  }) as (NotificationRow & {
    person_name: string;
    person_email: string;
    person_level: string;
  })[];
}

/**
 * Retention: deletes emails that went out (sent, or sent in a digest) more than `keepDays`
 * ago, in batches. Messages waiting, kept for a digest, or that could not be sent stay; so does
 * a message a live personal link was made for, until the link expires and is purged. Returns
 * how many went.
 */
export function purgeSentNotifications(db: Db, keepDays: number, now = new Date()): number {
  const before = new Date(now.getTime() - keepDays * 24 * 3600_000).toISOString();
  return deleteInBatches(
    db,
    `DELETE FROM notifications WHERE id IN (
       SELECT n.id FROM notifications n
        WHERE n.status IN ('sent', 'digested') AND n.created_at < @before
          AND NOT EXISTS (SELECT 1 FROM access_links l WHERE l.notification_id = n.id)
        -- Oldest first: the messages a digest gathered go before (or with) the digest they point at.
        ORDER BY n.id LIMIT @batch)`,
    { before },
  );
}

/** How many messages have each status, each counted up to COUNT_CAP. */
export function countNotifications(db: Db): Record<NotificationStatus, number> {
  const count = (status: NotificationStatus) => countUpTo(db, 'SELECT 1 FROM notifications WHERE status = @status', { status });
  return { pending: count('pending'), digest: count('digest'), digested: count('digested'), sent: count('sent'), failed: count('failed') };
}
