import { Router } from 'express';
import type { Db } from '../db/open';
import { idParam, validate } from '../http/validate';
import type { Paging } from '../http/paging';
import { NotFoundError } from '../http/errors';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { WEBHOOK_EVENTS } from './events';
import { loadWebhook, presentWebhook, readDeliveries, registerWebhook, webhookBody, presentDelivery } from './manage';
import { countDeliveries, deleteWebhook, DELIVERY_LIST, findDelivery, listWebhooks, retryDelivery } from './repo';

/** Webhooks over the API (owners only). */
export function webhookRoutes({ db, paging, allowPrivate }: { db: Db; paging: Paging; allowPrivate: boolean }): Router {
  const router = Router();
  const owner = (req: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'webhooks.manage' });
    return actor;
  };

  router.get('/webhooks', (req, res) => {
    owner(req);
    res.json({ events: WEBHOOK_EVENTS, webhooks: listWebhooks(db).map(presentWebhook) });
  });

  router.post('/webhooks', async (req, res) => {
    const actor = owner(req);
    const input = validate(webhookBody, req.body);
    const webhook = await registerWebhook(db, input, actor.id, allowPrivate);
    res
      .status(201)
      .location(`/api/webhooks/${webhook.id}`)
      .json({ webhook: presentWebhook(webhook) });
  });

  router.get('/webhooks/:id', (req, res) => {
    owner(req);
    const webhook = loadWebhook(db, req.params.id);
    res.json({ webhook: presentWebhook(webhook), counts: countDeliveries(db, webhook.id) });
  });

  router.delete('/webhooks/:id', (req, res) => {
    owner(req);
    deleteWebhook(db, loadWebhook(db, req.params.id).id);
    res.status(204).end();
  });

  router.get('/webhooks/:id/deliveries', (req, res) => {
    owner(req);
    const webhook = loadWebhook(db, req.params.id);
    const request = paging.read(req.query, DELIVERY_LIST);
    const rows = readDeliveries(db, webhook.id, request);
    const path = `/api/webhooks/${webhook.id}/deliveries`;
    const { items, next } = paging.page(rows, request, { ...DELIVERY_LIST, keyOf: (d) => [d.id] }, { path });
    paging.linkHeader(res, next);
    res.json({ deliveries: items, next });
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/retry', (req, res) => {
    owner(req);
    const webhook = loadWebhook(db, req.params.id);
    const id = idParam(req.params.deliveryId);
    const delivery = id === null ? undefined : findDelivery(db, webhook.id, id);
    if (!delivery) throw new NotFoundError('The delivery');
    retryDelivery(db, delivery.id);
    res.json({ delivery: presentDelivery(findDelivery(db, webhook.id, delivery.id) ?? delivery) });
  });

  return router;
}
