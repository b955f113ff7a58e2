import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { requireActor } from '../access/actor';
import { can } from '../access/policy';
import { listRuns } from '../runs/repo';
import { presentRunSummary } from '../runs/present';
import { listGaps } from '../people/gaps';
import { awayWithOpenSteps } from '../people/absences';
import { groupedWork } from './work';
import { overdueAcrossTeam } from '../runs/overdue';

export function homePages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const actor = requireActor(req);
    if (!can(actor, { action: 'runs.read-all' })) return res.redirect(303, '/my-work');
    const runs = listRuns(db, { status: 'open' }).map(presentRunSummary);
    const gaps = can(actor, { action: 'gaps.read' }) ? { ...listGaps(db), away: awayWithOpenSteps(db) } : null;
    const work = groupedWork(db, actor.id);
    // Owners and editors see every overdue step, whoever has it (escalation shows here first).
    const overdue = can(actor, { action: 'gaps.read' }) ? overdueAcrossTeam(db) : null;
    views.render(res, 'home/index', {
      title: 'Home',
      work,
      dueWhileAway: work.dueWhileAway,
      handOffHref: can(actor, { action: 'steps.handoff', fromId: actor.id }) ? `/people/${actor.id}/handoff` : null,
      overdue: overdue && { shown: overdue.slice(0, 10), count: overdue.length },
      runs,
      gaps: gaps && {
        ...gaps,
        any: gaps.emptyRoles.length + gaps.unownedSteps.length + gaps.unassignedRunSteps.length + gaps.away.length > 0,
      },
    });
  });

  router.get('/my-work', (req, res) => {
    const actor = requireActor(req);
    views.render(res, 'home/my-work', { title: 'My work', work: groupedWork(db, actor.id) });
  });

  return router;
}
