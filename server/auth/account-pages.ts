import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { formPage } from '../http/forms';
import type { Views } from '../views/engine';
import { NotFoundError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { requireActor, type Actor } from '../access/actor';
import { issueApiToken, listApiTokens, revokeApiTokenWithAudit } from './tokens';
import { authorize } from '../access/policy';

const tokenForm = z.object({ name: z.string().trim().min(1, 'name the token after what will use it').max(100) });

/** The signed-in person's own account: who they are, and their personal API tokens. */
export function accountPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();
  const data = (actor: Actor) => ({
    title: 'Account',
    tokens: listApiTokens(db, actor.id).map((t) => ({ ...t, revoked: t.revoked_at !== null })),
  });

  router.get('/account', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    views.render(res, 'auth/account', data(actor));
  });

  router.post('/account/tokens', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.create' });
    formPage(res, 'auth/account', () => data(actor));
    const { name } = validate(tokenForm, req.body);
    const { token } = issueApiToken(db, actor.id, name, { actorId: actor.id, address: req.ip ?? null });
    // Shown once, on this response only: it is stored as a hash and cannot be shown again.
    res.setHeader('Cache-Control', 'no-store');
    views.render(res, 'auth/account', { ...data(actor), newToken: { name, token } }, { status: 201 });
  });

  router.post('/account/tokens/:id/revoke', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    const id = idParam(req.params.id);
    if (id === null || !revokeApiTokenWithAudit(db, actor.id, id, req.ip ?? null)) throw new NotFoundError(`Token ${req.params.id}`);
    res.redirect(303, '/account');
  });

  return router;
}
