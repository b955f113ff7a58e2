import type { Db } from '../db/open';
import { countUpTo, deleteInBatches, sql } from '../db/statements';
import type { WebhookEvent } from './events';

export interface WebhookRow {
  id: number;
  url: string;
  events: string;
  secret: string;
  created_at: string;
  created_by: number | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: number;
  webhook_id: number;
  event: string;
  body: string;
  status: DeliveryStatus;
  created_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_answer: string | null;
}

/** Owners register a handful of webhooks; the list is short by nature, but still capped. */
export const MAX_WEBHOOKS = 50;

export function createWebhook(db: Db, input: { url: string; events: WebhookEvent[]; secret: string; createdBy: number | null }): number {
  const { lastInsertRowid } = sql(db, 'INSERT INTO webhooks (url, events, secret, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(
    input.url,
    JSON.stringify(input.events),
    input.secret,
    new Date().toISOString(),
    input.createdBy,
  );
  return Number(lastInsertRowid);
}

export function findWebhook(db: Db, id: number): WebhookRow | undefined {
  return sql(db, 'SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
}

export function listWebhooks(db: Db): WebhookRow[] {
  return sql(db, 'SELECT * FROM webhooks ORDER BY id LIMIT ?').all(MAX_WEBHOOKS) as WebhookRow[];
}

export function countWebhooks(db: Db): number {
  return (sql(db, 'SELECT count(*) AS n FROM webhooks').get() as { n: number }).n;
}

/** Deletes a webhook and, with it, its deliveries (waiting ones are never sent). */
export function deleteWebhook(db: Db, id: number): void {
  sql(db, 'DELETE FROM webhooks WHERE id = ?').run(id);
}

/** A webhook's deliveries newest first, a page at a time (`?cursor=` holds the last id shown). */
export const DELIVERY_LIST = { name: 'webhook-deliveries', key: ['id'] } as const;

export function listDeliveries(db: Db, webhookId: number, before: number | null, limit: number): DeliveryRow[] {
  return sql(db, 'SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?').all(
    webhookId,
    before ?? Number.MAX_SAFE_INTEGER,
    limit,
  ) as DeliveryRow[];
}

/** How many of a webhook's deliveries have each status, each counted up to COUNT_CAP. */
export function countDeliveries(db: Db, webhookId: number): Record<DeliveryStatus, number> {
  const count = (status: DeliveryStatus) =>
    countUpTo(db, 'SELECT 1 FROM webhook_deliveries WHERE webhook_id = @webhookId AND status = @status', { webhookId, status });
  return { pending: count('pending'), delivered: count('delivered'), failed: count('failed') };
}

/** Deliveries whose time has come, oldest first, with what sending them needs. */
export function dueDeliveries(db: Db, now: Date, limit: number): (DeliveryRow & { url: string; secret: string })[] {
  return sql(
    db,
    `SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`,
  ).all(now.toISOString(), limit) as (DeliveryRow & { url: string; secret: string })[];
}

/** Marks deliveries as being sent until `until`, so that a slow send is not started again meanwhile. */
export function holdDelivery(db: Db, id: number, until: Date): void {
  sql(db, 'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?').run(until.toISOString(), id);
}

export function recordAttempt(
  db: Db,
  id: number,
  attempt: { status: DeliveryStatus; at: Date; httpStatus: number | null; answer: string; nextAt: Date | null },
): void {
  sql(
    db,
    `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_answer = ?,
            next_attempt_at = ? WHERE id = ?`,
  ).run(attempt.status, attempt.at.toISOString(), attempt.httpStatus, attempt.answer, attempt.nextAt?.toISOString() ?? null, id);
}

/** Sends a delivery again at once (a failed one gets its retries back). */
export function retryDelivery(db: Db, id: number): void {
  sql(db, "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?").run(
    new Date().toISOString(),
    id,
  );
}

export function findDelivery(db: Db, webhookId: number, id: number): DeliveryRow | undefined {
  return sql(db, 'SELECT * FROM webhook_deliveries WHERE id = ? AND webhook_id = ?').get(id, webhookId) as DeliveryRow | undefined;
}

/**
 * Retention: deletes deliveries that were delivered or given up on more than `keepDays` ago, in
 * batches. Waiting ones stay whatever their age. Returns how many went.
 */
export function purgeOldDeliveries(db: Db, keepDays: number, now = new Date()): number {
  const before = new Date(now.getTime() - keepDays * 24 * 3600_000).toISOString();
  return deleteInBatches(
    db,
    `DELETE FROM webhook_deliveries WHERE id IN (
       SELECT id FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < @before ORDER BY id LIMIT @batch)`,
    { before },
  );
}
