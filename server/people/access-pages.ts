import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { authorize } from '../access/policy';
import { deactivatePerson, setAccessLevel } from './lifecycle';
import { refuseReinvite, revokeLinkWithAudit, signOutEverywhere } from '../auth/grants';
import { requireActor } from '../access/actor';
import { audit } from '../audit/repo';
import { AppError, NotFoundError, UnprocessableError } from '../http/errors';
import { idParam } from '../http/validate';
import { updatePerson, type PersonRow } from './repo';
import { activeForm, levelForm } from './forms';
import { beside, readForm, formPage } from '../http/forms';
import { loadPerson } from './load';
import { personData } from './page-model';
import { issueSecret, renderWithSecret, type SiteSettings } from './pages';
import { clearSessionCookie } from '../auth/cookies';

/**
 * Who gets in, from a person's page: invitations and personal links (managers), access level
 * and deactivation (owners), signing out everywhere (the person, or an owner). Each writes the
 * same audit entries as the JSON API, through the same functions.
 */
export function accessPages({ db, views, site }: { db: Db; views: Views; site: SiteSettings }): Router {
  const router = Router();

  const mustBeActive = (person: PersonRow, field: string) => {
    if (!person.active) throw new UnprocessableError('inactive-person', `${person.name} is inactive; reactivate them first.`, field);
  };

  router.post('/people/:id/invitation', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.invite', level: person.access_level });
    formPage(res, 'people/person', () => personData(db, actor, person));
    mustBeActive(person, 'invitation');
    beside('invitation', () => refuseReinvite(db, actor, person));
    renderWithSecret(views, res, db, actor, person, {
      ...issueSecret(db, req, actor, person, 'invitation', site),
      emailConfigured: site.emailConfigured ?? false,
    });
  });

  router.post('/people/:id/links', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'link.manage', level: person.access_level });
    formPage(res, 'people/person', () => personData(db, actor, person));
    mustBeActive(person, 'link');
    renderWithSecret(views, res, db, actor, person, issueSecret(db, req, actor, person, 'link', site));
  });

  router.post('/people/:id/links/:linkId/revoke', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'link.manage', level: person.access_level });
    const linkId = idParam(req.params.linkId);
    if (linkId === null || !revokeLinkWithAudit(db, person.id, linkId, { actorId: actor.id, address: req.ip ?? null })) {
      throw new NotFoundError(`Link ${req.params.linkId}`);
    }
    res.redirect(303, `/people/${person.id}?done=link-revoked`);
  });

  router.post('/people/:id/sign-out-everywhere', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'sessions.end-all', personId: person.id });
    signOutEverywhere(db, person.id, { actorId: actor.id, address: req.ip ?? null });
    if (person.id !== actor.id) return res.redirect(303, `/people/${person.id}?done=signed-out-everywhere`);
    // Their own: this session has ended too.
    clearSessionCookie(req, res);
    res.redirect(303, '/sign-in');
  });

  router.post('/people/:id/level', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.manage' });
    formPage(res, 'people/person', () => personData(db, actor, person));
    const { level } = readForm(levelForm, req.body);
    if (level !== person.access_level) {
      beside('level', () => db.transaction(() => setAccessLevel(db, actor.id, person, level, req.ip ?? null))());
    }
    res.redirect(303, `/people/${person.id}?done=level`);
  });

  router.post('/people/:id/active', (req, res) => {
    const actor = requireActor(req);
    const person = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.manage' });
    formPage(res, 'people/person', () => personData(db, actor, person));
    const { active, confirm } = readForm(activeForm, req.body);
    if (!active && person.active) {
      if (confirm !== 'yes')
        throw new AppError(400, 'confirm-required', `Tick the box to confirm that ${person.name}’s access ends now.`, 'active');
      beside('active', () => db.transaction(() => deactivatePerson(db, actor.id, person, req.ip ?? null))());
      return res.redirect(303, `/people/${person.id}?done=deactivated`);
    }
    if (active && !person.active) {
      db.transaction(() => {
        updatePerson(db, person.id, { active: true });
        audit(db, { action: 'person.reactivated', actorId: actor.id, subjectId: person.id, address: req.ip ?? null });
      })();
      return res.redirect(303, `/people/${person.id}?done=reactivated`);
    }
    res.redirect(303, `/people/${person.id}`);
  });

  return router;
}
