import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { idParam, isoDay, validate } from '../http/validate';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { loadPerson } from './load';
import { cancelAbsence, listAwayPeriods, planAbsence, presentAway } from './absences';

export const awayBody = z.object({
  from: isoDay,
  to: isoDay,
  note: z.string().trim().max(500).default(''),
});

/** A person's absences (JSON): list, plan, cancel. */
export function absenceRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/people/:id/away', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    res.json({ person: { id: person.id, name: person.name }, away: listAwayPeriods(db, person.id).map((row) => presentAway(row)) });
  });

  router.post('/people/:id/away', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    const input = validate(awayBody, req.body);
    const row = planAbsence(db, { personId: person.id, ...input }, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json(presentAway(row));
  });

  router.delete('/people/:id/away/:awayId', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    const periodId = idParam(req.params.awayId);
    if (periodId === null) throw new NotFoundError(`Absence ${req.params.awayId}`);
    cancelAbsence(db, person.id, periodId, { actorId: actor.id, address: req.ip ?? null });
    res.json({ id: periodId, removed: true });
  });

  return router;
}
