import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { requireActor } from '../auth/authenticate';
import { listAudit } from '../auth/audit';
import { authorize, can } from '../access/policy';
import { listAssignments, listRuns } from '../runs/repo';
import { presentAssignment, presentRunSummary } from '../runs/present';

export function homePages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  const myWork = (personId: number) => {
    const now = new Date().toISOString();
    return listAssignments(db, personId).map((a) => presentAssignment(a, now));
  };

  router.get('/', (req, res) => {
    const actor = requireActor(req);
    if (!can(actor, { action: 'runs.read-all' })) return res.redirect(303, '/my-work');
    const runs = listRuns(db, { status: 'open' }).map(presentRunSummary);
    views.render(res, 'home/index', { title: 'Home', assignments: myWork(actor.id).slice(0, 10), runs });
  });

  router.get('/my-work', (req, res) => {
    const actor = requireActor(req);
    views.render(res, 'home/my-work', { title: 'My work', assignments: myWork(actor.id) });
  });

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    views.render(res, 'home/audit', { title: 'Audit log', entries: listAudit(db) });
  });

  return router;
}
