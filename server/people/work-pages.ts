import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { BadRequestError } from '../http/errors';
import { formPage, readForm } from '../http/forms';
import { readDay, requiredDay } from '../http/validate';
import { personData } from './page-model';
import { sendWorkCsv, workOf } from './work-csv';

const day = (empty: string) => requiredDay({ missing: empty, empty, invalid: 'Type a day, such as 5 Dec 2026.' });
const workForm = z.object({ from: day('Choose the first day.'), to: day('Choose the last day.') });

/**
 * GET /people/:id/work.csv: the person page's "Work done" form. The same download as the API's,
 * but a day it cannot read brings the page back with the error beside its box, in words, rather
 * than the API's JSON.
 */
export function workPages({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/people/:id/work.csv', async (req, res) => {
    const { actor, person, showCost } = workOf(db, req);
    // A day typed as "1 Nov 2026" goes back into the date box as the box reads days, else it shows empty.
    const shown = (text: unknown) => (typeof text === 'string' ? (readDay(text) ?? text) : '');
    const workDownload = { from: shown(req.query.from), to: shown(req.query.to) };
    // Nothing is saved by a download: the summary above the page says what did not happen.
    formPage(res, 'people/person', () => ({ ...personData(db, actor, person), workDownload, errorsLead: 'Not downloaded' }));
    const range = readForm(workForm, req.query);
    if (range.to < range.from) throw new BadRequestError('Choose a last day on or after the first day.', 'to');
    await sendWorkCsv(db, res, person, range, showCost);
  });
  return router;
}
