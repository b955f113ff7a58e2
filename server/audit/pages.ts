import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { listAudit } from './repo';

/** The audit log page, for owners. */
export function auditPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    views.render(res, 'audit/index', { title: 'Audit log', entries: listAudit(db) });
  });

  return router;
}
