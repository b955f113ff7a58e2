import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { AppError } from '../http/errors';
import { formPage, readForm } from '../http/forms';
import { csrfTokenFor } from '../http/csrf';
import type { Views } from '../views/engine';
import { PASSWORD_HINT, PASSWORD_MAX } from './passwords';
import { hashNewPassword, setPassword } from './set-password';
import { startSessionFor, waitText } from './sign-in';
import { findOpenReset, requestPasswordReset, resetRequestWait, RESET_MS, useReset } from './resets';

const forgotForm = z.object({
  email: z
    .string('Enter your email address.')
    .trim()
    .toLowerCase()
    .pipe(z.email('Enter an email address, such as name@example.com.').max(320)),
});
const passwordForm = z.object({ password: z.string().max(1000, `Use at most ${PASSWORD_MAX} characters.`) });

/** Emails a reset link through the outbox (server/notify/compose.ts, wired by app.ts: auth/ does not import notify/). */
export type ResetMail = (db: Db, reset: { person: { id: number; name: string }; resetId: number }) => void;

const EXPIRED = 'This link has expired, was already used, or a newer one was sent. Ask for a new one from the sign-in page.';

/**
 * "Forgot your password?" (from the sign-in page): ask for a link by email; the link sets a new
 * password, which, like every new password, ends the person's sessions, personal links and API
 * tokens, and signs this browser in. An owner without email (no mail server, nobody to forward
 * the outbox) uses the command line: `user set-password`.
 */
export function resetPages({ db, views, key, tell }: { db: Db; views: Views; key: Buffer; tell: ResetMail }): Router {
  const router = Router();
  const formToken: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = csrfTokenFor(req, res, key);
    next();
  };
  const minutes = RESET_MS / 60_000;
  // Not `minutes`: that name is a template helper.
  const askPage = { title: 'Forgot your password?', narrow: true, validMinutes: minutes };

  router.get('/forgot-password', formToken, (_req, res) => {
    views.render(res, 'auth/forgot', askPage);
  });

  router.post('/forgot-password', formToken, (req, res) => {
    formPage(res, 'auth/forgot', askPage);
    const { email } = readForm(forgotForm, req.body);
    const address = req.ip ?? 'unknown';
    // Counted by the email asked about and the address asking, whether or not the email is
    // anyone's: the limit says nothing about who has an account.
    const wait = resetRequestWait(db, email, address);
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      throw new AppError(429, 'too-many-attempts', `Too many requests for a new password. Try again in ${waitText(wait)}.`, 'email');
    }
    requestPasswordReset(db, key, { email, address }, (person, resetId) => tell(db, { person, resetId }));
    // The same answer whether or not the address has an account.
    views.render(res, 'auth/forgot-sent', { title: 'Check your email', narrow: true, email, validMinutes: minutes });
  });

  const openReset = (token: string) => {
    const reset = findOpenReset(db, token);
    const person =
      reset &&
      (sql(db, 'SELECT id, name, email, active FROM people WHERE id = ?').get(reset.person_id) as
        { id: number; name: string; email: string; active: number } | undefined);
    if (!reset || !person?.active) throw new AppError(404, 'link-expired', EXPIRED);
    return { reset, person };
  };
  const choosePage = (token: string, person: { name: string; email: string }) => ({
    title: 'Choose a new password',
    narrow: true,
    token,
    person,
    passwordHint: PASSWORD_HINT,
  });

  router.get('/reset-password/:token', formToken, (req, res) => {
    const { person } = openReset(req.params.token as string);
    views.render(res, 'auth/reset', choosePage(req.params.token as string, person));
  });

  router.post('/reset-password/:token', formToken, async (req, res) => {
    const token = req.params.token as string;
    const { reset, person } = openReset(token);
    formPage(res, 'auth/reset', choosePage(token, person));
    const { password } = readForm(passwordForm, req.body);
    const hash = await hashNewPassword(password, person);
    db.transaction(() => {
      if (!useReset(db, reset.id)) throw new AppError(404, 'link-expired', EXPIRED);
      // Ends their sessions, personal links, open invitations and resets, and API tokens.
      setPassword(db, person.id, hash, { actorId: person.id, address: req.ip ?? null, door: 'reset' });
    })();
    startSessionFor(db, req, res, person.id);
    res.redirect(303, '/');
  });

  return router;
}
