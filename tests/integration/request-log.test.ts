import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { issueSetupToken } from '../../server/auth/setup';
import { createLogger, loggablePath } from '../../server/http/log';
import { freshDb } from '../helpers/db';
import { makePerson } from '../helpers/factories';
import { cookieHeader, csrfFrom, sessionCookieValue, signInThroughPage, formCookieValue } from './auth-helpers';
import { FORM_COOKIE } from '../../server/http/csrf';

/**
 * The request log: one JSON line per request with method, path, status, duration and person,
 * and never a secret. Sign-in, set-up, tokens, invitations and personal links are driven here
 * through the app, every secret they involve is collected, and the log is searched for each.
 */

const { db, dir, cleanup } = freshDb();
afterAll(cleanup);
const runbooksDir = path.join(dir, 'runbooks');
fs.mkdirSync(runbooksDir);
const lines: string[] = [];
const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
const app = createApp({ db, config: { runbooksDir, baseUrl: 'https://runbooks.test' }, logger, log: () => {} });

interface Line {
  level: number;
  req: { method: string; path: string };
  res: { status: number };
  ms: number;
  person: number | null;
  msg: string;
}
const requestLines = () => lines.map((line) => JSON.parse(line) as Line).filter((line) => line.req);

const OWNER_PASSWORD = 'a long walk by the river';
const MEMBER_PASSWORD = 'tulips in the spring rain';
const WRONG_PASSWORD = 'not my password at all';
const secrets: Record<string, string> = { OWNER_PASSWORD, MEMBER_PASSWORD, WRONG_PASSWORD };
const keep = (name: string, secret: string | undefined) => {
  if (!secret) throw new Error(`no ${name}`);
  secrets[name] = secret;
  return secret;
};

test('sign-in, set-up, tokens, invitations and personal links leave one line per request and no secret in the log', async () => {
  let requests = 0;
  const counted = <T>(value: T) => {
    requests++;
    return value;
  };

  // Set-up, through its one-time link.
  const setup = keep('setup token', issueSetupToken(db) ?? undefined);
  const setupPage = counted(await request(app).get(`/setup/${setup}`));
  const visitor = keep('visitor form cookie', formCookieValue(setupPage));
  keep('set-up CSRF token', csrfFrom(setupPage.text));
  const created = counted(
    await request(app)
      .post(`/setup/${setup}`)
      .set('Cookie', `${FORM_COOKIE}=${visitor}`)
      .type('form')
      .send({ _csrf: csrfFrom(setupPage.text), name: 'Olive Owner', email: 'olive@example.com', password: OWNER_PASSWORD }),
  );
  expect(created.status).toBe(303);
  keep('owner cookie after set-up', sessionCookieValue(created));

  // A wrong password, then the right one.
  const failed = await signInThroughPage(app, 'olive@example.com', WRONG_PASSWORD);
  requests += 2;
  expect(failed.res.status).toBe(401);
  const signedIn = await signInThroughPage(app, 'olive@example.com', OWNER_PASSWORD);
  requests += 2;
  const cookie = keep('session cookie', signedIn.cookie);
  const account = counted(await request(app).get('/account').set('Cookie', cookieHeader(cookie)));
  const csrf = keep('session CSRF token', csrfFrom(account.text));

  // An API token made from the browser session, then used.
  const made = counted(
    await request(app).post('/api/me/tokens').set('Cookie', cookieHeader(cookie)).set('X-CSRF-Token', csrf).send({ name: 'script' }),
  );
  expect(made.status).toBe(201);
  const token = keep('API token', made.body.token);
  const bearer = { Authorization: `Bearer ${token}` };
  const me = counted(await request(app).get('/api/me').set(bearer));
  expect(me.status).toBe(200);
  counted(await request(app).get('/api/me').set({ Authorization: 'Bearer rbk_not-a-real-token-but-secret-looking' }));
  secrets['unknown token'] = 'rbk_not-a-real-token-but-secret-looking';

  // An invitation, opened and accepted.
  const mia = makePerson(db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
  const invitation = counted(await request(app).post(`/api/people/${mia.id}/invitation`).set(bearer));
  const invite = keep('invitation secret', (invitation.body.url as string).split('/invite/')[1]);
  const invitePage = counted(await request(app).get(`/invite/${invite}`));
  const inviteVisitor = keep('invitee form cookie', formCookieValue(invitePage));
  const accepted = counted(
    await request(app)
      .post(`/invite/${invite}`)
      .set('Cookie', `${FORM_COOKIE}=${inviteVisitor}`)
      .type('form')
      .send({ _csrf: csrfFrom(invitePage.text), password: MEMBER_PASSWORD }),
  );
  expect(accepted.status).toBe(303);
  keep('member cookie', sessionCookieValue(accepted));

  // A personal link, opened with a target, and in capitals (Express matches paths either way).
  const otto = makePerson(db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
  const link = counted(await request(app).post(`/api/people/${otto.id}/links`).set(bearer));
  const secret = keep('personal link secret', (link.body.url as string).split('/l/')[1]);
  const opened = counted(await request(app).get(`/l/${secret}?to=%2Fmy-work`));
  expect(opened.status).toBe(303);
  keep('link cookie', sessionCookieValue(opened));
  expect(counted(await request(app).get(`/L/${secret}`)).status).toBe(303);

  // A search: queries are not logged either.
  counted(await request(app).get('/runbooks?q=confidential-merger-plans').set('Cookie', cookieHeader(cookie)));
  secrets['search words'] = 'confidential-merger-plans';

  const log = lines.join('');
  expect(Object.entries(secrets).filter(([, value]) => log.includes(value) || log.includes(encodeURIComponent(value)))).toEqual([]);
  expect(log).not.toMatch(/cookie|authorization|password/i);

  const logged = requestLines();
  expect(logged).toHaveLength(requests);
  for (const line of logged) {
    expect(line).toEqual({
      level: expect.any(Number),
      time: expect.any(Number),
      pid: process.pid,
      req: { method: expect.stringMatching(/^(GET|POST)$/), path: expect.stringMatching(/^\//) },
      res: { status: expect.any(Number) },
      ms: expect.any(Number),
      person: line.person === null ? null : expect.any(Number),
      msg: `${line.req.method} ${line.res.status}`,
    });
  }
  const olive = db.prepare("SELECT id FROM people WHERE email = 'olive@example.com'").pluck().get() as number;
  expect(logged.find((line) => line.req.path === '/api/me' && line.res.status === 200)).toMatchObject({ person: olive });
  expect(logged.find((line) => line.req.path === '/api/me' && line.res.status === 401)).toMatchObject({ person: null });
  expect(logged.filter((line) => /^\/(l|L|invite|setup)\//.test(line.req.path)).map((line) => line.req.path)).toEqual([
    '/setup/[secret]',
    '/setup/[secret]',
    '/invite/[secret]',
    '/invite/[secret]',
    '/l/[secret]',
    '/L/[secret]',
  ]);
});

test('a logged path keeps no query and no link secret, however the address is written', () => {
  expect(loggablePath('/runs/12?status=open')).toBe('/runs/12');
  expect(loggablePath('/l/abc-DEF_123?to=/runs/1')).toBe('/l/[secret]');
  expect(loggablePath('/invite/abc/extra')).toBe('/invite/[secret]/extra');
  expect(loggablePath('//setup/abc')).toBe('//setup/[secret]');
  expect(loggablePath('/INVITE/abc#x')).toBe('/INVITE/[secret]');
  expect(loggablePath('/library/l/abc')).toBe('/library/l/abc');
});

test('LOG_LEVEL=warn keeps ordinary requests out of the log, and errors in', async () => {
  const quiet: string[] = [];
  const warnApp = createApp({
    db,
    config: { runbooksDir, baseUrl: 'https://runbooks.test' },
    logger: createLogger('warn', { write: (line: string) => void quiet.push(line) }),
  });
  await request(warnApp).get('/healthz');
  expect(quiet).toEqual([]);
  const closedDb = freshDb();
  const broken = createApp({
    db: closedDb.db,
    config: { runbooksDir, baseUrl: 'https://runbooks.test' },
    logger: createLogger('warn', { write: (line: string) => void quiet.push(line) }),
  });
  closedDb.cleanup();
  expect((await request(broken).get('/healthz')).status).toBe(503);
  expect(quiet.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 40, res: { status: 503 } })]);
});
