import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { validate } from '../http/validate';
import type { Paging } from '../http/paging';
import { ASSIGNMENT_LIST, assignmentKey, assignmentRows, presentAssignment } from './assignments';
import { requireActor, LEVELS } from '../access/actor';
import { authorize } from '../access/policy';
import { addPerson, deactivatePerson, reactivatePerson, refuseTakenEmail, setAccessLevel } from './lifecycle';
import { findPerson, listPeopleAfter, PEOPLE_LIST, updatePerson, type PersonRow } from './repo';
import { loadPerson } from './load';
import { presentPerson } from './present';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const personFields = {
  name,
  email: z.email('must be an email address').max(320),
  kind: z.enum(['team', 'outsourcer']),
  hourlyCost: z.number().min(0).max(100_000).nullable(),
  active: z.boolean(),
  level: z.enum(LEVELS),
};
export const personBody = z.object({
  ...personFields,
  kind: personFields.kind.default('team'),
  hourlyCost: personFields.hourlyCost.optional(),
  active: personFields.active.default(true),
  level: personFields.level.optional(),
});
// A patch changes only what it names: no defaults here.
export const personPatch = z.object(personFields).partial().strict();

const toCents = (cost: number | null | undefined) => (cost === undefined ? undefined : cost === null ? null : Math.round(cost * 100));

export function peopleRoutes({ db, paging }: { db: Db; paging: Paging }): Router {
  const router = Router();

  router.get('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'people.list' });
    const request = paging.read(req.query, PEOPLE_LIST);
    const rows = listPeopleAfter(db, request.after as [string, number] | null, request.limit + 1);
    const { items, next } = paging.page(rows, request, { ...PEOPLE_LIST, keyOf: (p) => [p.name, p.id] }, { path: '/api/people' });
    paging.linkHeader(res, next);
    res.json({ people: items.map((p) => presentPerson(p, actor)), next });
  });

  router.post('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'person.invite', level: 'outsourcer' });
    const input = validate(personBody, req.body);
    const { hourlyCost, ...fields } = input;
    const person = addPerson(db, actor, { ...fields, ...(hourlyCost !== undefined ? { hourlyCostCents: toCents(hourlyCost) } : {}) });
    res.status(201).json(presentPerson(person, actor));
  });

  router.get('/people/:id', (req, res) => {
    const actor = requireActor(req);
    res.json(presentPerson(loadPerson(db, req.params.id, actor), actor));
  });

  router.patch('/people/:id', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.manage' });
    const input = validate(personPatch, req.body);
    if (input.email) refuseTakenEmail(db, input.email, person.id);
    db.transaction(() => {
      const { active, level, ...details } = input;
      updatePerson(db, person.id, { ...details, hourlyCostCents: toCents(input.hourlyCost) });
      if (level && level !== person.access_level) setAccessLevel(db, actor.id, person, level, req.ip ?? null);
      if (active === false && person.active) deactivatePerson(db, actor.id, person, req.ip ?? null);
      if (active === true && !person.active) reactivatePerson(db, actor.id, person, req.ip ?? null);
    })();
    res.json(presentPerson(findPerson(db, person.id) as PersonRow, actor));
  });

  router.get('/people/:id/assignments', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'assignments.read', personId: person.id }, `Person ${req.params.id}`);
    const now = new Date().toISOString();
    const request = paging.read(req.query, ASSIGNMENT_LIST);
    const rows = assignmentRows(db, person.id, request);
    const path = `/api/people/${person.id}/assignments`;
    const { items, next } = paging.page(rows, request, { ...ASSIGNMENT_LIST, keyOf: assignmentKey }, { path });
    paging.linkHeader(res, next);
    res.json({ person: { id: person.id, name: person.name }, assignments: items.map((a) => presentAssignment(a, now)), next });
  });

  return router;
}
