import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { readLimit, type Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { findPerson } from './repo';
import {
  findRole,
  findRoleByName,
  insertRole,
  listRolesAfter,
  membersOf,
  removeRoleMember,
  upsertRoleMember,
  type RoleRow,
} from './roles-repo';
import { GAP_LISTS, gapPage, gapSummary, type GapList } from './gaps';

const ROLE_LIST = { name: 'roles', key: ['text'] } as const;

export const roleBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().trim().max(2000).default(''),
});
export const memberBody = z.object({ person: z.number().int().positive(), primary: z.boolean().optional() });

/** Roles and who fills them (JSON), and the gaps: work that depends on nobody. */
export function roleRoutes({ db, paging }: { db: Db; paging: Paging }): Router {
  const router = Router();

  const presentRoles = (roles: RoleRow[]) => {
    const members = membersOf(
      db,
      roles.map((r) => r.id),
    );
    return roles.map((role) => {
      const own = members.filter((m) => m.role_id === role.id);
      return {
        id: role.id,
        name: role.name,
        description: role.description,
        members: own.map((m) => ({ person: { id: m.person_id, name: m.name, active: m.active === 1 }, primary: m.is_primary === 1 })),
        gap: role.is_gap === 1,
      };
    });
  };

  // Read again after a change of members: whether the role is a gap may have changed with it.
  const presentRole = (role: RoleRow) => presentRoles([findRole(db, role.id) ?? role])[0];

  router.get('/roles', (req, res) => {
    authorize(requireActor(req), { action: 'roles.read' });
    const request = paging.read(req.query, ROLE_LIST);
    const rows = listRolesAfter(db, (request.after?.[0] as string | undefined) ?? '', request.limit + 1);
    const { items, next } = paging.page(rows, request, { ...ROLE_LIST, keyOf: (r) => [r.name] }, { path: '/api/roles' });
    paging.linkHeader(res, next);
    res.json({ roles: presentRoles(items), next });
  });

  router.post('/roles', (req, res) => {
    authorize(requireActor(req), { action: 'roles.manage' });
    const input = validate(roleBody, req.body);
    if (findRoleByName(db, input.name))
      throw new ConflictError('role-exists', `A role named "${input.name}" already exists`, { field: 'name' });
    const role = insertRole(db, input.name, input.description);
    res.status(201).json(presentRole(role));
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
    res.status(201).json(presentRole(role));
  });

  router.delete('/roles/:id/members/:personId', (req, res) => {
    authorize(requireActor(req), { action: 'roles.manage' });
    const roleId = idParam(req.params.id);
    const personId = idParam(req.params.personId);
    const role = roleId === null ? undefined : findRole(db, roleId);
    if (!role || personId === null || !removeRoleMember(db, role.id, personId)) {
      throw new NotFoundError(`Member ${req.params.personId} of role ${req.params.id}`);
    }
    res.json(presentRole(role));
  });

  // The counts and the first page of each list; each list goes on at its own address.
  router.get('/gaps', (req, res) => {
    authorize(requireActor(req), { action: 'gaps.read' });
    res.json(gapSummary(db, paging, readLimit(req.query.limit)));
  });

  for (const list of Object.keys(GAP_LISTS) as GapList[]) {
    router.get(GAP_LISTS[list].path.replace(/^\/api/, ''), (req, res) => {
      authorize(requireActor(req), { action: 'gaps.read' });
      const { items, next } = gapPage(db, paging, list, paging.read(req.query, GAP_LISTS[list]));
      paging.linkHeader(res, next);
      res.json({ [list]: items, next });
    });
  }

  return router;
}
