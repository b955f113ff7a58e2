import { Router } from 'express';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { calendarOwner } from '../auth/calendar-links';
import { personCalendar } from './feed';

/**
 * The calendar feed: GET /calendar/<secret>.ics, read by calendar programs, which cannot sign in.
 * The secret is the key; a revoked or unknown one is not found, like any address that is not there.
 */
export function calendarFeed({ db, baseUrl }: { db: Db; baseUrl: string }): Router {
  const router = Router();
  router.get('/calendar/:secret.ics', (req, res) => {
    // The address is the secret: no cache keeps a copy (a not-found answer either), and no page it links to learns it.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const secret = req.params.secret;
    const person = /^[\w-]{20,100}$/.test(secret) ? calendarOwner(db, secret) : undefined;
    if (!person) throw new NotFoundError('This calendar address');
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'inline; filename="runbooks.ics"');
    res.send(personCalendar(db, person, baseUrl));
  });
  return router;
}
