import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { formPage } from '../http/forms';
import { sql } from '../db/statements';
import { LINK_TARGET, findLiveAccessLink, findOpenInvitation, markInvitationUsed } from './links';
import { AppError, NotFoundError } from '../http/errors';
import { validate } from '../http/validate';
import type { Views } from '../views/engine';
import { audit } from '../audit/repo';
import { hashPassword, passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from './passwords';
import { setupTokenValid, useSetupToken } from './setup';
import { ensureVisitorSession, signIn, signOut, startSessionFor } from './sign-in';
import { endSessionsOf } from './sessions';

const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(320));
const password = z.string().max(1000, `must be at most ${PASSWORD_MAX} characters`);
const signInForm = z.object({ email, password: z.string().min(1, 'enter your password').max(1000) });
const setupForm = z.object({ name: z.string().trim().min(1, 'enter your name').max(200), email, password });
const passwordForm = z.object({ password });
const PASSWORD_HINT = `${PASSWORD_MIN} to ${PASSWORD_MAX} characters; a phrase of a few words is easy to remember and hard to guess.`;

/** Where to go after sign-in: only a path on this site, never another host. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}

export function authPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();
  const checkPassword = (value: string, person: { email?: string; name?: string }) => {
    const problem = passwordProblem(value, person);
    if (problem) throw new AppError(422, 'weak-password', `Password ${problem}`, 'password');
  };

  router.get('/sign-in', (req, res) => {
    if (req.actor) return res.redirect(303, safeNext(req.query.next));
    ensureVisitorSession(db, req, res);
    views.render(res, 'auth/sign-in', {
      title: 'Sign in',
      narrow: true,
      next: safeNext(req.query.next),
      csrfToken: req.session?.csrf_token,
    });
  });

  router.post('/sign-in', async (req, res) => {
    formPage(res, 'auth/sign-in', () => ({ title: 'Sign in', narrow: true, next: safeNext(req.body?.next) }));
    const input = validate(signInForm, req.body);
    await signIn(db, req, res, input.email, input.password);
    res.redirect(303, safeNext(req.body?.next));
  });

  router.post('/sign-out', (req, res) => {
    signOut(db, req, res);
    res.redirect(303, '/sign-in');
  });

  router.get('/setup/:token', (req, res) => {
    if (!setupTokenValid(db, req.params.token)) throw new NotFoundError('This set-up link');
    ensureVisitorSession(db, req, res);
    views.render(res, 'auth/setup', {
      title: 'Set up',
      narrow: true,
      token: req.params.token,
      passwordHint: PASSWORD_HINT,
      csrfToken: req.session?.csrf_token,
    });
  });

  router.post('/setup/:token', async (req, res) => {
    const token = req.params.token;
    formPage(res, 'auth/setup', () => ({ title: 'Set up', narrow: true, token, passwordHint: PASSWORD_HINT }));
    if (!setupTokenValid(db, token)) throw new NotFoundError('This set-up link');
    const input = validate(setupForm, req.body);
    checkPassword(input.password, input);
    const hash = await hashPassword(input.password);
    const personId = db.transaction(() => {
      if (!useSetupToken(db, token)) throw new NotFoundError('This set-up link');
      const existing = sql(db, 'SELECT id FROM people WHERE email = ?').get(input.email) as { id: number } | undefined;
      const id =
        existing?.id ??
        Number(
          sql(db, "INSERT INTO people (name, email, kind, access_level, active, created_at) VALUES (?, ?, 'team', 'owner', 1, ?)").run(
            input.name,
            input.email,
            new Date().toISOString(),
          ).lastInsertRowid,
        );
      sql(db, "UPDATE people SET access_level = 'owner', active = 1, name = ? WHERE id = ?").run(input.name, id);
      sql(
        db,
        'INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at',
      ).run(id, hash, new Date().toISOString());
      audit(db, { action: 'setup.owner-created', actorId: id, subjectId: id, address: req.ip ?? null });
      return id;
    })();
    startSessionFor(db, req, res, personId);
    res.redirect(303, '/');
  });

  const openInvitation = (req: Request) => {
    const invitation = findOpenInvitation(db, req.params.token as string);
    if (!invitation) {
      throw new AppError(
        404,
        'link-expired',
        'This invitation link has expired, was already used, or was replaced by a newer one. Ask for a new invitation.',
      );
    }
    const person = sql(db, 'SELECT id, name, email, active FROM people WHERE id = ?').get(invitation.person_id) as
      { id: number; name: string; email: string; active: number } | undefined;
    if (!person?.active) throw new AppError(404, 'link-expired', 'This invitation is no longer valid.');
    return { invitation, person };
  };

  router.get('/invite/:token', (req, res) => {
    const { person } = openInvitation(req);
    ensureVisitorSession(db, req, res);
    views.render(res, 'auth/invite', {
      title: 'Welcome',
      narrow: true,
      person,
      token: req.params.token,
      passwordHint: PASSWORD_HINT,
      csrfToken: req.session?.csrf_token,
    });
  });

  router.post('/invite/:token', async (req, res) => {
    const { invitation, person } = openInvitation(req);
    formPage(res, 'auth/invite', () => ({ title: 'Welcome', narrow: true, person, token: req.params.token, passwordHint: PASSWORD_HINT }));
    const input = validate(passwordForm, req.body);
    checkPassword(input.password, person);
    const hash = await hashPassword(input.password);
    db.transaction(() => {
      if (!findOpenInvitation(db, req.params.token as string)) throw new AppError(404, 'link-expired', 'This invitation was already used.');
      markInvitationUsed(db, invitation.id);
      // A new password: whoever was signed in as this person before is signed out.
      endSessionsOf(db, person.id);
      sql(
        db,
        'INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at',
      ).run(person.id, hash, new Date().toISOString());
      audit(db, { action: 'invitation.accepted', actorId: person.id, subjectId: person.id, address: req.ip ?? null });
    })();
    startSessionFor(db, req, res, person.id);
    res.redirect(303, '/');
  });

  router.get('/l/:token', (req, res) => {
    const link = findLiveAccessLink(db, req.params.token);
    const person =
      link && (sql(db, 'SELECT id, active FROM people WHERE id = ?').get(link.person_id) as { id: number; active: number } | undefined);
    if (!link || !person?.active) {
      throw new AppError(404, 'link-expired', 'This link has expired or was turned off. Ask the person who sent it for a new one.');
    }
    sql(db, 'UPDATE access_links SET last_used_at = ? WHERE id = ?').run(new Date().toISOString(), link.id);
    startSessionFor(db, req, res, person.id, { id: link.id, expiresAt: link.expires_at });
    audit(db, { action: 'link.used', actorId: person.id, subjectId: person.id, address: req.ip ?? null, data: { link: link.id } });
    // An emailed link opens the step it is about; only our own pages may follow (see LINK_TARGET).
    const to = typeof req.query.to === 'string' && LINK_TARGET.test(req.query.to) ? req.query.to : '/my-work';
    res.redirect(303, to);
  });

  return router;
}
