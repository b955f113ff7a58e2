import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { createApiToken } from '../../server/auth/tokens';
import { browserSession } from './auth-helpers';

/**
 * Every way an editor could try to act as someone above them (an owner) or beside them (another
 * editor): a personal link, an API token, an invitation or password reset, a new email address
 * to receive one, a higher level. Each is refused, through the API and the pages, and at the
 * end nothing that opens their accounts exists that did not before.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const erin = makePerson(t.db, { name: 'Erin Editor', email: 'erin@example.com', level: 'editor' });
const co = makePerson(t.db, { name: 'Cora Co-owner', email: 'cora@example.com', level: 'owner' });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const owner = t.owner;
const above = [owner, co, erin];
const ownersToken = createApiToken(t.db, owner.id, 'owner script');

/** Everything that lets someone in as these people, as it stands. */
const ways = () =>
  t.db
    .prepare(
      `SELECT p.id, p.email, p.access_level, p.active,
              (SELECT password_hash FROM credentials WHERE person_id = p.id) AS password,
              (SELECT group_concat(id) FROM access_links WHERE person_id = p.id) AS links,
              (SELECT group_concat(id) FROM invitations WHERE person_id = p.id) AS invitations,
              (SELECT group_concat(id || ':' || coalesce(revoked_at, '-')) FROM api_tokens WHERE person_id = p.id) AS tokens,
              (SELECT count(*) FROM sessions WHERE person_id = p.id) AS sessions
         FROM people p WHERE p.id IN (?, ?, ?) ORDER BY p.id`,
    )
    .all(owner.id, co.id, erin.id);

let before: unknown;
let ownerSession: ReturnType<typeof browserSession>;
beforeAll(async () => {
  await givePassword(t.db, owner.id, 'the owner passphrase');
  await givePassword(t.db, eddie.id, 'eddies own passphrase');
  ownerSession = browserSession(t.db, owner.id);
  before = ways();
});

/** Eddie's script: a fresh token each time (changing his own password below ends the ones before). */
const api = () => request.agent(t.app).set({ Authorization: `Bearer ${createApiToken(t.db, eddie.id, 'eddie script').token}` });
/** Eddie at a browser, signed in with his password: forms with their CSRF token. */
function page() {
  const session = browserSession(t.db, eddie.id);
  return {
    post: (url: string, form: Record<string, string> = {}) =>
      request(t.app)
        .post(url)
        .set(session.headers)
        .set('Accept', 'text/html')
        .type('form')
        .send({ ...form, _csrf: session.csrf }),
    json: (method: 'post' | 'patch' | 'put', url: string, body: object = {}) =>
      request(t.app)[method](url).set(session.headers).set('X-CSRF-Token', session.csrf).send(body),
  };
}

describe('an editor trying to act as someone above them', () => {
  test.each(above.map((p) => [p.name, p] as const))('cannot make a personal link for %s, by API or page', async (_name, target) => {
    expect((await api().post(`/api/people/${target.id}/links`)).status).toBe(403);
    expect((await page().json('post', `/api/people/${target.id}/links`)).status).toBe(403);
    expect((await page().post(`/people/${target.id}/links`)).status).toBe(403);
  });

  test('cannot make a personal link for a member either: editors make them only for outsourcers', async () => {
    expect((await api().post(`/api/people/${mia.id}/links`)).status).toBe(403);
    expect((await page().post(`/people/${mia.id}/links`)).status).toBe(403);
  });

  test('cannot make a person with a link at a level they may not give links to', async () => {
    const res = await page().post('/people', { name: 'New Member', email: 'new-member@example.com', kind: 'team', access: 'link' });
    expect(res.status).toBe(403);
    expect(t.db.prepare("SELECT 1 FROM people WHERE email = 'new-member@example.com'").get()).toBeUndefined();
  });

  test.each(above.map((p) => [p.name, p] as const))(
    'cannot invite %s (an invitation sets their password), by API or page',
    async (_name, target) => {
      expect((await api().post(`/api/people/${target.id}/invitation`)).status).toBe(403);
      expect((await page().post(`/people/${target.id}/invitation`)).status).toBe(403);
    },
  );

  test('cannot reset the password of someone who has one, even a member', async () => {
    await givePassword(t.db, mia.id, 'mias own passphrase');
    const res = await api().post(`/api/people/${mia.id}/invitation`);
    expect([res.status, res.body.error.code]).toEqual([409, 'already-has-account']);
  });

  test("cannot make, list or revoke an API token of anyone else's: tokens are made for oneself only", async () => {
    const made = await page().json('post', '/api/me/tokens', { name: 'sneaky', person: owner.id, personId: owner.id });
    expect(made.status).toBe(201);
    expect(t.db.prepare('SELECT person_id FROM api_tokens WHERE id = ?').get(made.body.id)).toEqual({ person_id: eddie.id });
    // With a token, none at all; and the owner's token is not his to see or end.
    expect((await api().post('/api/me/tokens').send({ name: 'more' })).status).toBe(403);
    const listed = await api().get('/api/me/tokens');
    expect(listed.body.tokens.map((tk: { id: number }) => tk.id)).not.toContain(ownersToken.row.id);
    expect((await api().post(`/api/me/tokens/${ownersToken.row.id}/revoke`)).status).toBe(404);
    expect((await page().post(`/account/tokens/${ownersToken.row.id}/revoke`)).status).toBe(404);
  });

  test("cannot change someone's password through his own account page", async () => {
    const res = await page().post('/account/password', {
      currentPassword: 'eddies own passphrase',
      password: 'eddies new passphrase',
      person: String(owner.id),
      personId: String(owner.id),
    });
    expect([res.status, res.headers.location]).toEqual([303, '/account?done=password-changed']);
    // Only his own changed; put it back for the other tests.
    await givePassword(t.db, eddie.id, 'eddies own passphrase');
  });

  test.each(above.map((p) => [p.name, p] as const))(
    "cannot change %s's email address (to receive their invitation or reset), by API or page",
    async (_name, target) => {
      expect((await api().patch(`/api/people/${target.id}`).send({ email: 'eddie+owner@example.com' })).status).toBe(403);
      const form = { name: target.name, email: 'eddie+owner@example.com', kind: 'team', hourlyCost: '' };
      expect((await page().post(`/people/${target.id}/edit`, form)).status).toBe(403);
    },
  );

  test("cannot take an owner's email address for himself, nor for someone new", async () => {
    expect((await api().patch(`/api/people/${eddie.id}`).send({ email: owner.email })).status).toBe(403);
    expect((await api().post('/api/people').send({ name: 'Imposter', email: owner.email })).status).toBe(409);
  });

  test('cannot raise himself or anyone else to editor or owner', async () => {
    expect((await api().patch(`/api/people/${eddie.id}`).send({ level: 'owner' })).status).toBe(403);
    expect((await page().post(`/people/${eddie.id}/level`, { level: 'owner' })).status).toBe(403);
    expect((await api().patch(`/api/people/${mia.id}`).send({ level: 'editor' })).status).toBe(403);
    expect((await api().post('/api/people').send({ name: 'New Owner', email: 'new-owner@example.com', level: 'owner' })).status).toBe(403);
    expect((await api().post('/api/people').send({ name: 'New Editor', email: 'new-editor@example.com', level: 'editor' })).status).toBe(
      403,
    );
    const form = { name: 'New Owner', email: 'new-owner@example.com', kind: 'team', level: 'owner', access: 'invitation' };
    expect((await page().post('/people', form)).status).toBe(403);
  });

  test.each(above.map((p) => [p.name, p] as const))(
    'cannot sign %s out everywhere, choose their emails, or offboard them',
    async (_name, target) => {
      expect((await api().post(`/api/people/${target.id}/sign-out-everywhere`)).status).toBe(403);
      expect((await page().post(`/people/${target.id}/sign-out-everywhere`)).status).toBe(403);
      expect((await api().put(`/api/people/${target.id}/notifications`).send({ notify: 'digest' })).status).toBe(403);
      const offboard = await api().post(`/api/people/${target.id}/handoff`).send({ to: eddie.id, reason: 'take over', offboard: true });
      expect(offboard.status).toBe(403);
    },
  );

  test('a link made for an outsourcer does not become more by being the editor’s to make', async () => {
    const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
    const made = await api().post(`/api/people/${otto.id}/links`);
    expect(made.status).toBe(201);
    const opened = await request(t.app).get(new URL(made.body.url as string).pathname);
    const cookie = (opened.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rb_session='))!.split(';')[0]!;
    expect((await request(t.app).get('/api/me').set('Cookie', cookie)).body).toMatchObject({ id: otto.id, via: 'link' });
    expect((await request(t.app).get('/api/people').set('Cookie', cookie)).status).toBe(403);
  });

  test('left the owners and the other editor with exactly the ways in they had', async () => {
    expect(ways()).toEqual(before);
    // And the owner's own session and token still work.
    expect((await request(t.app).get('/api/me').set(ownerSession.headers)).body).toMatchObject({ id: owner.id });
    expect(
      (
        await request(t.app)
          .get('/api/me')
          .set({ Authorization: `Bearer ${ownersToken.token}` })
      ).status,
    ).toBe(200);
  });
});
