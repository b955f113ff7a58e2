import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { NotFoundError, UnprocessableError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { requireActor } from '../auth/authenticate';
import { listAudit } from '../auth/audit';
import { listAccessLinks } from '../auth/links';
import { issueApiToken, listApiTokens, revokeApiTokenWithAudit } from '../auth/tokens';
import { findPerson, type PersonRow } from '../people/repo';
import { authorize } from './policy';
import { inviteWithAudit, linkWithAudit, refuseReinvite, revokeLinkWithAudit } from './manage';

const tokenBody = z.object({ name: z.string().trim().min(1, 'name the token after what uses it').max(100) });

/** The address people open: PUBLIC_URL if set, else what this request was sent to. */
export function siteUrl(req: Request, publicUrl: string | null): string {
  return publicUrl ?? `${req.protocol}://${req.get('host')}`;
}

export function accessRoutes({ db, publicUrl }: { db: Db; publicUrl: string | null }): Router {
  const router = Router();
  const person = (raw: string | undefined): PersonRow => {
    const id = idParam(raw);
    const found = id === null ? undefined : findPerson(db, id);
    if (!found) throw new NotFoundError(`Person ${raw}`);
    return found;
  };

  router.get('/me', (req, res) => {
    const actor = requireActor(req);
    res.json({ id: actor.id, name: actor.name, email: actor.email, level: actor.level, via: actor.via });
  });

  router.get('/me/tokens', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    res.json({
      tokens: listApiTokens(db, actor.id).map((t) => ({
        id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at,
      })),
    });
  });

  router.post('/me/tokens', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.create' });
    const { name } = validate(tokenBody, req.body);
    const { token, row } = issueApiToken(db, actor.id, name, { actorId: actor.id, address: req.ip ?? null });
    res.status(201).json({ id: row.id, name, token, note: 'Copy the token now: it is shown only once.' });
  });

  router.post('/me/tokens/:id/revoke', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    const id = idParam(req.params.id);
    if (id === null || !revokeApiTokenWithAudit(db, actor.id, id, req.ip ?? null)) throw new NotFoundError(`Token ${req.params.id}`);
    res.json({ id, revoked: true });
  });

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
        id: l.id, createdAt: l.created_at, expiresAt: l.expires_at, lastUsedAt: l.last_used_at, revokedAt: l.revoked_at,
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

  router.get('/audit', (req, res) => {
    authorize(requireActor(req), { action: 'audit.read' });
    res.json({ entries: listAudit(db) });
  });

  return router;
}
