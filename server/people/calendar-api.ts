import { Router } from 'express';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { requireActor } from '../access/actor';
import { calendarUrl, makeCalendarLink, revokeCalendarLink } from '../auth/calendar-links';
import { mayManageCalendar } from './calendar-section';

/**
 * A person's calendar link (JSON): make one (it replaces the one before) or stop it. The address
 * is built from the site's address (PUBLIC_URL) and answered once: only its hash is kept.
 */
export function calendarRoutes({ db, baseUrl }: { db: Db; baseUrl: string }): Router {
  const router = Router();

  router.post('/people/:id/calendar', (req, res) => {
    const actor = requireActor(req);
    const person = mayManageCalendar(db, actor, req.params.id, { making: true });
    const { secret, createdAt } = makeCalendarLink(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json({ url: calendarUrl(baseUrl, secret), createdAt });
  });

  router.delete('/people/:id/calendar', (req, res) => {
    const actor = requireActor(req);
    const person = mayManageCalendar(db, actor, req.params.id);
    if (!revokeCalendarLink(db, person.id, { actorId: actor.id, address: req.ip ?? null })) {
      throw new NotFoundError(`A calendar link of ${person.name}`);
    }
    res.json({ revoked: true });
  });

  return router;
}
