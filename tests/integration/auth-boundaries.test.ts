import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { hashSecret } from '../../server/auth/secrets';
import { issueSetupToken } from '../../server/auth/setup';
import { cookieHeader, signInThroughPage, visitorForm } from './auth-helpers';

/**
 * Where sign-in and access stop: set-up links once there is an owner, sign-in limits under
 * guesses sent at once, what an outsourcer sees, tokens that would make tokens, invitations
 * that would reset a password, and the CSP of a plain-HTTP install.
 */

const t = testApp();
afterAll(t.cleanup);
afterEach(() => expect(t.errors).toEqual([]));

test('a set-up link printed before an owner was made another way no longer works, and hands over nothing', async () => {
  const token = 'printed-at-start-before-the-cli-made-the-owner';
  t.db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hashSecret(token), new Date().toISOString());
  const page = await request(t.app).get(`/setup/${token}`);
  expect(page.status).toBe(404);
  const visitor = await visitorForm(t.app);
  const res = await request(t.app)
    .post(`/setup/${token}`)
    .set(visitor.headers)
    .type('form')
    .send({ _csrf: visitor.csrf, name: 'Mallory', email: 'owner@example.com', password: 'mallory takes over' });
  expect(res.status).toBe(404);
  expect(t.db.prepare('SELECT name FROM people WHERE id = ?').get(t.owner.id)).toEqual({ name: 'Olive Owner' });
});

test('a later start deletes set-up links that were never used', () => {
  t.db.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hashSecret('old-unused'), new Date().toISOString());
  expect(issueSetupToken(t.db)).toBeNull();
  expect(t.db.prepare('SELECT count(*) AS n FROM setup_tokens WHERE used_at IS NULL').get()).toEqual({ n: 0 });
});

test('the runs page names only runbooks of runs the outsourcer is in', async () => {
  const alex = makePerson(t.db, { name: 'Alex', level: 'outsourcer' });
  makeRunbook(t.db, 'shared', runbookMarkdown('Shared work', [{ title: 'Do it', owner: 'Alex' }]));
  makeRunbook(t.db, 'payroll', runbookMarkdown('Confidential Ledger', [{ title: 'Pay', owner: 'Olive Owner' }]));
  await t.http().post('/api/runs').send({ runbook: 'shared', title: 'Shared run' }).expect(201);
  await t.http().post('/api/runs').send({ runbook: 'payroll', title: 'Payroll run' }).expect(201);
  const page = await t.asPerson(alex).get('/runs').expect(200);
  expect(page.text).toContain('Shared work');
  expect(page.text).not.toContain('Ledger');
  expect(page.text).not.toContain('payroll');
});

test('an API token cannot mint more tokens, not even an owner’s, and the answer says why in words', async () => {
  const res = await t.http().post('/api/me/tokens').send({ name: 'copy' });
  expect(res.status).toBe(403);
  expect(res.body.error).toEqual({
    code: 'forbidden',
    message:
      'An API token cannot create API tokens (a leaked token must not make its own spares): create one on the Account page, signed in with your password, or with "npm run cli -- token create" on the server',
  });
});

test('GET /api/me gives a browser session its CSRF token, which then works for the API; a token request gets none', async () => {
  const vic = makePerson(t.db, { name: 'Vicky', email: 'vicky@example.com', level: 'member' });
  await givePassword(t.db, vic.id, 'vicky signs in with this');
  const { cookie } = await signInThroughPage(t.app, 'vicky@example.com', 'vicky signs in with this');
  const me = await request(t.app)
    .get('/api/me')
    .set('Cookie', cookieHeader(cookie as string));
  expect(me.body).toMatchObject({ id: vic.id, via: 'session', csrfToken: expect.stringMatching(/.{20,}/) });
  const made = await request(t.app)
    .post('/api/me/tokens')
    .set('Cookie', cookieHeader(cookie as string))
    .set('X-CSRF-Token', me.body.csrfToken)
    .send({ name: 'from a page script' });
  expect(made.status).toBe(201);
  expect((await t.asPerson(vic).get('/api/me')).body.csrfToken).toBeUndefined();
});

test('an editor cannot re-invite someone who already has a password (it would reset it); an owner can', async () => {
  const ed = makePerson(t.db, { name: 'Ed', level: 'editor' });
  const mia = makePerson(t.db, { name: 'Mia', email: 'mia@example.com' });
  await givePassword(t.db, mia.id, 'mia has her own password');
  const refused = await t.asPerson(ed).post(`/api/people/${mia.id}/invitation`);
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('already-has-account');
  await t.http().post(`/api/people/${mia.id}/invitation`).expect(201);
});

test('pages allow plain-HTTP installs: the CSP does not upgrade requests to HTTPS', async () => {
  const res = await request(t.app).get('/sign-in');
  expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
});

test('an outsourcer sees their own profile page, but nobody else’s and no management forms', async () => {
  const otto = makePerson(t.db, { name: 'Otto', level: 'outsourcer' });
  const own = await t.asPerson(otto).get(`/people/${otto.id}`).set('Accept', 'text/html');
  expect(own.status).toBe(200);
  expect(own.text).toContain('Otto');
  expect(own.text).not.toMatch(/action="\/people\/\d+\/(level|active|links|invitation)"/);
  expect((await t.asPerson(otto).get(`/people/${t.owner.id}`).set('Accept', 'text/html')).status).toBe(404);
  expect((await t.asPerson(otto).get('/people').set('Accept', 'text/html')).status).toBe(403);
});
