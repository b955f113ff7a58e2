import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { formPage } from '../http/forms';
import { sql } from '../db/statements';
import { LINK_TARGET, findLiveAccessLink, findOpenInvitation, markInvitationUsed, recordLinkUse, type LinkSettings } from './links';
import { AppError, NotFoundError } from '../http/errors';
import { validate } from '../http/validate';
import { csrfTokenFor } from '../http/csrf';
import type { Views } from '../views/engine';
import { audit } from '../audit/repo';
import { PASSWORD_HINT, PASSWORD_MAX } from './passwords';
import { fillRolesAtSetup, setupRoles, setupTokenValid, useSetupToken } from './setup';
import { signIn, signOut, startSessionFor } from './sign-in';
import { hashNewPassword, setPassword } from './set-password';

const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(320));
const password = z.string().max(1000, `must be at most ${PASSWORD_MAX} characters`);
const signInForm = z.object({ email, password: z.string().min(1, 'enter your password').max(1000) });
const setupForm = z.object({
  name: z.string().trim().min(1, 'enter your name').max(200),
  email,
  password,
  // Ticked boxes: none, one (a string) or several (an array).
  roles: z
    .union([z.string(), z.array(z.string()).max(200)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0)),
});
const passwordForm = z.object({ password });

/** Where to go after sign-in: only a path on this site, never another host. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}

/**
 * Signing in and out, the set-up link, invitations and personal links. The forms here are
 * shown before anyone is signed in: their CSRF protection stores nothing (server/http/csrf.ts),
 * and a session row is written only once someone is in.
 */
export function authPages({ db, views, key, links }: { db: Db; views: Views; key: Buffer; links: LinkSettings }): Router {
  const router = Router();
  // A visitor's form shown again with an error carries the same token.
  const formToken: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = csrfTokenFor(req, res, key);
    next();
  };

  router.get('/sign-in', (req, res) => {
    if (req.actor) return res.redirect(303, safeNext(req.query.next));
    res.locals.csrfToken = csrfTokenFor(req, res, key);
    views.render(res, 'auth/sign-in', { title: 'Sign in', narrow: true, next: safeNext(req.query.next) });
  });

  router.post('/sign-in', formToken, async (req, res) => {
    formPage(res, 'auth/sign-in', () => ({ title: 'Sign in', narrow: true, next: safeNext(req.body?.next) }));
    const input = validate(signInForm, req.body);
    await signIn(db, req, res, input.email, input.password);
    res.redirect(303, safeNext(req.body?.next));
  });

  router.post('/sign-out', (req, res) => {
    signOut(db, req, res);
    res.redirect(303, '/sign-in');
  });

  /** The set-up form; shown again after an error, it keeps the roles ticked as they were sent. */
  const setupData = (token: string, body?: { roles?: unknown }) => {
    const sent = body ? [body.roles ?? []].flat().map(String) : null;
    const roles = setupRoles(db).map((role) => ({ ...role, checked: sent ? sent.includes(String(role.id)) : role.checked }));
    return { title: 'Set up', narrow: true, token, passwordHint: PASSWORD_HINT, roles };
  };

  router.get('/setup/:token', (req, res) => {
    if (!setupTokenValid(db, req.params.token)) throw new NotFoundError('This set-up link');
    res.locals.csrfToken = csrfTokenFor(req, res, key);
    views.render(res, 'auth/setup', setupData(req.params.token));
  });

  router.post('/setup/:token', formToken, async (req, res) => {
    const token = req.params.token as string;
    formPage(res, 'auth/setup', () => setupData(token, req.body));
    if (!setupTokenValid(db, token)) throw new NotFoundError('This set-up link');
    const input = validate(setupForm, req.body);
    const hash = await hashNewPassword(input.password, input);
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
      audit(db, { action: 'setup.owner-created', actorId: id, subjectId: id, address: req.ip ?? null });
      setPassword(db, id, hash, { actorId: id, address: req.ip ?? null, door: 'setup' });
      fillRolesAtSetup(db, id, input.roles);
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
    res.locals.csrfToken = csrfTokenFor(req, res, key);
    views.render(res, 'auth/invite', { title: 'Welcome', narrow: true, person, token: req.params.token, passwordHint: PASSWORD_HINT });
  });

  router.post('/invite/:token', formToken, async (req, res) => {
    const { invitation, person } = openInvitation(req);
    formPage(res, 'auth/invite', () => ({ title: 'Welcome', narrow: true, person, token: req.params.token, passwordHint: PASSWORD_HINT }));
    const input = validate(passwordForm, req.body);
    const hash = await hashNewPassword(input.password, person);
    db.transaction(() => {
      if (!findOpenInvitation(db, req.params.token as string)) throw new AppError(404, 'link-expired', 'This invitation was already used.');
      markInvitationUsed(db, invitation.id);
      audit(db, { action: 'invitation.accepted', actorId: person.id, subjectId: person.id, address: req.ip ?? null });
      // A new password: whoever was in as this person before (session, link, token) is out.
      setPassword(db, person.id, hash, { actorId: person.id, address: req.ip ?? null, door: 'invitation' });
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
    recordLinkUse(db, links.days, link.id);
    startSessionFor(db, req, res, person.id, link.id);
    audit(db, {
      action: 'link.opened',
      actorId: person.id,
      subjectId: person.id,
      address: req.ip ?? null,
      data: { link: link.id, madeBy: link.created_by },
    });
    // An emailed link opens the step it is about; only our own pages may follow (see LINK_TARGET).
    const to = typeof req.query.to === 'string' && LINK_TARGET.test(req.query.to) ? req.query.to : '/my-work';
    res.redirect(303, to);
  });

  return router;
}
