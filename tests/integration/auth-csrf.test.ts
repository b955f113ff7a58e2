import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink } from '../../server/auth/links';
import { browserSession, cookieHeader, csrfFrom, everythingStored, formCookieValue, signInThroughPage, visitorForm } from './auth-helpers';
import { FORM_COOKIE } from '../../server/http/csrf';

/**
 * Cross-site request forgery: every state-changing request that rides on a session cookie
 * needs the session's synchroniser token (form field `_csrf` or header X-CSRF-Token); a
 * visitor's form (sign-in, set-up, invitation) needs the keyed hash of the nonce in their form
 * cookie, with nothing stored; Bearer requests need none; and nothing changes on a GET.
 */

const PASSWORD = 'correct horse battery staple';
const t = testApp();
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera Member', email: 'vera@example.com', level: 'member' });
makeRunbook(t.db, 'ops', runbookMarkdown('Ops', [{ title: 'Vera step', owner: 'Vera Member', checks: ['Box'] }]));
const run = startRun(t.db, { runbook: 'ops', title: 'Ops run', startedBy: t.owner.id });
const role = makeRole(t.db, 'Bookkeeper', [vera]);
const owner = browserSession(t.db, t.owner.id);

/** Vera signed in through the page, as a browser would be. */
let cookie = '';
let csrf = '';
beforeAll(async () => {
  await givePassword(t.db, vera.id, PASSWORD);
  const { res, cookie: value } = await signInThroughPage(t.app, vera.email, PASSWORD);
  expect(res.status).toBe(303);
  cookie = value as string;
  const page = await request(t.app).get('/account').set('Cookie', cookieHeader(cookie));
  csrf = csrfFrom(page.text);
});

const veraCookie = () => ({ Cookie: cookieHeader(cookie) });
const count = (table: string, where = '1') => (t.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
const me = () => request(t.app).get('/api/me').set(veraCookie());
const tokensOfVera = () => count('api_tokens', `person_id = ${vera.id}`);
/** Puts the run's one check in the state a test starts from. */
const setTicked = (ticked: boolean) =>
  t.db.prepare('UPDATE run_checks SET ticked_at = ?, ticked_by = ?').run(ticked ? new Date().toISOString() : null, ticked ? vera.id : null);
const checkTicked = () => (t.db.prepare('SELECT ticked_at FROM run_checks').get() as { ticked_at: string | null }).ticked_at !== null;

describe('a form post', () => {
  test.each([
    ['without a token', {}],
    ['with a wrong token', { _csrf: 'not-the-token' }],
    ['with an empty token', { _csrf: '' }],
  ])('%s is refused with 403 and creates no API token', async (_name, extra) => {
    const before = tokensOfVera();
    const res = await request(t.app)
      .post('/account/tokens')
      .set(veraCookie())
      .set('Accept', 'text/html')
      .type('form')
      .send({ name: 'forged', ...extra });
    expect(res.status).toBe(403);
    expect(res.text).toContain('did not come from this site');
    expect(tokensOfVera()).toBe(before);
  });

  test("with another session's token (an attacker's own visitor session) is refused with 403", async () => {
    const attacker = await request(t.app).get('/sign-in');
    const before = tokensOfVera();
    const res = await request(t.app)
      .post('/account/tokens')
      .set(veraCookie())
      .type('form')
      .send({ name: 'forged', _csrf: csrfFrom(attacker.text) });
    expect(res.status).toBe(403);
    expect(tokensOfVera()).toBe(before);
  });

  test('with the token from the page works', async () => {
    const before = tokensOfVera();
    const res = await request(t.app).post('/account/tokens').set(veraCookie()).type('form').send({ name: 'genuine', _csrf: csrf });
    expect(res.status).toBe(201);
    expect(tokensOfVera()).toBe(before + 1);
  });

  test('to revoke a token without the token is refused with 403 and the API token keeps working', async () => {
    const { token, row } = createApiToken(t.db, vera.id, 'keep me');
    const res = await request(t.app).post(`/account/tokens/${row.id}/revoke`).set(veraCookie()).type('form').send({});
    expect(res.status).toBe(403);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const ok = await request(t.app).post(`/account/tokens/${row.id}/revoke`).set(veraCookie()).type('form').send({ _csrf: csrf });
    expect(ok.status).toBe(303);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  test('to sign out without the token is refused with 403 and the session lives on', async () => {
    const session = browserSession(t.db, vera.id);
    const res = await request(t.app).post('/sign-out').set(session.headers).type('form').send({});
    expect(res.status).toBe(403);
    expect((await request(t.app).get('/api/me').set(session.headers)).status).toBe(200);
    const ok = await request(t.app).post('/sign-out').set(session.headers).type('form').send({ _csrf: session.csrf });
    expect(ok.status).toBe(303);
    expect((await request(t.app).get('/api/me').set(session.headers)).status).toBe(401);
  });

  test('to sign in without the token is refused with 403 and signs nobody in', async () => {
    await givePassword(t.db, vera.id, PASSWORD);
    const sessions = count('sessions');
    const bare = await request(t.app).post('/sign-in').type('form').send({ email: vera.email, password: PASSWORD });
    expect(bare.status).toBe(403);
    const visitor = await visitorForm(t.app);
    const withoutToken = await request(t.app)
      .post('/sign-in')
      .set(visitor.headers)
      .type('form')
      .send({ email: vera.email, password: PASSWORD });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.headers['set-cookie']).toBeUndefined();
    expect(count('sessions')).toBe(sessions);
  });
});

describe("a visitor's form (nothing stored for them)", () => {
  test('works with the cookie and token its page gave, and signs in', async () => {
    await givePassword(t.db, vera.id, PASSWORD);
    const visitor = await visitorForm(t.app);
    const res = await request(t.app)
      .post('/sign-in')
      .set(visitor.headers)
      .type('form')
      .send({ email: vera.email, password: PASSWORD, _csrf: visitor.csrf });
    expect([res.status, res.headers.location]).toEqual([303, '/']);
  });

  test.each([
    [
      "another visitor's token (the attacker's own page) with this visitor's cookie",
      async () => {
        const mine = await visitorForm(t.app);
        const attackers = await visitorForm(t.app);
        return { headers: mine.headers, csrf: attackers.csrf };
      },
    ],
    [
      'a cookie the attacker made up, with a token of their own making',
      async () => ({
        headers: { Cookie: `${FORM_COOKIE}=${'a'.repeat(43)}` },
        csrf: 'b'.repeat(43),
      }),
    ],
    ['a real token without its cookie', async () => ({ headers: {}, csrf: (await visitorForm(t.app)).csrf })],
    [
      'the cookie alone, its value sent as the token',
      async () => {
        const mine = await visitorForm(t.app);
        return { headers: mine.headers, csrf: mine.cookie };
      },
    ],
  ])('is refused with 403 and signs nobody in, for %s', async (_name, make) => {
    await givePassword(t.db, vera.id, PASSWORD);
    const { headers, csrf: token } = await make();
    const res = await request(t.app)
      .post('/sign-in')
      .set(headers)
      .type('form')
      .send({ email: vera.email, password: PASSWORD, _csrf: token });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  test('the form cookie is HttpOnly, SameSite=Lax, and given only when the browser has none', async () => {
    const first = await request(t.app).get('/sign-in');
    const line = (first.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${FORM_COOKIE}=`)) as string;
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    const again = await request(t.app)
      .get('/sign-in')
      .set('Cookie', `${FORM_COOKIE}=${formCookieValue(first)}`);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(csrfFrom(again.text)).toBe(csrfFrom(first.text));
  });
});

describe('an API request with a session cookie', () => {
  test.each([
    ['without X-CSRF-Token', {}],
    ['with a wrong X-CSRF-Token', { 'X-CSRF-Token': 'nope' }],
  ])('%s is refused with 403 csrf-invalid and changes nothing', async (_name, header) => {
    const before = everythingStored(t.db);
    const attempts = [
      request(t.app).post('/api/me/tokens').set(veraCookie()).set(header).send({ name: 'forged' }),
      request(t.app).post('/api/runs').set(veraCookie()).set(header).send({ runbook: 'ops', title: 'Forged run' }),
      request(t.app).post(`/api/runs/${run}/steps/1/checks/0/tick`).set(veraCookie()).set(header),
      request(t.app)
        .put('/api/runbooks/forged')
        .set(owner.headers)
        .set(header)
        .set('Content-Type', 'text/markdown')
        .send(runbookMarkdown('Forged', [{ title: 'X' }])),
      request(t.app).patch(`/api/people/${vera.id}`).set(owner.headers).set(header).send({ name: 'Forged name', level: 'owner' }),
      request(t.app).delete(`/api/roles/${role.id}/members/${vera.id}`).set(owner.headers).set(header),
      request(t.app).post(`/api/people/${vera.id}/links`).set(owner.headers).set(header),
    ];
    for (const attempt of attempts) {
      const res = await attempt;
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'csrf-invalid' });
    }
    expect(everythingStored(t.db)).toBe(before);
  });

  test('with the X-CSRF-Token of its session works', async () => {
    setTicked(false);
    const created = await request(t.app)
      .post('/api/me/tokens')
      .set(veraCookie())
      .set('X-CSRF-Token', csrf)
      .send({ name: 'from the browser' });
    expect(created.status).toBe(201);
    const ticked = await request(t.app).post(`/api/runs/${run}/steps/1/checks/0/tick`).set(veraCookie()).set('X-CSRF-Token', csrf);
    expect(ticked.status).toBe(200);
    expect(checkTicked()).toBe(true);
    const renamed = await request(t.app)
      .patch(`/api/people/${vera.id}`)
      .set(owner.headers)
      .set('X-CSRF-Token', owner.csrf)
      .send({ hourlyCost: 12 });
    expect(renamed.status).toBe(200);
  });

  test("with the X-CSRF-Token of another person's session is refused with 403", async () => {
    setTicked(true);
    const res = await request(t.app).post(`/api/runs/${run}/steps/1/checks/0/untick`).set(veraCookie()).set('X-CSRF-Token', owner.csrf);
    expect(res.status).toBe(403);
    expect(checkTicked()).toBe(true);
  });
});

describe('a Bearer request', () => {
  test('needs no CSRF token, for the API or a form', async () => {
    setTicked(true);
    const api = await t.asPerson(vera).post(`/api/runs/${run}/steps/1/checks/0/untick`);
    expect(api.status).toBe(200);
    expect(checkTicked()).toBe(false);
    const page = await t.asPerson(vera).post(`/runs/${run}/steps/1/checks/0/tick`).type('form').send({});
    expect(page.status).toBe(303);
    expect(checkTicked()).toBe(true);
  });

  test('cannot mint API tokens, API or form: only a person at a browser can', async () => {
    t.as(vera);
    const before = tokensOfVera();
    expect((await t.asPerson(vera).post('/api/me/tokens').send({ name: 'script' })).status).toBe(403);
    expect((await t.asPerson(vera).post('/account/tokens').type('form').send({ name: 'script via form' })).status).toBe(403);
    expect(tokensOfVera()).toBe(before);
  });

  test('needs none even when a session cookie rides along: the token decides who asks', async () => {
    setTicked(true);
    const res = await t.asPerson(vera).post(`/api/runs/${run}/steps/1/checks/0/untick`).set(veraCookie());
    expect(res.status).toBe(200);
    expect(checkTicked()).toBe(false);
  });

  test('an anonymous API post (no session, no token) is refused as anonymous, 401, not for CSRF', async () => {
    const res = await request(t.app).post('/api/me/tokens').send({ name: 'x' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'sign-in-required' });
  });
});

describe('a GET', () => {
  test.each([
    ['/sign-out'],
    ['/account/tokens'],
    ['/account/tokens/1/revoke'],
    ['/setup/x'],
    ['/api/me/tokens/1/revoke'],
    ['/api/runs/RUN/steps/1/complete'],
    ['/api/runs/RUN/steps/1/skip'],
    ['/api/runs/RUN/steps/1/checks/0/tick'],
    ['/api/runs/RUN/steps/1/reassign'],
    ['/api/runbooks/ops/archive'],
    ['/api/import'],
    ['/api/people/VERA/invitation'],
    ['/api/people/VERA/links/LINK/revoke'],
    ['/api/roles/ROLE/members'],
    ['/api/me/tokens/TOKEN/revoke'],
  ])('on the action address %s is 404 and changes nothing', async (address) => {
    const link = createAccessLink(t.db, t.links, vera.id, t.owner.id);
    const token = createApiToken(t.db, vera.id, 'get test');
    const url = address
      .replace('RUN', String(run))
      .replace('VERA', String(vera.id))
      .replace('LINK', String(link.id))
      .replace('ROLE', String(role.id))
      .replace('TOKEN', String(token.row.id));
    const before = everythingStored(t.db);
    for (const headers of [veraCookie(), owner.headers]) {
      const res = await request(t.app).get(url).set(headers);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
    }
    expect(everythingStored(t.db)).toBe(before);
    expect((await me()).status).toBe(200);
  });

  test('of every page and API list changes nothing stored', async () => {
    const before = everythingStored(t.db);
    for (const url of [
      '/',
      '/my-work',
      '/account',
      '/audit',
      '/api/runs',
      `/api/runs/${run}`,
      '/api/me',
      '/api/me/tokens',
      '/api/people',
      '/api/roles',
      '/api/gaps',
      '/api/audit',
      '/api/runbooks/ops',
    ]) {
      const res = await request(t.app).get(url).set(owner.headers);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
    }
    expect(everythingStored(t.db)).toBe(before);
  });
});
