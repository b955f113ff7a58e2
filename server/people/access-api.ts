import { Router } from 'express';
import type { Db } from '../db/open';
import { NotFoundError, UnprocessableError } from '../http/errors';
import { idParam } from '../http/validate';
import { requireActor } from '../access/actor';
import { listAccessLinks, type LinkSettings } from '../auth/links';
import { authorize } from '../access/policy';
import { linkWithAudit, refuseReinvite, revokeLinkWithAudit, signOutEverywhere } from '../auth/grants';
import { inviteAndEmail, type InvitationMail } from './pages';
import { loadPerson } from './load';

/**
 * Who gets in (JSON): invitations, personal links, and signing someone out everywhere. Links
 * in answers are built from the site's address (PUBLIC_URL), never from the request. Someone
 * the caller may not know of is not found (loadPerson); someone they know of but may not give
 * access to is refused (403).
 */
export function accessRoutes({
  db,
  baseUrl,
  links,
  invited,
}: {
  db: Db;
  baseUrl: string;
  links: LinkSettings;
  invited?: InvitationMail;
}): Router {
  const router = Router();

  router.post('/people/:id/invitation', (req, res) => {
    const actor = requireActor(req);
    const target = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'person.invite', level: target.access_level });
    if (!target.active) throw new UnprocessableError('inactive-person', `${target.name} is inactive; reactivate them first`, 'person');
    refuseReinvite(db, actor, target);
    const { token, emailedTo } = inviteAndEmail(db, { links, invited }, target, {
      id: actor.id,
      name: actor.name,
      address: req.ip ?? null,
    });
    res.status(201).json({ url: `${baseUrl}/invite/${token}`, expiresInDays: 7, emailedTo: emailedTo ?? null });
  });

  router.get('/people/:id/links', (req, res) => {
    const actor = requireActor(req);
    const target = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'link.manage', level: target.access_level });
    res.json({
      links: listAccessLinks(db, target.id).map((l) => ({
        id: l.id,
        createdAt: l.created_at,
        expiresAt: l.expires_at,
        lastUsedAt: l.last_used_at,
        revokedAt: l.revoked_at,
      })),
    });
  });

  router.post('/people/:id/links', (req, res) => {
    const actor = requireActor(req);
    const target = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'link.manage', level: target.access_level });
    if (!target.active) throw new UnprocessableError('inactive-person', `${target.name} is inactive; reactivate them first`, 'person');
    const { token, id, expiresAt } = linkWithAudit(db, links, target.id, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json({ id, url: `${baseUrl}/l/${token}`, expiresAt });
  });

  router.post('/people/:id/links/:linkId/revoke', (req, res) => {
    const actor = requireActor(req);
    const target = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'link.manage', level: target.access_level });
    const linkId = idParam(req.params.linkId);
    if (linkId === null || !revokeLinkWithAudit(db, target.id, linkId, { actorId: actor.id, address: req.ip ?? null })) {
      throw new NotFoundError(`Link ${req.params.linkId}`);
    }
    res.json({ id: linkId, revoked: true });
  });

  router.post('/people/:id/sign-out-everywhere', (req, res) => {
    const actor = requireActor(req);
    const target = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'sessions.end-all', personId: target.id });
    const ended = signOutEverywhere(db, target.id, { actorId: actor.id, address: req.ip ?? null });
    res.json({ person: { id: target.id, name: target.name }, ended });
  });

  return router;
}
