import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { issueSetupToken } from '../../server/auth/setup';
import { freshDb } from '../helpers/db';
import { importDirectory } from '../../server/runbooks/import';
import { SHIPPED_RUNBOOKS } from '../helpers/shipped-team';
import { csrfFrom, escapeHtml, sessionCookieValue } from './auth-helpers';

/** The one-time set-up link: nothing works before it, it works once, and it creates the owner. */

const HTML = { Accept: 'text/html' };

/** An app on a fresh database with no owner yet: only the set-up link works. */
function unsetApp() {
  const { db, dir, cleanup } = freshDb();
  const runbooksDir = path.join(dir, 'runbooks');
  fs.mkdirSync(runbooksDir);
  const errors: unknown[] = [];
  return {
    db,
    errors,
    cleanup,
    app: createApp({ db, config: { runbooksDir, baseUrl: 'https://runbooks.test' }, log: (e) => errors.push(e) }),
  };
}

describe('set-up', () => {
  // Each test has a server of its own, not set up, with the set-up link printed at its start.
  let s: ReturnType<typeof unsetApp>;
  let token = '';
  beforeEach(() => {
    s = unsetApp();
    token = issueSetupToken(s.db) as string;
  });
  afterEach(() => {
    expect(s.errors.splice(0)).toEqual([]);
    s.cleanup();
  });

  /** Olga creates the owner account through the set-up link. */
  async function setUp() {
    const agent = request.agent(s.app);
    const page = await agent.get(`/setup/${token}`);
    await agent
      .post(`/setup/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Olga Owner', email: 'olga@example.com', password: 'olga chose a long password' })
      .expect(303);
  }

  test('before set-up, every page and API route answers 503 setup-required, and only the assets load', async () => {
    // /api/setup/… and /api/assets/… are API addresses, not the set-up page or its assets.
    for (const url of [
      '/api/runs',
      '/api/me',
      '/api/people',
      '/api/setup/anything',
      '/api/assets/app.css',
      '/sign-in',
      '/l/anything',
      '/invite/anything',
    ]) {
      const res = await request(s.app).get(url);
      expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, status: 503, code: 'setup-required' });
    }
    const post = await request(s.app).post('/sign-in').type('form').send({ email: 'a@example.com', password: 'whatever pass' });
    expect(post.status).toBe(503);
    const page = await request(s.app).get('/').set(HTML);
    expect(page.status).toBe(503);
    expect(page.text).toContain('not set up yet');
    expect((await request(s.app).get('/assets/app.css')).status).toBe(200);
  });

  test('only the newest set-up link works: issuing one again turns the earlier one off', async () => {
    const first = issueSetupToken(s.db) as string;
    token = issueSetupToken(s.db) as string;
    expect((await request(s.app).get(`/setup/${first}`)).status).toBe(404);
    expect((await request(s.app).get('/setup/not-the-token')).status).toBe(404);
    expect((await request(s.app).get(`/setup/${token}`)).status).toBe(200);
  });

  test.each([
    ['7 characters', 'tulip42', 'at least 8 characters'],
    ['a common password', 'password123', 'most common passwords'],
    ['a common password in capitals', 'PASSWORD123', 'most common passwords'],
    ['129 characters', 'x'.repeat(129), 'at most 128 characters'],
    ['their own email', 'olga@example.com', 'must not be your email'],
  ])(
    'the set-up form refuses %s with 422, the error beside the field and the typed name and email kept',
    async (_name, password, message) => {
      const agent = request.agent(s.app);
      const page = await agent.get(`/setup/${token}`);
      const res = await agent
        .post(`/setup/${token}`)
        .set(HTML)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), name: 'Olga <Owner>', email: 'olga@example.com', password });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`<p class="error" id="f-password-error">Password [^<]*${message}`));
      expect(res.text).toContain('aria-invalid="true" aria-describedby="f-password-error"');
      expect(res.text).toContain(`value="${escapeHtml('Olga <Owner>')}"`);
      expect(res.text).toContain(`value="${escapeHtml('olga@example.com')}"`);
      expect(res.text).toContain('id="f-password" name="password" type="password" value=""');
      expect(s.db.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 0 });
    },
  );

  test('the set-up link creates the owner with an argon2id hash of a long password and signs them in', async () => {
    const agent = request.agent(s.app);
    const page = await agent.get(`/setup/${token}`);
    const long = 'a very long pass phrase that nobody would guess '.repeat(3).slice(0, 100);
    const res = await agent
      .post(`/setup/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Olga Owner', email: 'olga@example.com', password: long });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(sessionCookieValue(res)).not.toBe(sessionCookieValue(page));
    expect((await agent.get('/api/me')).body).toMatchObject({
      name: 'Olga Owner',
      email: 'olga@example.com',
      level: 'owner',
      via: 'session',
    });
    const home = await agent.get('/').set(HTML);
    expect(home.status).toBe(200);
    expect(home.text).toContain('Hello, Olga Owner');
    const { password_hash: hash } = s.db.prepare('SELECT password_hash FROM credentials').get() as { password_hash: string };
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain(long);
  });

  test('set-up asks which roles the runbooks name the founder fills, Owner ticked, and puts them in those roles', async () => {
    expect(importDirectory(s.db, SHIPPED_RUNBOOKS).problems).toEqual([]);
    const roleId = (name: string) => (s.db.prepare('SELECT id FROM roles WHERE name = ?').get(name) as { id: number }).id;
    const agent = request.agent(s.app);
    const page = await agent.get(`/setup/${token}`);
    expect(page.text).toContain('Which roles do you fill today?');
    expect(page.text).toContain(`name="roles" value="${roleId('Owner')}" checked> Owner`);
    expect(page.text).toContain(`name="roles" value="${roleId('Bookkeeper')}"> Bookkeeper`);
    const form = new URLSearchParams({
      _csrf: csrfFrom(page.text),
      name: 'Olga Owner',
      email: 'olga@example.com',
      password: 'olga chose a long password',
    });
    form.append('roles', String(roleId('Owner')));
    form.append('roles', String(roleId('Bookkeeper')));
    await agent.post(`/setup/${token}`).type('form').send(form.toString()).expect(303);
    const filled = s.db
      .prepare(
        'SELECT r.name, m.is_primary FROM role_members m JOIN roles r ON r.id = m.role_id JOIN people p ON p.id = m.person_id ORDER BY r.name',
      )
      .all();
    expect(filled).toEqual([
      { name: 'Bookkeeper', is_primary: 1 },
      { name: 'Owner', is_primary: 1 },
    ]);
    const gaps = (await agent.get('/api/gaps')).body as { emptyRoles: { name: string }[] };
    expect(gaps.emptyRoles.map((r) => r.name)).not.toContain('Owner');
  });

  test('the set-up form shown again after an error keeps the roles as they were ticked', async () => {
    expect(importDirectory(s.db, SHIPPED_RUNBOOKS).problems).toEqual([]);
    const bookkeeper = (s.db.prepare("SELECT id FROM roles WHERE name = 'Bookkeeper'").get() as { id: number }).id;
    const agent = request.agent(s.app);
    const page = await agent.get(`/setup/${token}`);
    const form = new URLSearchParams({
      _csrf: csrfFrom(page.text),
      name: 'Olga',
      email: 'olga@example.com',
      password: 'short',
      roles: String(bookkeeper),
    });
    const res = await agent.post(`/setup/${token}`).set(HTML).type('form').send(form.toString());
    expect(res.status).toBe(422);
    expect(res.text).toContain(`value="${bookkeeper}" checked> Bookkeeper`);
    expect(res.text).toMatch(/name="roles" value="\d+"> Owner/);
  });

  test('the set-up link works once: afterwards it is 404, to open and to post', async () => {
    await setUp();
    expect((await request(s.app).get(`/setup/${token}`)).status).toBe(404);
    const agent = request.agent(s.app);
    const signInPage = await agent.get('/sign-in');
    expect(signInPage.status).toBe(200);
    const res = await agent
      .post(`/setup/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(signInPage.text), name: 'Mallory', email: 'olga@example.com', password: 'mallory takes over now' });
    expect(res.status).toBe(404);
    expect(s.db.prepare('SELECT name FROM people').all()).toEqual([{ name: 'Olga Owner' }]);
  });

  test('after set-up, the rest of the app works', async () => {
    await setUp();
    expect((await request(s.app).get('/api/runs')).status).toBe(401);
    expect((await request(s.app).get('/sign-in')).status).toBe(200);
  });
});
