import { Router } from 'express';
import type { Db } from '../db/open';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { AUDIT_LIST, listAudit } from './repo';

/** The audit log, for owners (JSON), newest first, a page at a time. */
export function auditRoutes({ db, paging }: { db: Db; paging: Paging }): Router {
  const router = Router();

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    const request = paging.read(req.query, AUDIT_LIST);
    const rows = listAudit(db, (request.after?.[0] as number | undefined) ?? null, request.limit + 1);
    const { items, next } = paging.page(rows, request, { ...AUDIT_LIST, keyOf: (e) => [e.id] }, { path: '/api/audit' });
    paging.linkHeader(res, next);
    res.json({ entries: items, next });
  });

  return router;
}
