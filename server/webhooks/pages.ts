import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import type { Paging } from '../http/paging';
import { AppError, NotFoundError } from '../http/errors';
import { formPage, readForm } from '../http/forms';
import { noticeFor } from '../http/notices';
import { idParam } from '../http/validate';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { WEBHOOK_EVENTS } from './events';
import { loadWebhook, presentWebhook, readDeliveries, registerWebhook, suggestSecret } from './manage';
import { countDeliveries, deleteWebhook, DELIVERY_LIST, findDelivery, listWebhooks, retryDelivery } from './repo';

/** What each event means, in the words the page uses. */
const EVENT_LABELS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  'run.started': 'A run started',
  'run.completed': 'A run was completed',
  'step.completed': 'A step was done',
  'step.overdue': 'A step became overdue',
  'step.reassigned': 'A step was given to someone else',
  'runbook.changed': 'A runbook was added, changed or archived',
};

const STATUS_LABELS = { pending: 'Waiting to be sent', delivered: 'Delivered', failed: 'Gave up' } as const;

/** The form sends one checkbox value as a string and several as a list. */
const webhookForm = z.object({
  url: z.string().trim().min(1, 'Type the address to send events to, starting with https://'),
  events: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.enum(WEBHOOK_EVENTS, 'Choose events from the list.')).min(1, 'Choose at least one event.'),
  ),
  secret: z
    .string('Type a secret, or keep the suggested one.')
    .min(16, 'Use at least 16 characters (the suggested one is fine).')
    .max(200, 'Keep it under 200 characters.'),
});

/** The webhooks page (owners): the list, the form to add one, each one's deliveries. */
export function webhookPages({ db, views, paging, allowPrivate }: { db: Db; views: Views; paging: Paging; allowPrivate: boolean }): Router {
  const router = Router();
  const owner = (req: Request) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'webhooks.manage' });
    return actor;
  };
  const listData = (values?: { events?: string[]; secret?: string }) => ({
    title: 'Webhooks',
    urlHint: allowPrivate
      ? 'Starts with https:// (on this server http:// and local addresses are allowed too, for testing).'
      : 'Starts with https://, for example the “Catch hook” address Zapier gives you.',
    webhooks: listWebhooks(db).map((webhook) => {
      const shown = presentWebhook(webhook);
      return { ...shown, eventLabels: shown.events.map((event) => EVENT_LABELS[event]) };
    }),
    events: WEBHOOK_EVENTS.map((name) => ({ name, label: EVENT_LABELS[name], checked: values?.events?.includes(name) ?? false })),
    suggestedSecret: values?.secret ?? suggestSecret(),
  });

  router.get('/webhooks', (req, res) => {
    owner(req);
    views.render(res, 'webhooks/index', { ...listData(), notice: noticeFor(req.query.done) });
  });

  router.post('/webhooks', async (req, res) => {
    const actor = owner(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const chosen = body.events === undefined ? [] : ([] as string[]).concat(body.events as string | string[]);
    formPage(res, 'webhooks/index', () => listData({ events: chosen, secret: typeof body.secret === 'string' ? body.secret : undefined }));
    const input = readForm(webhookForm, body);
    let id: number;
    try {
      id = (await registerWebhook(db, input, actor.id, allowPrivate)).id;
    } catch (error) {
      // The API's "url: must start…" reads as "Must start…" beside the field.
      if (error instanceof AppError && error.field === 'url' && error.message.startsWith('url: ')) {
        const message = error.message.slice(5);
        throw new AppError(error.status, error.code, message.charAt(0).toUpperCase() + message.slice(1), 'url');
      }
      if (error instanceof AppError && !error.field) throw new AppError(error.status, error.code, error.message, 'url');
      throw error;
    }
    res.redirect(303, `/webhooks/${id}?done=webhook-added`);
  });

  router.get('/webhooks/:id', (req, res) => {
    owner(req);
    const webhook = loadWebhook(db, req.params.id);
    const request = paging.read(req.query, DELIVERY_LIST, {}, 20);
    const rows = readDeliveries(db, webhook.id, request);
    const path = `/webhooks/${webhook.id}`;
    const { items, next, first } = paging.page(rows, request, { ...DELIVERY_LIST, keyOf: (d) => [d.id] }, { path });
    const shown = presentWebhook(webhook);
    const counts = countDeliveries(db, webhook.id);
    views.render(res, 'webhooks/show', {
      title: 'Webhook',
      webhook: { ...shown, eventLabels: shown.events.map((event) => EVENT_LABELS[event]) },
      counts: (Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((status) => ({
        label: STATUS_LABELS[status],
        count: counts[status],
      })),
      deliveries: items.map((d) => ({
        ...d,
        statusLabel: STATUS_LABELS[d.status],
        eventLabel: EVENT_LABELS[d.event as keyof typeof EVENT_LABELS] ?? d.event,
        answered: d.lastStatus !== null,
        ok: d.status === 'delivered',
        subject: subjectOf(d.body),
        body: prettyJson(d.body),
      })),
      next,
      start: request.after === null ? null : first,
      notice: noticeFor(req.query.done),
    });
  });

  router.post('/webhooks/:id/delete', (req, res) => {
    owner(req);
    deleteWebhook(db, loadWebhook(db, req.params.id).id);
    res.redirect(303, '/webhooks?done=webhook-deleted');
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/retry', (req, res) => {
    owner(req);
    const webhook = loadWebhook(db, req.params.id);
    const id = idParam(req.params.deliveryId);
    const delivery = id === null ? undefined : findDelivery(db, webhook.id, id);
    if (!delivery) throw new NotFoundError('The delivery');
    retryDelivery(db, delivery.id);
    res.redirect(303, `/webhooks/${webhook.id}?done=delivery-retried`);
  });

  return router;
}

/** What a delivery is about, in a few words: the run (and step) or the runbook it names. */
function subjectOf(body: string): string | null {
  try {
    const { data } = JSON.parse(body) as { data?: { run?: { title?: string }; step?: { title?: string }; runbook?: { title?: string } } };
    const about = data?.run?.title ?? data?.runbook?.title;
    if (!about) return null;
    return data?.step?.title ? `${about}, “${data.step.title}”` : about;
  } catch {
    return null;
  }
}

function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
