import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { authorize } from '../access/policy';
import { requireActor } from '../access/actor';
import { issueApiToken, listApiTokens, revokeApiTokenWithAudit } from './tokens';

export const tokenBody = z.object({ name: z.string().trim().min(1, 'name the token after what uses it').max(100) });

/** Who you are signed in as, and your own API tokens (JSON). */
export function meRoutes({ db }: { db: Db }): Router {
  const router = Router();

  // A browser session also gets its CSRF token here, for scripts on our own pages that call the
  // API (X-CSRF-Token); other sites cannot read this answer. Token clients need none.
  router.get('/me', (req, res) => {
    const actor = requireActor(req);
    res.json({
      id: actor.id,
      name: actor.name,
      email: actor.email,
      level: actor.level,
      via: actor.via,
      ...(actor.via !== 'token' && req.session ? { csrfToken: req.session.csrf_token } : {}),
    });
  });

  router.get('/me/tokens', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    res.json({
      tokens: listApiTokens(db, actor.id).map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.created_at,
        lastUsedAt: t.last_used_at,
        revokedAt: t.revoked_at,
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

  return router;
}
