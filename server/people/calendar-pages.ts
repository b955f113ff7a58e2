import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { requireActor } from '../access/actor';
import { formPage } from '../http/forms';
import { calendarUrl, makeCalendarLink, revokeCalendarLink } from '../auth/calendar-links';
import { personData } from './page-model';
import { loadPerson } from './load';
import { mayManageCalendar } from './calendar-section';

/**
 * The calendar link from a person's page: make (or replace) it, shown once on the page that
 * answers, and stop it. The same functions as the JSON API, so the same rules and audit entries.
 */
export function calendarPages({ db, views, baseUrl }: { db: Db; views: Views; baseUrl: string }): Router {
  const router = Router();

  router.post('/people/:id/calendar', (req, res) => {
    const actor = requireActor(req);
    formPage(res, 'people/person', () => personData(db, actor, loadPerson(db, req.params.id, actor)));
    const person = mayManageCalendar(db, actor, req.params.id, { making: true });
    const { secret } = makeCalendarLink(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    views.render(
      res,
      'people/person',
      { ...personData(db, actor, person), newCalendar: { url: calendarUrl(baseUrl, secret) } },
      { status: 201 },
    );
  });

  router.post('/people/:id/calendar/revoke', (req, res) => {
    const actor = requireActor(req);
    const person = mayManageCalendar(db, actor, req.params.id);
    revokeCalendarLink(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    res.redirect(303, `/people/${person.id}?done=calendar-stopped#calendar`);
  });

  return router;
}
