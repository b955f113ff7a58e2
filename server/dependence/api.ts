import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { isoDay, validate, withoutBlanks } from '../http/validate';
import { requireActor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { dependenceReport } from './report';
import { dependenceCsv } from './download';
import { simulateStepAway } from './step-away';
import { stepAwaySubject } from './subject';

export const stepAwayQuery = z.object({
  person: z.coerce.number().int().positive().optional(),
  from: isoDay,
  to: isoDay,
});

/** GET /api/dependence (and its per-step CSV) and GET /api/step-away. */
export function dependenceRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/dependence', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'dependence.read' });
    res.json(dependenceReport(db, { showCosts: can(actor, { action: 'person.see-costs' }) }));
  });

  router.get('/dependence/steps.csv', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'dependence.read' });
    dependenceCsv(db, actor, res);
  });

  router.get('/step-away', (req, res) => {
    const actor = requireActor(req);
    const query = validate(stepAwayQuery, withoutBlanks(req.query), 'query');
    const person = stepAwaySubject(db, actor, query.person);
    res.json(simulateStepAway(db, { person, from: query.from, to: query.to }));
  });

  return router;
}
