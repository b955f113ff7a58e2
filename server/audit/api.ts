import { Router } from 'express';
import type { Db } from '../db/open';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { listAudit } from './repo';

/** The audit log, for owners (JSON). */
export function auditRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    res.json({ entries: listAudit(db) });
  });

  return router;
}
