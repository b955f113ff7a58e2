import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import { hashSecret } from '../../server/auth/secrets';
import { SESSION_LIMITS } from '../../server/auth/sessions';
import { createInvitation } from '../../server/auth/links';
import { BASE_URL, testApp } from '../helpers/app';
import { purgeOldRecords } from '../../server/retention';
import { FORM_COOKIE } from '../../server/http/csrf';
import { givePassword, makePerson } from '../helpers/factories';
import {
  browserSession,
  cookieHeader,
  csrfFrom,
  escapeHtml,
  everythingStored,
  formCookieValue,
  sessionCookieLine,
  sessionCookieValue,
  setCookies,
  signInThroughPage,
} from './auth-helpers';

/**
 * Sign-in and sessions (set-up is in auth-setup.test.ts): session fixation, sign-out, cookie
 * flags, idle and absolute expiry, sessions that survive a restart, one answer for an unknown
 * email and a wrong password, and the password policy on the set-up and invitation pages.
 */

const HTML = { Accept: 'text/html' };
const PASSWORD = 'correct horse battery staple';

const t = testApp();
const vera = makePerson(t.db, { name: 'Vera Member', email: 'vera@example.com', level: 'member' });
beforeAll(() => givePassword(t.db, vera.id, PASSWORD));
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));
// Failed sign-ins here are on purpose; none should count against another test's attempts.
beforeEach(() => t.db.prepare('DELETE FROM sign_in_failures').run());

const sessionRow = (cookie: string) =>
  t.db
    .prepare('SELECT person_id, link_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?')
    .get(hashSecret(cookie)) as
    { person_id: number | null; link_id: number | null; created_at: string; last_seen_at: string; expires_at: string } | undefined;
const count = () => (t.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
const me = (cookie: string, app = t.app) => request(app).get('/api/me').set('Cookie', cookieHeader(cookie));

async function signedIn(): Promise<string> {
  const { res, cookie } = await signInThroughPage(t.app, vera.email, PASSWORD);
  expect(res.status).toBe(303);
  return cookie as string;
}

describe('signing in through the page', () => {
  test('the form carries a CSRF token and a form cookie, and stores nothing; signing in starts a session and goes where it was asked', async () => {
    const sessions = count();
    const page = await request(t.app).get('/sign-in?next=%2Fmy-work');
    expect(page.status).toBe(200);
    expect(sessionCookieValue(page)).toBeUndefined();
    expect(count()).toBe(sessions);
    const res = await request(t.app)
      .post('/sign-in')
      .set('Cookie', `${FORM_COOKIE}=${formCookieValue(page)}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'VERA@example.com', password: PASSWORD, next: '/my-work' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/my-work');
    const cookie = sessionCookieValue(res) as string;
    expect(sessionRow(cookie)).toMatchObject({ person_id: vera.id, link_id: null });
    expect(count()).toBe(sessions + 1);
    expect((await me(cookie)).body).toMatchObject({ id: vera.id, via: 'session' });
  });

  test('a session id planted before sign-in (someone else’s, with its form token) is destroyed at sign-in and the new one is fresh', async () => {
    const mallory = makePerson(t.db, { name: 'Mallory', email: 'mallory@example.com' });
    const planted = browserSession(t.db, mallory.id);
    const res = await request(t.app)
      .post('/sign-in')
      .set(planted.headers)
      .type('form')
      .send({ _csrf: planted.csrf, email: vera.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const cookie = sessionCookieValue(res) as string;
    expect(cookie).not.toBe(planted.cookie);
    expect(sessionRow(planted.cookie)).toBeUndefined();
    expect((await me(planted.cookie)).status).toBe(401);
    expect((await me(cookie)).body).toMatchObject({ id: vera.id });
  });

  test('a link to somewhere else after sign-in is ignored: sign-in goes home instead', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const agent = request.agent(t.app);
      const page = await agent.get('/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: vera.email, password: PASSWORD, next });
      expect({ next, location: res.headers.location }).toEqual({ next, location: '/' });
    }
  });
});

describe('anonymous visits', () => {
  test('store nothing: many visits to the sign-in, set-up and invitation pages write no session row', async () => {
    const invitation = createInvitation(t.db, makePerson(t.db, { name: 'Ivy Invited' }).id, t.owner.id).token;
    const before = everythingStored(t.db);
    for (let i = 0; i < 30; i++) {
      await request(t.app).get('/sign-in').expect(200);
      await request(t.app).get(`/invite/${invitation}`).expect(200);
      await request(t.app).get('/setup/not-a-token').expect(404);
      await request(t.app).get('/my-work').set(HTML).expect(303);
      await request(t.app).get('/api/runs').expect(401);
    }
    expect(everythingStored(t.db)).toBe(before);
  });

  test('expired and idle sessions are purged on the timer', async () => {
    const old = browserSession(t.db, vera.id);
    const idle = browserSession(t.db, vera.id);
    const live = browserSession(t.db, vera.id);
    t.db
      .prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?')
      .run(new Date(Date.now() - 1000).toISOString(), hashSecret(old.cookie));
    t.db
      .prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?')
      .run(new Date(Date.now() - SESSION_LIMITS.idleMs - 1000).toISOString(), hashSecret(idle.cookie));
    expect(purgeOldRecords(t.db, { outboxKeepDays: 90 }).sessions).toBeGreaterThanOrEqual(2);
    expect([sessionRow(old.cookie), sessionRow(idle.cookie)]).toEqual([undefined, undefined]);
    expect(sessionRow(live.cookie)).toBeDefined();
  });
});

describe('signing out', () => {
  test('ends the session: the old cookie no longer works for pages or the API', async () => {
    const cookie = await signedIn();
    const page = await request(t.app).get('/my-work').set(HTML).set('Cookie', cookieHeader(cookie));
    expect(page.status).toBe(200);
    const res = await request(t.app)
      .post('/sign-out')
      .set('Cookie', cookieHeader(cookie))
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    expect(sessionCookieLine(res)).toMatch(/^rb_session=; Max-Age=0;/);
    expect(sessionRow(cookie)).toBeUndefined();
    expect((await me(cookie)).status).toBe(401);
    const again = await request(t.app).get('/my-work').set(HTML).set('Cookie', cookieHeader(cookie));
    expect(again.status).toBe(303);
    expect(again.headers.location).toMatch(/^\/sign-in\?next=/);
  });
});

describe('the session cookie', () => {
  const proxied = createApp({
    db: t.db,
    config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL, trustProxy: 1 },
    log: (e) => t.errors.push(e),
  });
  const flags = (line: string | undefined) =>
    (line ?? '')
      .split(';')
      .slice(1)
      .map((f) => f.trim().split('=')[0]?.toLowerCase());

  test('is HttpOnly, SameSite=Lax, for the whole site, and not Secure over plain HTTP', async () => {
    const { res } = await signInThroughPage(t.app, vera.email, PASSWORD);
    const line = sessionCookieLine(res);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(flags(line)).not.toContain('secure');
  });

  const formCookieLine = (res: request.Response) => setCookies(res).find((line) => line.startsWith(`${FORM_COOKIE}=`));

  test('is not Secure when X-Forwarded-Proto says https but no proxy is trusted (nor is the form cookie)', async () => {
    const res = await request(t.app).get('/sign-in').set('X-Forwarded-Proto', 'https');
    expect(flags(formCookieLine(res))).toEqual(expect.arrayContaining(['httponly', 'samesite']));
    expect(flags(formCookieLine(res))).not.toContain('secure');
    const { res: signedIn } = await signInThroughPage(t.app, vera.email, PASSWORD, { 'X-Forwarded-Proto': 'https' });
    expect(flags(sessionCookieLine(signedIn))).not.toContain('secure');
  });

  test('is Secure behind a trusted proxy that forwarded HTTPS, at sign-in and sign-out alike (and so is the form cookie)', async () => {
    const https = { 'X-Forwarded-Proto': 'https' };
    const visit = await request(proxied).get('/sign-in').set(https);
    expect(flags(formCookieLine(visit))).toEqual(expect.arrayContaining(['httponly', 'samesite', 'secure']));
    const { res, cookie } = await signInThroughPage(proxied, vera.email, PASSWORD, https);
    expect(res.status).toBe(303);
    expect(flags(sessionCookieLine(res))).toContain('secure');
    const page = await request(proxied)
      .get('/my-work')
      .set(https)
      .set('Cookie', cookieHeader(cookie as string));
    const out = await request(proxied)
      .post('/sign-out')
      .set(https)
      .set('Cookie', cookieHeader(cookie as string))
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(flags(sessionCookieLine(out))).toContain('secure');
  });

  test('is not Secure behind a trusted proxy that forwarded plain HTTP', async () => {
    const res = await request(proxied).get('/sign-in').set('X-Forwarded-Proto', 'http');
    expect(flags(sessionCookieLine(res))).not.toContain('secure');
  });
});

describe('session expiry', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  test('a session idle for longer than the idle limit has ended, and its row is gone', async () => {
    const cookie = await signedIn();
    t.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(ago(SESSION_LIMITS.idleMs + 60_000), hashSecret(cookie));
    expect((await me(cookie)).status).toBe(401);
    expect(sessionRow(cookie)).toBeUndefined();
  });

  test('a session used within the idle limit lives on, and the use pushes the idle limit back', async () => {
    const cookie = await signedIn();
    t.db
      .prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?')
      .run(ago(SESSION_LIMITS.idleMs - 10 * 60_000), hashSecret(cookie));
    expect((await me(cookie)).status).toBe(200);
    const seen = new Date(sessionRow(cookie)?.last_seen_at as string).getTime();
    expect(Date.now() - seen).toBeLessThan(60_000);
  });

  test('a session past its absolute expiry has ended, however recently it was used', async () => {
    const cookie = await signedIn();
    const row = sessionRow(cookie);
    expect(new Date(row?.expires_at as string).getTime() - new Date(row?.created_at as string).getTime()).toBe(SESSION_LIMITS.absoluteMs);
    t.db
      .prepare('UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE id_hash = ?')
      .run(ago(1000), new Date().toISOString(), hashSecret(cookie));
    expect((await me(cookie)).status).toBe(401);
    const page = await request(t.app).get('/my-work').set(HTML).set('Cookie', cookieHeader(cookie));
    expect(page.status).toBe(303);
  });

  test('using a session never moves its absolute expiry', async () => {
    const cookie = await signedIn();
    const before = sessionRow(cookie)?.expires_at;
    t.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(ago(SESSION_LIMITS.touchEveryMs + 1000), hashSecret(cookie));
    expect((await me(cookie)).status).toBe(200);
    expect(sessionRow(cookie)?.expires_at).toBe(before);
  });
});

describe('a restart', () => {
  test('keeps sessions: a new app on a new connection to the same database accepts the cookie', async () => {
    const cookie = await signedIn();
    const db = openDatabase(path.join(t.dir, 'test.sqlite'));
    try {
      const restarted = createApp({ db, config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL } });
      const res = await me(cookie, restarted);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: vera.id, via: 'session' });
    } finally {
      db.close();
    }
  });
});

describe('a failed sign-in', () => {
  const attempt = async (email: string, password: string, headers: Record<string, string> = {}) => {
    const started = process.hrtime.bigint();
    const { res } = await signInThroughPage(t.app, email, password, headers);
    return { res, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  test('gets the same status and body for an unknown email, a wrong password, an inactive account and an account without a password', async () => {
    const gone = makePerson(t.db, { email: 'gone@example.com', active: false });
    t.db
      .prepare(
        'INSERT INTO credentials (person_id, password_hash, updated_at) SELECT ?, password_hash, updated_at FROM credentials WHERE person_id = ?',
      )
      .run(gone.id, vera.id);
    makePerson(t.db, { email: 'nopass@example.com' });
    const answers = [];
    for (const [email, password] of [
      ['nobody@example.com', PASSWORD],
      [vera.email, 'wrong password!'],
      ['gone@example.com', PASSWORD],
      ['nopass@example.com', PASSWORD],
    ] as const) {
      const { res } = await attempt(email, password);
      answers.push({ status: res.status, body: res.body, setCookie: sessionCookieLine(res) });
    }
    expect(answers[0]).toEqual({
      status: 401,
      body: { error: { code: 'sign-in-failed', message: 'That email and password do not match an account', field: 'email' } },
      setCookie: undefined,
    });
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
  });

  test('shows the same page for an unknown email and a wrong password, bar the email typed back', async () => {
    const unknown = await attempt('nobody@example.com', 'wrong password!', HTML);
    const wrong = await attempt(vera.email, 'wrong password!', HTML);
    const normalise = (html: string, email: string) =>
      html.replaceAll(escapeHtml(email), 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, 'CSRF');
    expect([unknown.res.status, wrong.res.status]).toEqual([401, 401]);
    expect(normalise(unknown.res.text, 'nobody@example.com')).toBe(normalise(wrong.res.text, vera.email));
    expect(unknown.res.text).toContain('That email and password do not match an account');
    expect(unknown.res.text).not.toContain('wrong password!');
  });

  test('checks a password hash of the same cost for an unknown email as for a wrong password, so both take as long', async () => {
    // Which hashes sign-in verifies, rather than a stopwatch: on a busy machine times say little.
    // The package's own exports object, which passwords.ts calls through (an ES import would be a copy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const verify = jest.spyOn(require('@node-rs/argon2') as typeof import('@node-rs/argon2'), 'verify');
    try {
      await attempt('nobody@example.com', 'wrong password!');
      await attempt(vera.email, 'wrong password!');
      const [decoy = '', real = ''] = verify.mock.calls.map(([hash]) => String(hash));
      const cost = (hash: string) => hash.split('$').slice(0, 4).join('$');
      expect(verify).toHaveBeenCalledTimes(2);
      expect(cost(decoy)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1$/);
      expect(cost(decoy)).toBe(cost(real));
      expect(decoy).not.toBe(real);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('the password policy on the invitation page', () => {
  // An invitee of their own for each test: an accepted invitation gives a password.
  let serial = 0;
  const newInvitee = () => makePerson(t.db, { name: 'Ivy Invitee', email: `ivy-${++serial}@example.com`, level: 'member' });

  test.each([
    ['7 characters', 'tulip42', 'at least 8 characters'],
    ['a common password', 'password123', 'most common passwords'],
    ['129 characters', 'y'.repeat(129), 'at most 128 characters'],
    ['their own name', 'Ivy Invitee', 'must not be your name'],
  ])('refuses %s with 422, the error beside the field, and the invitation still open', async (_name, password, message) => {
    const invitee = newInvitee();
    const { token } = createInvitation(t.db, invitee.id, t.owner.id);
    const agent = request.agent(t.app);
    const page = await agent.get(`/invite/${token}`);
    const res = await agent
      .post(`/invite/${token}`)
      .set(HTML)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(new RegExp(`<p class="error" id="f-password-error">Password [^<]*${message}`));
    expect(res.text).toContain('Welcome, Ivy Invitee');
    expect(res.text).toContain(invitee.email);
    expect(res.text).toContain('id="f-password" name="password" type="password" value=""');
    expect((await request(t.app).get(`/invite/${token}`)).status).toBe(200);
    expect(t.db.prepare('SELECT count(*) AS n FROM credentials WHERE person_id = ?').get(invitee.id)).toEqual({ n: 0 });
  });

  test.each([
    ['exactly 8 characters', 'tulip-42'],
    ['64 characters', 'z'.repeat(60) + '!x9Q'],
    ['128 characters', 'w'.repeat(124) + '#k2P'],
  ])('accepts %s and signs the invitee in', async (_name, password) => {
    const invitee = newInvitee();
    const { token } = createInvitation(t.db, invitee.id, t.owner.id);
    const agent = request.agent(t.app);
    const page = await agent.get(`/invite/${token}`);
    const res = await agent
      .post(`/invite/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password });
    expect(res.status).toBe(303);
    expect((await agent.get('/api/me')).body).toMatchObject({ id: invitee.id, via: 'session' });
  });
});
