import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { BadRequestError } from '../http/errors';
import { authorize, can } from '../access/policy';
import { GAP_LISTS, gapCounts, gapPage, type GapList } from '../people/gaps';
import { homeSummary } from './summary';
import { workPage } from './work';

const GAP_TITLES: Record<GapList, string> = {
  unassignedRunSteps: 'Open steps with nobody on them',
  emptyRoles: 'Roles nobody fills',
  unownedSteps: 'Steps with no owner',
};

export function homePages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const actor = requireActor(req);
    if (!can(actor, { action: 'runs.read-all' })) return res.redirect(303, '/my-work');
    const summary = homeSummary(db, paging, actor);
    views.render(res, 'home/index', {
      title: 'Home',
      ...summary,
      dueWhileAway: summary.work.dueWhileAway,
      handOffHref: can(actor, { action: 'steps.handoff', fromId: actor.id }) ? `/people/${actor.id}/handoff` : null,
    });
  });

  router.get('/my-work', (req, res) => {
    const actor = requireActor(req);
    views.render(res, 'home/my-work', { title: 'My work', work: workPage(db, paging, actor.id, req.query) });
  });

  // Every gap, a list at a time: the first page of each, or (?list=) the next pages of one.
  router.get('/gaps', (req, res) => {
    authorize(requireActor(req), { action: 'gaps.read' });
    const asked = req.query.list;
    if (asked !== undefined && !(typeof asked === 'string' && Object.hasOwn(GAP_LISTS, asked))) {
      throw new BadRequestError(`list: must be one of ${Object.keys(GAP_LISTS).join(', ')}`, 'list');
    }
    const only = asked === undefined ? null : (asked as GapList);
    const lists = (only ? [only] : (Object.keys(GAP_LISTS) as GapList[])).map((list) => {
      const listKey = GAP_LISTS[list];
      const request = paging.read(only ? req.query : {}, listKey);
      const page = gapPage(db, paging, list, request);
      // The API's next address, as this page's: /gaps?list=…&cursor=…
      const next = page.next && page.next.replace(listKey.path, `/gaps`).replace('?', `?list=${list}&`);
      return { list, title: GAP_TITLES[list], items: page.items, next, [list]: true };
    });
    views.render(res, 'home/gaps', { title: 'Ownership gaps', counts: gapCounts(db), lists, later: only !== null });
  });

  return router;
}
