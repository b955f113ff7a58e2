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
  /** The address an invitation was emailed to (through the outbox). */
  emailedTo?: string;
}

/** Renders a person's page with a new link on it (never cached, as every signed-in page): reloading must not show it again. */
export function renderWithSecret(
  views: Views,
  res: Response,
  db: Db,
  actor: Actor,
  person: PersonRow,
  secret: NewSecret & { emailConfigured?: boolean },
  { status = 201, notice }: { status?: number; notice?: string | null } = {},
) {
  views.render(
    res,
    'people/person',
    {
      ...personData(db, actor, person),
      notice,
      newSecret: { ...secret, invitation: secret.kind === 'invitation' },
      emailConfigured: secret.emailConfigured ?? false,
    },
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
  /** Emails an invitation through the outbox (server/notify/compose.ts, wired by app.ts: people/ does not import notify/). */
  invited?: InvitationMail;
  emailConfigured?: boolean;
}

export type InvitationMail = (
  db: Db,
  invite: { person: { id: number; name: string }; by: { id: number; name: string }; invitationId: number },
) => void;

/** Makes an invitation, records it and emails it to the person (they always have an address). */
export function inviteAndEmail(
  db: Db,
  site: Pick<SiteSettings, 'links' | 'invited'>,
  person: Pick<PersonRow, 'id' | 'name' | 'email'>,
  by: { id: number; name: string; address: string | null },
) {
  const invitation = inviteWithAudit(db, person.id, { actorId: by.id, address: by.address }, site.links.key);
  site.invited?.(db, { person: { id: person.id, name: person.name }, by: { id: by.id, name: by.name }, invitationId: invitation.id });
  return { ...invitation, emailedTo: site.invited && person.email ? person.email : undefined };
}

/** Makes the invitation or personal link and records it, as the API does (the caller checks the policy). */
export function issueSecret(db: Db, req: Request, actor: Actor, person: PersonRow, kind: NewSecret['kind'], site: SiteSettings): NewSecret {
  if (kind === 'invitation') {
    const { token, expiresAt, emailedTo } = inviteAndEmail(db, site, person, { id: actor.id, name: actor.name, address: req.ip ?? null });
    return { kind, url: `${site.baseUrl}/invite/${token}`, expiresAt, ...(emailedTo ? { emailedTo } : {}) };
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
      return renderWithSecret(
        views,
        res,
        db,
        actor,
        person,
        { ...secret, emailConfigured: site.emailConfigured ?? false },
        {
          status: 200,
          notice: noticeFor(req.query.done),
        },
      );
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
