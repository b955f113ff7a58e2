import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { listAssignments } from '../runs/repo';
import { presentAssignment } from '../runs/present';
import { listGaps } from './gaps';
import {
  findPerson, findPersonByEmail, findRole, findRoleByName, insertPerson, insertRole, listPeople, listRoleMembers,
  listRoles, removeRoleMember, updatePerson, upsertRoleMember, type PersonRow,
} from './repo';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const personBody = z.object({
  name,
  email: z.email('must be an email address').max(320),
  kind: z.enum(['team', 'outsourcer']).default('team'),
  hourlyCost: z.number().min(0).max(100_000).nullable().optional(),
  active: z.boolean().default(true),
});
const personPatch = personBody.partial().strict();
const roleBody = z.object({ name, description: z.string().trim().max(2000).default('') });
const memberBody = z.object({ person: z.number().int().positive(), primary: z.boolean().optional() });

export const presentPerson = (p: PersonRow) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  kind: p.kind,
  hourlyCost: p.hourly_cost_cents === null ? null : p.hourly_cost_cents / 100,
  active: p.active === 1,
  createdAt: p.created_at,
});

const toCents = (cost: number | null | undefined) => (cost === undefined ? undefined : cost === null ? null : Math.round(cost * 100));

function loadPerson(db: Db, raw: string | undefined): PersonRow {
  const id = idParam(raw);
  const person = id === null ? undefined : findPerson(db, id);
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

  router.get('/people', (_req, res) => {
    res.json({ people: listPeople(db).map(presentPerson) });
  });

  router.post('/people', (req, res) => {
    const input = validate(personBody, req.body);
    if (findPersonByEmail(db, input.email)) {
      throw new ConflictError('email-taken', `${input.email} already belongs to someone`, { field: 'email' });
    }
    const person = insertPerson(db, { ...input, hourlyCostCents: toCents(input.hourlyCost) ?? null });
    res.status(201).json(presentPerson(person));
  });

  router.get('/people/:id', (req, res) => {
    res.json(presentPerson(loadPerson(db, req.params.id)));
  });

  router.patch('/people/:id', (req, res) => {
    const person = loadPerson(db, req.params.id);
    const input = validate(personPatch, req.body);
    const other = input.email ? findPersonByEmail(db, input.email) : undefined;
    if (other && other.id !== person.id) {
      throw new ConflictError('email-taken', `${input.email} already belongs to someone`, { field: 'email' });
    }
    updatePerson(db, person.id, { ...input, hourlyCostCents: toCents(input.hourlyCost) });
    res.json(presentPerson(findPerson(db, person.id) as PersonRow));
  });

  router.get('/people/:id/assignments', (req, res) => {
    const person = loadPerson(db, req.params.id);
    const now = new Date().toISOString();
    res.json({ person: { id: person.id, name: person.name }, assignments: listAssignments(db, person.id).map((a) => presentAssignment(a, now)) });
  });

  router.get('/roles', (_req, res) => {
    res.json({ roles: presentRoles() });
  });

  router.post('/roles', (req, res) => {
    const input = validate(roleBody, req.body);
    if (findRoleByName(db, input.name)) throw new ConflictError('role-exists', `A role named "${input.name}" already exists`, { field: 'name' });
    const role = insertRole(db, input.name, input.description);
    res.status(201).json(presentRoles().find((r) => r.id === role.id));
  });

  router.post('/roles/:id/members', (req, res) => {
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
    const roleId = idParam(req.params.id);
    const personId = idParam(req.params.personId);
    const role = roleId === null ? undefined : findRole(db, roleId);
    if (!role || personId === null || !removeRoleMember(db, role.id, personId)) {
      throw new NotFoundError(`Member ${req.params.personId} of role ${req.params.id}`);
    }
    res.json(presentRoles().find((r) => r.id === role.id));
  });

  router.get('/gaps', (_req, res) => {
    res.json(listGaps(db));
  });

  return router;
}
