import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import type { Views } from '../views/engine';
import { AppError, NotFoundError } from '../http/errors';
import { idParam, validate } from '../http/validate';
import { noticeFor } from '../http/notices';
import { formPage, readForm } from '../http/forms';
import { requireActor, type Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { issueApiToken, listApiTokens, revokeApiTokenWithAudit } from './tokens';
import { verifyPassword, PASSWORD_HINT, PASSWORD_MAX } from './passwords';
import { clearSignInFailures, recordSignInFailure } from './limiter';
import { refuseWhileSlowed } from './sign-in';
import { hashNewPassword, setPassword } from './set-password';

const tokenForm = z.object({ name: z.string().trim().min(1, 'name the token after what will use it').max(100) });
const passwordForm = z.object({
  currentPassword: z.string('Enter your current password.').min(1, 'Enter your current password.').max(1000),
  password: z.string('Enter a new password.').max(1000, `Keep it to at most ${PASSWORD_MAX} characters.`),
});

/** The signed-in person's own account: who they are, their password, and their personal API tokens. */
export function accountPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();
  const data = (actor: Actor) => ({
    title: 'Account',
    tokens: listApiTokens(db, actor.id).map((t) => ({ ...t, revoked: t.revoked_at !== null })),
    passwordHint: PASSWORD_HINT,
    mayChangePassword: can(actor, { action: 'password.change' }),
    // Webhooks are an owner's tool used once in a while: reached from here, not the phone's top bar.
    mayManageWebhooks: can(actor, { action: 'webhooks.manage' }),
  });

  router.get('/account', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    views.render(res, 'auth/account', { ...data(actor), notice: noticeFor(req.query.done) });
  });

  router.post('/account/tokens', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.create' });
    formPage(res, 'auth/account', () => data(actor));
    const { name } = validate(tokenForm, req.body);
    const { token } = issueApiToken(db, actor.id, name, { actorId: actor.id, address: req.ip ?? null });
    // Shown once, on this response only: it is stored as a hash and cannot be shown again.
    views.render(res, 'auth/account', { ...data(actor), newToken: { name, token } }, { status: 201 });
  });

  router.post('/account/tokens/:id/revoke', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'tokens.own' });
    const id = idParam(req.params.id);
    if (id === null || !revokeApiTokenWithAudit(db, actor.id, id, req.ip ?? null)) throw new NotFoundError(`Token ${req.params.id}`);
    res.redirect(303, '/account');
  });

  /**
   * A new password, given the current one (a session left open on a shared computer must not
   * be enough to take the account over). Wrong guesses count as failed sign-ins, slowed alike.
   */
  router.post('/account/password', async (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'password.change' });
    formPage(res, 'auth/account', () => data(actor));
    const input = readForm(passwordForm, req.body);
    const address = req.ip ?? 'unknown';
    refuseWhileSlowed(db, res, actor.email, address, 'currentPassword');
    recordSignInFailure(db, actor.email, address);
    const stored = sql(db, 'SELECT password_hash FROM credentials WHERE person_id = ?').get(actor.id) as
      { password_hash: string } | undefined;
    if (!stored || !(await verifyPassword(stored.password_hash, input.currentPassword))) {
      throw new AppError(422, 'wrong-password', 'That is not your current password.', 'currentPassword');
    }
    clearSignInFailures(db, actor.email, address);
    const hash = await hashNewPassword(input.password, actor);
    setPassword(db, actor.id, hash, { actorId: actor.id, address: req.ip ?? null, door: 'account', keepSession: req.session?.id_hash });
    res.redirect(303, '/account?done=password-changed');
  });

  return router;
}
