import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { idParam, requiredDay } from '../http/validate';
import { besideField, readForm, formPage } from '../http/forms';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { loadPerson } from './load';
import { personData } from './page-model';
import { cancelAbsence, planAbsence } from './absences';

const day = (label: string) => requiredDay({ missing: `Enter the ${label} day.`, empty: `Enter the ${label} day.` });
const awayForm = z.object({
  awayFrom: day('first'),
  awayTo: day('last'),
  awayNote: z.string().trim().max(500, 'Keep it under 500 characters.').default(''),
});

/** The absence forms on a person's page. */
export function absencePages({ db }: { db: Db }): Router {
  const router = Router();

  router.post('/people/:id/away', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    formPage(res, 'people/person', () => personData(db, actor, person));
    const input = readForm(awayForm, req.body);
    const by = { actorId: actor.id, address: req.ip ?? null };
    besideField(() => planAbsence(db, { personId: person.id, from: input.awayFrom, to: input.awayTo, note: input.awayNote }, by), {
      from: 'awayFrom',
      to: 'awayTo',
    });
    res.redirect(303, `/people/${person.id}?done=away-planned#away`);
  });

  router.post('/people/:id/away/:awayId/remove', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    const periodId = idParam(req.params.awayId as string);
    if (periodId === null) throw new NotFoundError(`Absence ${req.params.awayId}`);
    cancelAbsence(db, person.id, periodId, { actorId: actor.id, address: req.ip ?? null });
    res.redirect(303, `/people/${person.id}?done=away-removed#away`);
  });

  return router;
}
