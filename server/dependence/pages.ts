import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { AppError } from '../http/errors';
import { requiredDay, withoutBlanks } from '../http/validate';
import { besideField, readForm } from '../http/forms';
import { requireActor, type Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { planAbsence } from '../people/absences';
import { listPeople } from '../people/repo';
import { dependenceReport } from './report';
import { SHOWN_HAND_OFFS, SHOWN_UNESTIMATED, dependencePage } from './present';
import { dependenceCsv } from './download';
import { simulateStepAway } from './step-away';
import { stepAwayPage } from './present-away';
import { stepAwaySubject } from './subject';
import { DAY_MS } from './workload';

const personField = z.union([
  z.literal(''),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'Choose a person from the list.')
    .transform(Number),
]);
const dayField = (label: string) => requiredDay({ missing: `Enter the ${label} day.`, empty: `Enter the ${label} day.` });
const stepAwayForm = z.object({ person: personField.default(''), from: dayField('first'), to: dayField('last') });
const planForm = stepAwayForm.extend({
  note: z.string().trim().max(500, 'Keep it under 500 characters.').default(''),
});

const ymd = (date: Date) => date.toISOString().slice(0, 10);
const subjectOf = (db: Db, actor: Actor, person: number | '') =>
  besideField(() => stepAwaySubject(db, actor, person === '' ? undefined : person), {});

/** The dependence page (owners and editors), its CSV, and the step-away simulator with "Plan this absence". */
export function dependencePages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  router.get('/dependence', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'dependence.read' });
    const report = dependenceReport(db, {
      showCosts: can(actor, { action: 'person.see-costs' }),
      shown: { handOffs: SHOWN_HAND_OFFS, unestimated: SHOWN_UNESTIMATED },
    });
    views.render(res, 'dependence/index', dependencePage(report, actor));
  });

  router.get('/dependence/steps.csv', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'dependence.read' });
    dependenceCsv(db, actor, res);
  });

  /** The form alone: whom (owners and editors choose anyone active), from, to. */
  const formData = (actor: Actor, values: { person: string; from: string; to: string }) => ({
    title: 'Step away',
    // Anyone's simulation (not only one's own) is for those who run the team: they choose whom.
    chooser: can(actor, { action: 'dependence.read' })
      ? listPeople(db)
          .filter((p) => p.active === 1)
          .map((p) => ({ id: p.id, name: p.name, selected: p.id === (Number(values.person) || actor.id) }))
      : null,
    values,
  });

  router.get('/step-away', (req, res) => {
    const actor = requireActor(req);
    // Nothing chosen yet: the next two weeks, from tomorrow.
    const tomorrow = new Date(Date.now() + DAY_MS);
    const query: Record<string, unknown> = {
      from: ymd(tomorrow),
      to: ymd(new Date(tomorrow.getTime() + 13 * DAY_MS)),
      ...withoutBlanks(req.query),
    };
    const values = { person: String(query.person ?? ''), from: String(query.from), to: String(query.to) };
    try {
      const input = readForm(stepAwayForm, query);
      const person = subjectOf(db, actor, input.person);
      const result = besideField(() => simulateStepAway(db, { person, from: input.from, to: input.to }));
      views.render(res, 'dependence/step-away', {
        ...formData(actor, values),
        title: `Step away: ${person.name}`,
        result: {
          subject: result.subject,
          from: result.from,
          to: result.to,
          ...stepAwayPage(result, actor.id),
          mayPlan: person.active === 1 && can(actor, { action: 'person.away', personId: person.id }),
        },
      });
    } catch (error) {
      // A GET form has no body to put back: the page again with the query's values and the error beside its field.
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404 || error.status === 403 || !error.field) throw error;
      views.render(
        res,
        'dependence/step-away',
        { ...formData(actor, values), errors: { [error.field]: error.message } },
        { status: error.status },
      );
    }
  });

  router.post('/step-away/plan', (req, res) => {
    const actor = requireActor(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.locals.formView = 'dependence/step-away';
    res.locals.formData = formData(actor, { from: String(body.from ?? ''), to: String(body.to ?? ''), person: String(body.person ?? '') });
    const input = readForm(planForm, body);
    const person = subjectOf(db, actor, input.person);
    authorize(actor, { action: 'person.away', personId: person.id });
    besideField(() =>
      planAbsence(
        db,
        { personId: person.id, from: input.from, to: input.to, note: input.note },
        { actorId: actor.id, address: req.ip ?? null },
      ),
    );
    res.redirect(303, `/people/${person.id}?done=away-planned#away`);
  });

  return router;
}
