import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { authorize } from '../access/policy';
import { requireActor } from '../access/actor';
import { AppError, ConflictError, NotFoundError } from '../http/errors';
import { idParam } from '../http/validate';
import { navItems } from '../views/page-locals';
import { findPerson } from './repo';
import { findRoleByName, insertRole, listRoleMembers, removeRoleMember, upsertRoleMember } from './roles-repo';
import { memberForm, roleForm } from './forms';
import { readForm, formPage } from '../http/forms';
import { noticeFor } from '../http/notices';
import { loadRole } from './load';
import { directoryData, roleData } from './page-model';
import type { Paging } from '../http/paging';

/** Roles: creating one (from the directory), a role's page, and who fills it in which order. */
export function rolePages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();

  // A role's page belongs to People in the navigation.
  router.use('/roles', (req, res, next) => {
    if (req.actor) res.locals.navItems = navItems(req.actor, '/people');
    next();
  });

  router.post('/roles', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'roles.manage' });
    formPage(res, 'people/directory', () => directoryData(db, actor, paging));
    const input = readForm(roleForm, req.body);
    if (findRoleByName(db, input.roleName))
      throw new ConflictError('role-exists', `A role named “${input.roleName}” already exists.`, { field: 'roleName' });
    const role = insertRole(db, input.roleName, input.roleDescription);
    res.redirect(303, `/roles/${role.id}?done=role-created`);
  });

  router.get('/roles/:id', (req, res) => {
    const actor = requireActor(req);
    const role = loadRole(db, req.params.id, actor);
    views.render(res, 'people/role', { ...roleData(db, actor, role), notice: noticeFor(req.query.done) });
  });

  router.post('/roles/:id/members', (req, res) => {
    const actor = requireActor(req);
    const role = loadRole(db, req.params.id, actor);
    authorize(actor, { action: 'roles.manage' });
    formPage(res, 'people/role', () => roleData(db, actor, role));
    const input = readForm(memberForm, req.body);
    const person = findPerson(db, input.person);
    if (!person) throw new AppError(422, 'unknown-person', 'Choose a person from the list.', 'person');
    if (!person.active) throw new AppError(422, 'inactive-person', `${person.name} is inactive; reactivate them first.`, 'person');
    if (listRoleMembers(db, role.id).some((m) => m.person_id === person.id)) {
      throw new ConflictError('already-member', `${person.name} is already in this role.`, { field: 'person' });
    }
    upsertRoleMember(db, role.id, person.id, input.as === 'primary' ? true : undefined);
    res.redirect(303, `/roles/${role.id}?done=member-added`);
  });

  const member = (roleId: number, raw: string | undefined) => {
    const personId = idParam(raw);
    const found = personId === null ? undefined : listRoleMembers(db, roleId).find((m) => m.person_id === personId);
    if (!found) throw new NotFoundError(`Member ${raw} of this role`);
    return found;
  };

  router.post('/roles/:id/members/:personId/primary', (req, res) => {
    const actor = requireActor(req);
    const role = loadRole(db, req.params.id, actor);
    authorize(actor, { action: 'roles.manage' });
    upsertRoleMember(db, role.id, member(role.id, req.params.personId).person_id, true);
    res.redirect(303, `/roles/${role.id}?done=primary`);
  });

  router.post('/roles/:id/members/:personId/remove', (req, res) => {
    const actor = requireActor(req);
    const role = loadRole(db, req.params.id, actor);
    authorize(actor, { action: 'roles.manage' });
    removeRoleMember(db, role.id, member(role.id, req.params.personId).person_id);
    res.redirect(303, `/roles/${role.id}?done=removed`);
  });

  return router;
}
