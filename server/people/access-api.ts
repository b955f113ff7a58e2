import { Router } from 'express';
import type { Db } from '../db/open';
import { NotFoundError, UnprocessableError } from '../http/errors';
import { idParam } from '../http/validate';
import { siteUrl } from '../http/site-url';
import { requireActor } from '../access/actor';
import { listAccessLinks } from '../auth/links';
import { findPerson, type PersonRow } from './repo';
import { authorize } from '../access/policy';
import { inviteWithAudit, linkWithAudit, refuseReinvite, revokeLinkWithAudit } from '../auth/grants';

export function accessRoutes({ db, publicUrl }: { db: Db; publicUrl: string | null }): Router {
  const router = Router();
  const person = (raw: string | undefined): PersonRow => {
    const id = idParam(raw);
    const found = id === null ? undefined : findPerson(db, id);
    if (!found) throw new NotFoundError(`Person ${raw}`);
    return found;
  };

  router.post('/people/:id/invitation', (req, res) => {
    const actor = requireActor(req);
    const target = person(req.params.id);
    authorize(actor, { action: 'person.invite', level: target.access_level }, `Person ${req.params.id}`);
    if (!target.active) throw new UnprocessableError('inactive-person', `${target.name} is inactive; reactivate them first`, 'person');
    refuseReinvite(db, actor, target);
    const { token } = inviteWithAudit(db, target.id, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json({ url: `${siteUrl(req, publicUrl)}/invite/${token}`, expiresInDays: 7 });
  });

  router.get('/people/:id/links', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'links.manage' }, `Person ${req.params.id}`);
    const target = person(req.params.id);
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
    authorize(actor, { action: 'links.manage' }, `Person ${req.params.id}`);
    const target = person(req.params.id);
    if (!target.active) throw new UnprocessableError('inactive-person', `${target.name} is inactive; reactivate them first`, 'person');
    const { token, id, expiresAt } = linkWithAudit(db, target.id, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json({ id, url: `${siteUrl(req, publicUrl)}/l/${token}`, expiresAt });
  });

  router.post('/people/:id/links/:linkId/revoke', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'links.manage' }, `Person ${req.params.id}`);
    const target = person(req.params.id);
    const linkId = idParam(req.params.linkId);
    if (linkId === null || !revokeLinkWithAudit(db, target.id, linkId, { actorId: actor.id, address: req.ip ?? null })) {
      throw new NotFoundError(`Link ${req.params.linkId}`);
    }
    res.json({ id: linkId, revoked: true });
  });

  return router;
}
