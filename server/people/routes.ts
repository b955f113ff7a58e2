import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { listAssignments } from '../runs/repo';
import { presentAssignment } from '../runs/present';
import { listGaps } from './gaps';
import { requireActor } from '../auth/authenticate';
import { audit } from '../auth/audit';
import { LEVELS, type Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { deactivatePerson, setAccessLevel } from '../access/manage';
import {
  findPerson, findPersonByEmail, findRole, findRoleByName, insertPerson, insertRole, listPeople, listRoleMembers,
  listRoles, removeRoleMember, updatePerson, upsertRoleMember, type PersonRow,
} from './repo';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const personFields = {
  name,
  email: z.email('must be an email address').max(320),
  kind: z.enum(['team', 'outsourcer']),
  hourlyCost: z.number().min(0).max(100_000).nullable(),
  active: z.boolean(),
  level: z.enum(LEVELS),
};
const personBody = z.object({
  ...personFields,
  kind: personFields.kind.default('team'),
  hourlyCost: personFields.hourlyCost.optional(),
  active: personFields.active.default(true),
  level: personFields.level.optional(),
});
// A patch changes only what it names: no defaults here.
const personPatch = z.object(personFields).partial().strict();
const roleBody = z.object({ name, description: z.string().trim().max(2000).default('') });
const memberBody = z.object({ person: z.number().int().positive(), primary: z.boolean().optional() });

/** A person as the viewer may see them: costs only for owners (and the person themself). */
export const presentPerson = (p: PersonRow, viewer: Actor) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  kind: p.kind,
  level: p.access_level,
  ...(viewer.id === p.id || can(viewer, { action: 'person.see-costs' })
    ? { hourlyCost: p.hourly_cost_cents === null ? null : p.hourly_cost_cents / 100 }
    : {}),
  active: p.active === 1,
  ...(viewer.id === p.id || can(viewer, { action: 'person.manage' }) ? { notify: p.notify } : {}),
  createdAt: p.created_at,
});

const toCents = (cost: number | null | undefined) => (cost === undefined ? undefined : cost === null ? null : Math.round(cost * 100));

/** A person the viewer may see; anyone else is "not found", exactly like a missing id. */
export function loadPerson(db: Db, raw: string | undefined, viewer: Actor): PersonRow {
  const id = idParam(raw);
  if (id === null || !can(viewer, { action: 'person.read', personId: id })) throw new NotFoundError(`Person ${raw}`);
  const person = findPerson(db, id);
  if (!person) throw new NotFoundError(`Person ${raw}`);
  return person;
}

export function peopleRoutes({ db }: { db: Db }): Router {
  const router = Router();

  const presentRoles = () => {
    const members = listRoleMembers(db);
    return listRoles(db).map((role) => {
      const own = members.filter((m) => m.role_id === role.id);
      return {
        id: role.id, name: role.name, description: role.description,
        members: own.map((m) => ({ person: { id: m.person_id, name: m.name, active: m.active === 1 }, primary: m.is_primary === 1 })),
        gap: !own.some((m) => m.active === 1),
      };
    });
  };

  router.get('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'people.list' });
    res.json({ people: listPeople(db).map((p) => presentPerson(p, actor)) });
  });

  router.post('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'person.invite', level: 'outsourcer' });
    const input = validate(personBody, req.body);
    const level = input.level ?? (input.kind === 'outsourcer' ? 'outsourcer' : 'member');
    authorize(actor, { action: 'person.invite', level });
    if (input.hourlyCost !== undefined) authorize(actor, { action: 'person.see-costs' });
    if (findPersonByEmail(db, input.email)) {
      throw new ConflictError('email-taken', `${input.email} already belongs to someone`, { field: 'email' });
    }
    const person = insertPerson(db, { ...input, level, hourlyCostCents: toCents(input.hourlyCost) ?? null });
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
    const other = input.email ? findPersonByEmail(db, input.email) : undefined;
    if (other && other.id !== person.id) {
      throw new ConflictError('email-taken', `${input.email} already belongs to someone`, { field: 'email' });
    }
    db.transaction(() => {
      const { active, level, ...details } = input;
      updatePerson(db, person.id, { ...details, hourlyCostCents: toCents(input.hourlyCost) });
      if (level && level !== person.access_level) setAccessLevel(db, actor.id, person, level, req.ip ?? null);
      if (active === false && person.active) deactivatePerson(db, actor.id, person, req.ip ?? null);
      if (active === true && !person.active) {
        updatePerson(db, person.id, { active: true });
        audit(db, { action: 'person.reactivated', actorId: actor.id, subjectId: person.id, address: req.ip ?? null });
      }
    })();
    res.json(presentPerson(findPerson(db, person.id) as PersonRow, actor));
  });

  router.get('/people/:id/assignments', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'assignments.read', personId: person.id }, `Person ${req.params.id}`);
    const now = new Date().toISOString();
    res.json({ person: { id: person.id, name: person.name }, assignments: listAssignments(db, person.id).map((a) => presentAssignment(a, now)) });
  });

  router.get('/roles', (req, res) => {
    authorize(requireActor(req), { action: 'roles.read' });
    res.json({ roles: presentRoles() });
  });

  router.post('/roles', (req, res) => {
    authorize(requireActor(req), { action: 'roles.manage' });
    const input = validate(roleBody, req.body);
    if (findRoleByName(db, input.name)) throw new ConflictError('role-exists', `A role named "${input.name}" already exists`, { field: 'name' });
    const role = insertRole(db, input.name, input.description);
    res.status(201).json(presentRoles().find((r) => r.id === role.id));
  });

  router.post('/roles/:id/members', (req, res) => {
    authorize(requireActor(req), { action: 'roles.manage' });
    const roleId = idParam(req.params.id);
    const role = roleId === null ? undefined : findRole(db, roleId);
    if (!role) throw new NotFoundError(`Role ${req.params.id}`);
    const input = validate(memberBody, req.body);
    const person = findPerson(db, input.person);
    if (!person) throw new UnprocessableError('unknown-person', `person: person ${input.person} does not exist`, 'person');
    if (!person.active) throw new UnprocessableError('inactive-person', `person: ${person.name} is inactive`, 'person');
    upsertRoleMember(db, role.id, person.id, input.primary);
    res.status(201).json(presentRoles().find((r) => r.id === role.id));
  });

  router.delete('/roles/:id/members/:personId', (req, res) => {
    authorize(requireActor(req), { action: 'roles.manage' });
    const roleId = idParam(req.params.id);
    const personId = idParam(req.params.personId);
    const role = roleId === null ? undefined : findRole(db, roleId);
    if (!role || personId === null || !removeRoleMember(db, role.id, personId)) {
      throw new NotFoundError(`Member ${req.params.personId} of role ${req.params.id}`);
    }
    res.json(presentRoles().find((r) => r.id === role.id));
  });

  router.get('/gaps', (req, res) => {
    authorize(requireActor(req), { action: 'gaps.read' });
    res.json(listGaps(db));
  });

  return router;
}
