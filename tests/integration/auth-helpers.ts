import type { Express } from 'express';
import request, { type Response } from 'supertest';
import type { Db } from '../../server/db/open';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions';
import { FORM_COOKIE } from '../../server/http/csrf';

/**
 * Shared by the access-* and auth-* tests: browser-like sessions, cookies and CSRF tokens,
 * the app's route list read from its router, and a dump of every stored value.
 */

/** The value of the `_csrf` hidden field of the first form on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF field in the page:\n${html.slice(0, 2000)}`);
  return match[1] as string;
}

/** Every Set-Cookie line of a response. */
export function setCookies(res: Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  if (raw === undefined) return [];
  return Array.isArray(raw) ? (raw as string[]) : [String(raw)];
}

/** The Set-Cookie line for the session cookie, if the response set one. */
export function sessionCookieLine(res: Response): string | undefined {
  return setCookies(res).find((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

/** The session cookie's value as the response set it (empty string when it clears it). */
export function sessionCookieValue(res: Response): string | undefined {
  const line = sessionCookieLine(res);
  return line === undefined ? undefined : decodeURIComponent(line.slice(SESSION_COOKIE.length + 1).split(';')[0] as string);
}

export const cookieHeader = (value: string) => `${SESSION_COOKIE}=${value}`;

/** A live session straight in the database, as a browser holding its cookie would have. */
export function browserSession(db: Db, personId: number, linkId: number | null = null) {
  const { cookie, session } = createSession(db, { personId, linkId });
  return { cookie, csrf: session.csrf_token, headers: { Cookie: cookieHeader(cookie) } };
}

/** The value of the visitor's form cookie a response set (the sign-in form's CSRF nonce). */
export function formCookieValue(res: Response): string | undefined {
  const line = setCookies(res).find((l) => l.startsWith(`${FORM_COOKIE}=`));
  return line === undefined ? undefined : decodeURIComponent(line.slice(FORM_COOKIE.length + 1).split(';')[0] as string);
}

/**
 * A visitor at a browser, not signed in: the form cookie and CSRF token the sign-in page gives
 * (nothing is stored for them), to post any form shown before sign-in.
 */
export async function visitorForm(app: Express) {
  const page = await request(app).get('/sign-in');
  if (page.status !== 200) throw new Error(`GET /sign-in answered ${page.status}`);
  const cookie = formCookieValue(page) as string;
  return { cookie, csrf: csrfFrom(page.text), headers: { Cookie: `${FORM_COOKIE}=${cookie}` } };
}

/** Rows of a table as one string, to look for a value anywhere in it. */
export function tableText(db: Db, table: string): string {
  return JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all());
}

/** Every value stored in every table, as one string. */
export function everythingStored(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return tables.map((t) => tableText(db, t.name)).join('\n');
}

/** HTML-escapes text the way Handlebars does, to find text shown as text. */
export function escapeHtml(text: string): string {
  const map: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
  };
  return text.replace(/[&<>"'`=]/g, (c) => map[c] as string);
}

export interface AppRoute {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

const joinPaths = (base: string, rest: string) => {
  const joined = `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
};

/**
 * Every route the app answers, read from its router stacks (Express 5 / router 2): a route
 * layer has `route.path` and `route.methods`; a mounted router is a layer whose `handle` has
 * its own `stack`, and whose mount path is `rawPath` ('/api' or '/').
 */
export function appRoutes(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]) : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`route path ${String(p)} is not a string: extend appRoutes`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: joinPaths(prefix, p) });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
        walk(layer.handle.stack, joinPaths(prefix, mount));
      }
    }
  };
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router;
  walk(root.stack, '/');
  return routes;
}

/**
 * Signs in through the page as a browser does: open the form (its form cookie and CSRF token,
 * nothing stored), post it. Returns the form cookie, the answer and the signed-in cookie.
 */
export async function signInThroughPage(app: Express, email: string, password: string, headers: Record<string, string> = {}) {
  const page = await request(app).get('/sign-in').set(headers);
  if (page.status !== 200) throw new Error(`GET /sign-in answered ${page.status}`);
  const visitor = formCookieValue(page) as string;
  const res = await request(app)
    .post('/sign-in')
    .set(headers)
    .set('Cookie', `${FORM_COOKIE}=${visitor}`)
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
  return { visitor, res, cookie: sessionCookieValue(res) };
}
