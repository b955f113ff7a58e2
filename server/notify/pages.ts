import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { withoutBlanks } from '../http/validate';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { loadPerson } from '../people/load';
import { readForm } from '../http/forms';
import { countNotifications, OUTBOX_LIST } from './outbox';
import { authorizeNotifyChoice, readOutbox, setNotifyChoice } from './api';
import type { Site } from './links';

const notifyForm = z.object({ notify: z.enum(['each', 'digest'], 'Choose how often to be emailed.') });
const statusQuery = z.object({
  status: z.enum(['pending', 'digest', 'digested', 'sent', 'failed'], 'Choose a status from the list.').optional(),
});

const STATUS_LABELS = {
  pending: 'Waiting to be sent',
  digest: 'Kept for the daily digest',
  digested: 'Sent in a digest',
  sent: 'Sent',
  failed: 'Could not be sent',
} as const;

/** The outbox (owners) and each person's choice of email rhythm. */
export function notifyPages({
  db,
  views,
  site,
  emailConfigured,
  paging,
}: {
  db: Db;
  views: Views;
  site: Site;
  emailConfigured: boolean;
  paging: Paging;
}): Router {
  const router = Router();

  router.post('/people/:id/notifications', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorizeNotifyChoice(actor, person.id);
    const { notify } = readForm(notifyForm, req.body);
    setNotifyChoice(db, person.id, notify);
    res.redirect(303, `/people/${person.id}?done=notify-saved#email`);
  });

  router.get('/outbox', (req, res) => {
    authorize(requireActor(req), { action: 'outbox.read' });
    const { status } = readForm(statusQuery, withoutBlanks(req.query));
    const request = paging.read(req.query, OUTBOX_LIST, { status });
    const rows = readOutbox(db, site, { status }, request);
    const { items, next, first } = paging.page(
      rows,
      request,
      { ...OUTBOX_LIST, keyOf: (m) => [m.id] },
      { path: '/outbox', filters: { status } },
    );
    const counts = countNotifications(db);
    // Without a mail server nothing is waiting: the outbox is where the message is read.
    const labels = emailConfigured ? STATUS_LABELS : { ...STATUS_LABELS, pending: 'Kept here (email not set up)' };
    views.render(res, 'notify/outbox', {
      title: 'Outbox',
      emailConfigured,
      filters: (Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[]).map((value) => ({
        value,
        label: labels[value],
        count: counts[value],
        current: value === status,
      })),
      status: status ?? null,
      messages: items.map((m) => ({ ...m, statusLabel: labels[m.status] })),
      next,
      start: request.after === null ? null : first,
    });
  });

  return router;
}
