import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { type Actor, requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { siteUrl } from '../http/site-url';
import { inviteWithAudit, linkWithAudit } from '../auth/grants';
import { AppError } from '../http/errors';
import { findPersonByEmail, insertPerson, updatePerson, type PersonRow } from './repo';
import { addPersonForm, detailsForm } from './forms';
import { beside, readForm } from '../http/forms';
import { loadPerson } from './load';
import { noticeFor } from '../http/notices';
import { costText, directoryData, personData } from './page-model';
import type { Paging } from '../http/paging';

/** A link shown once, on the response that made it: it is stored only as a hash. */
export interface NewSecret {
  kind: 'invitation' | 'link';
  url: string;
  expiresAt: string;
}

/** Renders a person's page with a new link on it, never cached: reloading must not show it again. */
export function renderWithSecret(views: Views, res: Response, db: Db, actor: Actor, person: PersonRow, secret: NewSecret) {
  res.setHeader('Cache-Control', 'no-store');
  views.render(
    res,
    'people/person',
    { ...personData(db, actor, person), newSecret: { ...secret, invitation: secret.kind === 'invitation' } },
    { status: 201 },
  );
}

/** Makes the invitation or personal link and records it, as the API does. */
export function issueSecret(
  db: Db,
  req: Request,
  actor: Actor,
  person: PersonRow,
  kind: NewSecret['kind'],
  publicUrl: string | null,
): NewSecret {
  const base = siteUrl(req, publicUrl);
  if (kind === 'invitation') {
    const { token, expiresAt } = inviteWithAudit(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    return { kind, url: `${base}/invite/${token}`, expiresAt };
  }
  const { token, expiresAt } = linkWithAudit(db, person.id, { actorId: actor.id, address: req.ip ?? null });
  return { kind, url: `${base}/l/${token}`, expiresAt };
}

const emailTaken = (email: string) => new AppError(409, 'email-taken', `${email} already belongs to someone on the team.`, 'email');

/** The directory, adding a person, a person's page and (owners) editing their details. */
export function peoplePages({ db, views, publicUrl, paging }: { db: Db; views: Views; publicUrl: string | null; paging: Paging }): Router {
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
    res.locals.formView = 'people/directory';
    res.locals.formData = directoryData(db, actor, paging);
    const input = readForm(addPersonForm, req.body);
    const level = input.level || (input.kind === 'outsourcer' ? 'outsourcer' : 'member');
    beside('level', () => authorize(actor, { action: 'person.invite', level }));
    if (findPersonByEmail(db, input.email)) throw emailTaken(input.email);
    const { person, secret } = db.transaction(() => {
      const person = insertPerson(db, {
        name: input.name,
        email: input.email,
        kind: input.kind,
        hourlyCostCents: null,
        active: true,
        level,
      });
      const secret = input.access === 'none' ? null : issueSecret(db, req, actor, person, input.access, publicUrl);
      return { person, secret };
    })();
    if (!secret) return res.redirect(303, `/people/${person.id}?done=added`);
    renderWithSecret(views, res, db, actor, person, secret);
  });

  router.get('/people/:id', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
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
    res.locals.formView = 'people/edit';
    res.locals.formData = editData(person);
    const input = readForm(detailsForm, req.body);
    const other = findPersonByEmail(db, input.email);
    if (other && other.id !== person.id) throw emailTaken(input.email);
    updatePerson(db, person.id, { name: input.name, email: input.email, kind: input.kind, hourlyCostCents: input.hourlyCost });
    res.redirect(303, `/people/${person.id}?done=saved`);
  });

  return router;
}
