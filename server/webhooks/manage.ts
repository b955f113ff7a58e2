import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/open';
import { ConflictError, NotFoundError } from '../http/errors';
import { idParam } from '../http/validate';
import type { PageRequest } from '../http/paging';
import { checkWebhookUrl } from './address';
import { WEBHOOK_EVENTS, type WebhookEvent } from './events';
import { countWebhooks, createWebhook, findWebhook, listDeliveries, MAX_WEBHOOKS, type DeliveryRow, type WebhookRow } from './repo';

/** A webhook as the API sends it in and out (the secret goes in, and never comes back out). */
export const webhookBody = z.object({
  url: z.string().max(2000, 'must be under 2,000 characters'),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, `must be one of ${WEBHOOK_EVENTS.map((e) => `"${e}"`).join(', ')}`))
    .min(1, 'must name at least one event'),
  secret: z.string().min(16, 'must be at least 16 characters').max(200, 'must be under 200 characters'),
});
export type WebhookInput = z.infer<typeof webhookBody>;

/** A secret to suggest on the form: 32 random characters, enough for an HMAC key. */
export const suggestSecret = () => crypto.randomBytes(24).toString('base64url');

/**
 * Registers a webhook: its URL checked (https://, resolving to public addresses: 422 naming
 * `url` otherwise), its events without repeats, at most MAX_WEBHOOKS in the workspace.
 */
export async function registerWebhook(db: Db, input: WebhookInput, by: number, allowPrivate: boolean): Promise<WebhookRow> {
  const url = await checkWebhookUrl(input.url, allowPrivate);
  if (countWebhooks(db) >= MAX_WEBHOOKS) {
    throw new ConflictError('too-many-webhooks', `A workspace may have ${MAX_WEBHOOKS} webhooks; delete one first`);
  }
  const events = WEBHOOK_EVENTS.filter((event) => input.events.includes(event));
  const id = createWebhook(db, { url, events, secret: input.secret, createdBy: by });
  return findWebhook(db, id) as WebhookRow;
}

export function loadWebhook(db: Db, rawId: string | undefined): WebhookRow {
  const id = idParam(rawId);
  const webhook = id === null ? undefined : findWebhook(db, id);
  if (!webhook) throw new NotFoundError('The webhook');
  return webhook;
}

export function presentWebhook(webhook: WebhookRow) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: JSON.parse(webhook.events) as WebhookEvent[],
    createdAt: webhook.created_at,
  };
}

export function presentDelivery(delivery: DeliveryRow) {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    createdAt: delivery.created_at,
    attempts: delivery.attempts,
    lastAttemptAt: delivery.last_attempt_at,
    nextAttemptAt: delivery.status === 'pending' ? delivery.next_attempt_at : null,
    lastStatus: delivery.last_status,
    lastAnswer: delivery.last_answer,
    body: delivery.body,
  };
}

/** One page of a webhook's deliveries, newest first (one row more than the page, for paging). */
export function readDeliveries(db: Db, webhookId: number, page: PageRequest) {
  return listDeliveries(db, webhookId, (page.after?.[0] as number | undefined) ?? null, page.limit + 1).map(presentDelivery);
}
