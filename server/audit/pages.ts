import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { AUDIT_LIST, listAudit } from './repo';

/** The audit log page, for owners: the newest entries, and a link to the older ones. */
export function auditPages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    const request = paging.read(req.query, AUDIT_LIST);
    const rows = listAudit(db, (request.after?.[0] as number | undefined) ?? null, request.limit + 1);
    const { items, next, first } = paging.page(rows, request, { ...AUDIT_LIST, keyOf: (e) => [e.id] }, { path: '/audit' });
    views.render(res, 'audit/index', { title: 'Audit log', entries: items, next, start: request.after === null ? null : first });
  });

  return router;
}
