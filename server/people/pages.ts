import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { type Actor, requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { inviteWithAudit, linkWithAudit } from '../auth/grants';
import type { LinkSettings } from '../auth/links';
import { updatePerson, type PersonRow } from './repo';
import { addPerson, defaultLevel, refuseTakenEmail } from './lifecycle';
import { addPersonForm, detailsForm } from './forms';
import { beside, readForm, formPage } from '../http/forms';
import { loadPerson } from './load';
import { noticeFor } from '../http/notices';
import { setFlash, takeFlash } from '../http/flash';
import { findRole, upsertRoleMember } from './roles-repo';
import { costText, directoryData, personData } from './page-model';
import type { Paging } from '../http/paging';

/** A link shown once, on the response that made it: it is stored only as a hash. */
export interface NewSecret {
  kind: 'invitation' | 'link';
  url: string;
  expiresAt: string;
}

/** Renders a person's page with a new link on it (never cached, as every signed-in page): reloading must not show it again. */
export function renderWithSecret(
  views: Views,
  res: Response,
  db: Db,
  actor: Actor,
  person: PersonRow,
  secret: NewSecret,
  { status = 201, notice }: { status?: number; notice?: string | null } = {},
) {
  views.render(
    res,
    'people/person',
    { ...personData(db, actor, person), notice, newSecret: { ...secret, invitation: secret.kind === 'invitation' } },
    { status },
  );
}

/** A link carried over the redirect after adding someone (server/http/flash.ts), as issueSecret made it. */
const isSecret = (value: unknown): value is NewSecret =>
  typeof value === 'object' &&
  value !== null &&
  ((value as NewSecret).kind === 'invitation' || (value as NewSecret).kind === 'link') &&
  typeof (value as NewSecret).url === 'string' &&
  typeof (value as NewSecret).expiresAt === 'string';

/** Where links point (PUBLIC_URL, never the request's Host) and how personal links are made. */
export interface SiteSettings {
  baseUrl: string;
  links: LinkSettings;
}

/** Makes the invitation or personal link and records it, as the API does (the caller checks the policy). */
export function issueSecret(db: Db, req: Request, actor: Actor, person: PersonRow, kind: NewSecret['kind'], site: SiteSettings): NewSecret {
  if (kind === 'invitation') {
    const { token, expiresAt } = inviteWithAudit(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    return { kind, url: `${site.baseUrl}/invite/${token}`, expiresAt };
  }
  const { token, expiresAt } = linkWithAudit(db, site.links, person.id, { actorId: actor.id, address: req.ip ?? null });
  return { kind, url: `${site.baseUrl}/l/${token}`, expiresAt };
}

/** The directory, adding a person, a person's page and (owners) editing their details. */
export function peoplePages({ db, views, site, paging }: { db: Db; views: Views; site: SiteSettings; paging: Paging }): Router {
  const router = Router();

  router.get('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'people.list' });
    views.render(res, 'people/directory', { ...directoryData(db, actor, paging, req.query), notice: noticeFor(req.query.done) });
  });

  router.post('/people', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'people.list' });
    authorize(actor, { action: 'person.invite', level: 'outsourcer' });
    formPage(res, 'people/directory', () => directoryData(db, actor, paging));
    const input = readForm(addPersonForm, req.body);
    // A link is a way in without a password: only for someone the maker may give one to.
    const level = input.level || defaultLevel(input.kind);
    if (input.access === 'link') beside('access', () => authorize(actor, { action: 'link.manage', level }));
    if (input.roles.length > 0) beside('roles', () => authorize(actor, { action: 'roles.manage' }));
    const roles = input.roles;
    const { person, secret } = db.transaction(() => {
      const person = beside('level', () =>
        addPerson(db, actor, { name: input.name, email: input.email, kind: input.kind, ...(input.level ? { level: input.level } : {}) }),
      );
      // Primary where nobody fills the role yet, else the next backup (upsertRoleMember's rule).
      for (const roleId of new Set(roles)) if (findRole(db, roleId)) upsertRoleMember(db, roleId, person.id, undefined);
      const secret = input.access === 'none' ? null : issueSecret(db, req, actor, person, input.access, site);
      return { person, secret };
    })();
    // A redirect, so that a refresh does not add them again; the new link rides along once (server/http/flash.ts).
    if (secret) setFlash(req, res, site.links.key, `/people/${person.id}`, secret);
    res.redirect(303, `/people/${person.id}?done=added`);
  });

  router.get('/people/:id', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    const secret = takeFlash(req, res, site.links.key);
    if (isSecret(secret))
      return renderWithSecret(views, res, db, actor, person, secret, { status: 200, notice: noticeFor(req.query.done) });
    views.render(res, 'people/person', { ...personData(db, actor, person, paging, req.query), notice: noticeFor(req.query.done) });
  });

  const editData = (person: PersonRow) => ({ title: `Edit ${person.name}`, person: { id: person.id, name: person.name } });

  router.get('/people/:id/edit', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.manage' });
    const values = { name: person.name, email: person.email, kind: person.kind, hourlyCost: costText(person.hourly_cost_cents) };
    views.render(res, 'people/edit', { ...editData(person), values });
  });

  router.post('/people/:id/edit', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.manage' });
    formPage(res, 'people/edit', () => editData(person));
    const input = readForm(detailsForm, req.body);
    refuseTakenEmail(db, input.email, person.id);
    updatePerson(db, person.id, { name: input.name, email: input.email, kind: input.kind, hourlyCostCents: input.hourlyCost });
    res.redirect(303, `/people/${person.id}?done=saved`);
  });

  return router;
}
