import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { AppError, NotFoundError } from '../http/errors';
import { idParam, withoutBlanks } from '../http/validate';
import { requireActor } from '../auth/authenticate';
import { audit } from '../audit/repo';
import { authorize, can } from '../access/policy';
import type { Actor } from '../access/actor';
import { listPeople, type PersonRow } from '../people/repo';
import { listRoles } from '../people/roles-repo';
import { loadPerson } from '../people/load';
import { readForm } from '../http/forms';
import { personData } from '../people/page-model';
import { addAwayPeriod, currentAbsence, peopleAwayToday, removeAwayPeriod } from './away';
import { authorizeHandOff, isoDay } from './api';
import { checkRecipient, checkRole, handOff, stepsToHandOff } from './handoff';

/**
 * The hand-off page (choose, preview, confirm) and the person page's absence forms. The API's
 * rules and checks, with messages meant to sit beside a form field.
 */
const day = (label: string) => z.string(`Enter the ${label} day.`).trim().min(1, `Enter the ${label} day.`).pipe(isoDay);
const awayForm = z.object({
  awayFrom: day('first'),
  awayTo: day('last'),
  awayNote: z.string().trim().max(500, 'Keep it under 500 characters.').default(''),
});
const choosePerson = z.string('Choose who takes the steps.').regex(/^[1-9]\d{0,15}$/, 'Choose who takes the steps.').transform(Number);
const optionalId = z.union([z.literal(''), z.string().regex(/^[1-9]\d{0,15}$/, 'Choose a role from the list.').transform(Number)]).default('');
const previewForm = z.object({ to: choosePerson.optional(), role: optionalId });
const handOffForm = z.object({
  to: choosePerson,
  role: optionalId,
  reason: z.string('Say why the steps change hands.').trim().min(1, 'Say why the steps change hands.').max(2000, 'Keep it under 2,000 characters.'),
  expect: z.string().regex(/^(\d+(,\d+)*)?$/, 'Preview the hand-off again.').default(''),
  offboard: z.literal('yes').optional(),
  giveRoles: z.literal('yes').optional(),
});

/**
 * The API's "to: Bo is away…" reads as "Bo is away…" beside the field it names (`fields`
 * renames the API's field to the form's, where they differ).
 */
function besideField<T>(change: () => T, fields: Record<string, string> = {}): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof AppError && error.field && error.message.startsWith(`${error.field}: `)) {
      const message = error.message.slice(error.field.length + 2);
      throw new AppError(error.status, error.code, message, fields[error.field] ?? error.field, error.details);
    }
    if (error instanceof AppError && !error.field && error.status < 500) throw new AppError(error.status, error.code, error.message, 'form', error.details);
    throw error;
  }
}

function handOffData(db: Db, actor: Actor, from: PersonRow, chosen: { to?: number; role: number | '' }) {
  const now = new Date();
  const away = currentAbsence(db, from.id, now);
  const awayToday = peopleAwayToday(db, now);
  const role = chosen.role === '' ? null : chosen.role;
  const steps = stepsToHandOff(db, from.id, role);
  return {
    title: `Hand off ${from.name}’s steps`,
    from: { id: from.id, name: from.name, awayUntil: away?.ends_on ?? null, outsourcer: from.access_level === 'outsourcer' },
    recipients: listPeople(db)
      .filter((p) => p.active === 1 && p.id !== from.id)
      .map((p) => ({ id: p.id, name: p.name, away: awayToday.has(p.id), selected: p.id === chosen.to })),
    roles: listRoles(db).map((r) => ({ id: r.id, name: r.name, selected: r.id === role })),
    steps: steps.map((s) => ({ ...s, overdue: s.due_at !== null && s.due_at < now.toISOString() })),
    expect: steps.map((s) => s.id).join(','),
    mayOffboard: can(actor, { action: 'person.manage' }) && from.active === 1,
    mayGiveRoles: can(actor, { action: 'roles.manage' }),
  };
}

export function delegationPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();
  const loadFrom = (req: Request, actor: Actor) => {
    const from = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'steps.handoff', fromId: from.id });
    return from;
  };

  router.get('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadFrom(req, actor);
    const query = withoutBlanks(req.query);
    const parsed = previewForm.safeParse(query);
    // Built once: the page itself, or the page beside an error (the error handler reads formData).
    const data = handOffData(db, actor, from, parsed.success ? parsed.data : { role: '' });
    res.locals.formView = 'delegation/handoff';
    res.locals.formData = data;
    const chosen = readForm(previewForm, query);
    if (chosen.to !== undefined) {
      besideField(() => checkRecipient(db, from, chosen.to as number, new Date()));
      besideField(() => checkRole(db, chosen.role === '' ? null : chosen.role));
    }
    views.render(res, 'delegation/handoff', { ...data, values: { to: chosen.to, role: chosen.role }, previewed: chosen.to !== undefined });
  });

  router.post('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadFrom(req, actor);
    const parsed = handOffForm.safeParse(req.body ?? {});
    res.locals.formView = 'delegation/handoff';
    res.locals.formData = { ...handOffData(db, actor, from, parsed.success ? parsed.data : { role: '' }), previewed: parsed.success };
    const input = readForm(handOffForm, req.body);
    const options = { offboard: input.offboard === 'yes', giveRoles: input.giveRoles === 'yes' };
    authorizeHandOff(actor, from.id, options);
    const { to } = besideField(() => handOff(db, { id: actor.id, name: actor.name, address: req.ip ?? null }, from, {
      toId: input.to, roleId: input.role === '' ? null : input.role, reason: input.reason,
      expect: input.expect === '' ? [] : input.expect.split(',').map(Number), ...options,
    }));
    res.redirect(303, `/people/${options.offboard ? to.id : from.id}?done=${options.offboard ? 'offboarded' : 'handed-off'}`);
  });

  router.post('/people/:id/away', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    res.locals.formView = 'people/person';
    res.locals.formData = personData(db, actor, person);
    const input = readForm(awayForm, req.body);
    besideField(() => db.transaction(() => {
      addAwayPeriod(db, { personId: person.id, from: input.awayFrom, to: input.awayTo, note: input.awayNote, createdBy: actor.id });
      audit(db, { action: 'away.planned', actorId: actor.id, subjectId: person.id, address: req.ip ?? null, data: { from: input.awayFrom, to: input.awayTo } });
    })(), { from: 'awayFrom', to: 'awayTo' });
    res.redirect(303, `/people/${person.id}?done=away-planned#away`);
  });

  router.post('/people/:id/away/:awayId/remove', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'person.away', personId: person.id });
    const periodId = idParam(req.params.awayId as string);
    if (periodId === null) throw new NotFoundError(`Absence ${req.params.awayId}`);
    db.transaction(() => {
      removeAwayPeriod(db, person.id, periodId);
      audit(db, { action: 'away.cancelled', actorId: actor.id, subjectId: person.id, address: req.ip ?? null, data: { period: periodId } });
    })();
    res.redirect(303, `/people/${person.id}?done=away-removed#away`);
  });

  return router;
}
