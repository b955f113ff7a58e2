import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { validate, withoutBlanks } from '../http/validate';
import type { PageRequest, Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { loadPerson } from '../people/load';
import { sql } from '../db/statements';
import { countNotifications, listNotifications, OUTBOX_LIST } from './outbox';
import { bodyForOutbox, type Site } from './links';

export const notifyBody = z.object({ notify: z.enum(['each', 'digest']) });
export const outboxQuery = z.object({
  status: z.enum(['pending', 'digest', 'digested', 'sent', 'failed']).optional(),
  person: z.coerce.number().int().positive().optional(),
});

/** A page of the messages as owners read them in the outbox, with working links (see bodyForOutbox). */
export function readOutbox(db: Db, site: Site, filter: z.infer<typeof outboxQuery>, page: PageRequest) {
  const rows = listNotifications(db, {
    status: filter.status,
    personId: filter.person,
    before: (page.after?.[0] as number | undefined) ?? null,
    limit: page.limit + 1,
  });
  return rows.map((n) => ({
    id: n.id,
    to: { id: n.person_id, name: n.person_name, email: n.person_email },
    kind: n.topic ?? n.kind,
    subject: n.subject,
    body: bodyForOutbox(db, n, { access_level: n.person_level }, site),
    status: n.status,
    createdAt: n.created_at,
    sentAt: n.sent_at,
    attempts: n.attempts,
    lastError: n.last_error,
  }));
}

/** Who may choose someone's email rhythm: the person, and owners. */
export function authorizeNotifyChoice(actor: ReturnType<typeof requireActor>, personId: number): void {
  if (!can(actor, { action: 'notify.choose', personId })) authorize(actor, { action: 'person.manage' });
}

export function setNotifyChoice(db: Db, personId: number, notify: 'each' | 'digest'): void {
  sql(db, 'UPDATE people SET notify = ? WHERE id = ?').run(notify, personId);
}

export function notifyRoutes({
  db,
  site,
  emailConfigured,
  paging,
}: {
  db: Db;
  site: Site;
  emailConfigured: boolean;
  paging: Paging;
}): Router {
  const router = Router();

  router.put('/people/:id/notifications', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorizeNotifyChoice(actor, person.id);
    const { notify } = validate(notifyBody, req.body);
    setNotifyChoice(db, person.id, notify);
    res.json({ person: { id: person.id, name: person.name }, notify });
  });

  router.get('/outbox', (req, res) => {
    authorize(requireActor(req), { action: 'outbox.read' });
    const filter = validate(outboxQuery, withoutBlanks(req.query), 'query');
    const request = paging.read(req.query, OUTBOX_LIST, filter);
    const rows = readOutbox(db, site, filter, request);
    const { items, next } = paging.page(rows, request, { ...OUTBOX_LIST, keyOf: (m) => [m.id] }, { path: '/api/outbox', filters: filter });
    paging.linkHeader(res, next);
    res.json({ emailConfigured, counts: countNotifications(db), messages: items, next });
  });

  return router;
}
