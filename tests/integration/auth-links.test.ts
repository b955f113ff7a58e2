import request from 'supertest';
import { BASE_URL, testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { hashSecret } from '../../server/auth/secrets';
import { INVITATION_MS } from '../../server/auth/links';
import { startRun } from '../../server/runs/start';
import { createApiToken } from '../../server/auth/tokens';
import {
  browserSession,
  cookieHeader,
  csrfFrom,
  everythingStored,
  sessionCookieValue,
  signInThroughPage,
  visitorForm,
} from './auth-helpers';

/**
 * Invitations, outsourcers' personal links, API tokens, deactivation, the last owner, and the
 * audit log that records all of them. Every secret handed out here is collected, to check at
 * the end that none of them was ever stored or logged as text.
 */

const t = testApp();
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const eddie = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
makePerson(t.db, { name: 'Bella Bravo', email: 'bella@example.com', level: 'outsourcer' });
const dora = makePerson(t.db, { name: 'Dora Departing', email: 'dora@example.com', level: 'outsourcer' });
makeRunbook(
  t.db,
  'ops',
  runbookMarkdown('Ops', [
    { title: 'Otto step', owner: 'Otto Outsourcer', body: 'Otto instructions.', checks: ['Otto check'] },
    { title: 'Bella step', owner: 'Bella Bravo', body: 'Bella instructions kilo.', checks: ['Bella check'] },
    { title: 'Mia step', owner: 'Mia Member' },
    { title: 'Dora step', owner: 'Dora Departing' },
  ]),
);
const run = startRun(t.db, { runbook: 'ops', title: 'Ops run', startedBy: t.owner.id });

/** Every secret handed out in this file. */
const secrets: string[] = [];
const keep = (secret: string) => {
  secrets.push(secret);
  return secret;
};
const HTML = { Accept: 'text/html' };
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function invite(target: PersonRow, as: PersonRow = t.owner) {
  const res = await t.asPerson(as).post(`/api/people/${target.id}/invitation`);
  expect(res.status).toBe(201);
  return keep((res.body.url as string).split('/invite/')[1] as string);
}

async function linkFor(target: PersonRow, as: PersonRow = t.owner) {
  const res = await t.asPerson(as).post(`/api/people/${target.id}/links`);
  expect(res.status).toBe(201);
  return {
    id: res.body.id as number,
    token: keep((res.body.url as string).split('/l/')[1] as string),
    expiresAt: res.body.expiresAt as string,
  };
}

/** Opens a personal link as a fresh browser: its cookie and the CSRF token of its pages. */
async function openLink(token: string) {
  const res = await request(t.app).get(`/l/${token}`);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/my-work');
  const cookie = sessionCookieValue(res) as string;
  const page = await request(t.app).get('/my-work').set('Cookie', cookieHeader(cookie));
  expect(page.status).toBe(200);
  return { cookie, headers: { Cookie: cookieHeader(cookie) }, csrf: csrfFrom(page.text), page };
}

async function acceptInvitation(token: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get(`/invite/${token}`);
  expect(page.status).toBe(200);
  const res = await agent
    .post(`/invite/${token}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), password });
  return { agent, res };
}

describe('invitations', () => {
  test('an owner invites: the answer holds a link valid for 7 days, and only its hash is stored', async () => {
    const ivy = makePerson(t.db, { name: 'Ivy Invitee', email: 'ivy@example.com' });
    const res = await t.http().post(`/api/people/${ivy.id}/invitation`);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      url: expect.stringMatching(new RegExp(`^${BASE_URL}/invite/[\\w-]{40,}$`)),
      expiresInDays: 7,
      emailedTo: 'ivy@example.com',
    });
    const token = keep(res.body.url.split('/invite/')[1]);
    const row = t.db.prepare('SELECT token_hash, created_at, expires_at, created_by FROM invitations WHERE person_id = ?').get(ivy.id) as {
      token_hash: string;
      created_at: string;
      expires_at: string;
      created_by: number;
    };
    expect(row.token_hash).toBe(hashSecret(token));
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(INVITATION_MS);
    expect(INVITATION_MS).toBe(7 * 24 * 3600_000);
    expect(row.created_by).toBe(t.owner.id);
    expect(everythingStored(t.db)).not.toContain(token);
  });

  test('an editor invites a member and an outsourcer', async () => {
    const member = makePerson(t.db, { level: 'member' });
    const outsourcer = makePerson(t.db, { level: 'outsourcer' });
    await invite(member, eddie);
    await invite(outsourcer, eddie);
  });

  test.each([
    ['an editor', 'editor'],
    ['an owner', 'owner'],
  ] as const)('an editor cannot invite %s: 403, and no invitation is made', async (_name, level) => {
    const target = makePerson(t.db, { level });
    const res = await t.asPerson(eddie).post(`/api/people/${target.id}/invitation`);
    expect(res.status).toBe(403);
    expect(t.db.prepare('SELECT count(*) AS n FROM invitations WHERE person_id = ?').get(target.id)).toEqual({ n: 0 });
    // Leaves Olive the only owner, for the last-owner tests below.
    t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(target.id);
  });

  test('an editor cannot make an editor or an owner to invite later: 403', async () => {
    for (const level of ['editor', 'owner']) {
      const res = await t
        .asPerson(eddie)
        .post('/api/people')
        .send({ name: `New ${level}`, email: `new-${level}@example.com`, level });
      expect(res.status).toBe(403);
    }
  });

  test('members cannot invite anyone (403); to outsourcers, other people are not there (404)', async () => {
    const target = makePerson(t.db, { level: 'member' });
    expect((await t.asPerson(mia).post(`/api/people/${target.id}/invitation`)).status).toBe(403);
    expect((await t.asPerson(otto).post(`/api/people/${target.id}/invitation`)).status).toBe(404);
  });

  test('the link sets a password once and signs the person in; used, it is refused', async () => {
    const newbie = makePerson(t.db, { name: 'Nina Newbie', email: 'nina@example.com' });
    const token = await invite(newbie);
    const { agent, res } = await acceptInvitation(token, 'my own good passphrase');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await agent.get('/api/me')).body).toMatchObject({ id: newbie.id, via: 'session' });

    const again = await request(t.app).get(`/invite/${token}`).set(HTML);
    expect(again.status).toBe(404);
    expect(again.text).toContain('already used');
    const visitor = await visitorForm(t.app);
    const post = await request(t.app)
      .post(`/invite/${token}`)
      .set(visitor.headers)
      .type('form')
      .send({ _csrf: visitor.csrf, password: 'someone elses passphrase' });
    expect(post.status).toBe(404);
    expect((await signInThroughPage(t.app, newbie.email, 'someone elses passphrase')).res.status).toBe(401);
    expect((await signInThroughPage(t.app, newbie.email, 'my own good passphrase')).res.status).toBe(303);
  });

  test('an invitation older than 7 days is refused', async () => {
    const late = makePerson(t.db, { name: 'Larry Late' });
    const token = await invite(late);
    t.db.prepare('UPDATE invitations SET expires_at = ? WHERE token_hash = ?').run(ago(1000), hashSecret(token));
    const res = await request(t.app).get(`/invite/${token}`).set(HTML);
    expect(res.status).toBe(404);
    expect(res.text).toContain('has expired');
    const visitor = await visitorForm(t.app);
    expect(
      (
        await request(t.app)
          .post(`/invite/${token}`)
          .set(visitor.headers)
          .type('form')
          .send({ _csrf: visitor.csrf, password: 'a fine passphrase' })
      ).status,
    ).toBe(404);
    expect(t.db.prepare('SELECT count(*) AS n FROM credentials WHERE person_id = ?').get(late.id)).toEqual({ n: 0 });
  });

  test('a newer invitation replaces the earlier one', async () => {
    const twice = makePerson(t.db, { name: 'Tess Twice' });
    const first = await invite(twice);
    const second = await invite(twice);
    expect((await request(t.app).get(`/invite/${first}`)).status).toBe(404);
    expect((await request(t.app).get(`/invite/${second}`)).status).toBe(200);
  });

  test('an invitation of someone deactivated is refused, and none can be made for them', async () => {
    const leaver = makePerson(t.db, { name: 'Leo Leaver' });
    const token = await invite(leaver);
    expect((await t.http().patch(`/api/people/${leaver.id}`).send({ active: false })).status).toBe(200);
    expect((await request(t.app).get(`/invite/${token}`)).status).toBe(404);
    const res = await t.http().post(`/api/people/${leaver.id}/invitation`);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 422, code: 'inactive-person' });
  });
});

describe("outsourcers' personal links (more in auth-personal-links.test.ts)", () => {
  test('an editor makes one for an outsourcer; it opens My work with their step, and revoking it ends its session', async () => {
    const link = await linkFor(otto, eddie);
    expect(t.db.prepare('SELECT token_hash FROM access_links WHERE id = ?').get(link.id)).toEqual({ token_hash: hashSecret(link.token) });
    const { page, headers } = await openLink(link.token);
    expect(page.text).toContain('Otto step');
    expect(page.text).not.toContain('Bella step');
    expect((await t.asPerson(eddie).post(`/api/people/${otto.id}/links/${link.id}/revoke`)).body).toEqual({ id: link.id, revoked: true });
    expect((await request(t.app).get('/api/me').set(headers)).status).toBe(401);
  });
});

describe('API tokens', () => {
  test('are shown once when made through the API, listed without the secret, and stored only as a hash', async () => {
    const browser = browserSession(t.db, mia.id);
    const res = await request(t.app).post('/api/me/tokens').set(browser.headers).set('X-CSRF-Token', browser.csrf).send({ name: 'Zapier' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Zapier',
      token: expect.stringMatching(/^rbk_[\w-]{40,}$/),
      note: expect.stringContaining('only once'),
    });
    const token = keep(res.body.token);
    const list = await t.asPerson(mia).get('/api/me/tokens');
    expect(list.body.tokens.find((x: { id: number }) => x.id === res.body.id)).toEqual({
      id: res.body.id,
      name: 'Zapier',
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(list.text).not.toContain(token);
    expect(t.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').get(res.body.id)).toEqual({ token_hash: hashSecret(token) });
    expect(everythingStored(t.db)).not.toContain(token);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).body).toMatchObject({ id: mia.id, via: 'token' });
  });

  test('are shown once on the account page, not cached, and not shown again', async () => {
    const session = browserSession(t.db, mia.id);
    const res = await request(t.app)
      .post('/account/tokens')
      .set(session.headers)
      .type('form')
      .send({ _csrf: session.csrf, name: 'Spreadsheet' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const token = keep(/rbk_[\w-]+/.exec(res.text)?.[0] as string);
    expect(token).toMatch(/^rbk_[\w-]{40,}$/);
    expect(res.text).toContain('it will not be shown again');
    const later = await request(t.app).get('/account').set(session.headers);
    expect(later.text).toContain('Spreadsheet');
    expect(later.text).not.toMatch(/rbk_/);
    expect(everythingStored(t.db)).not.toContain(token);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  test('a revoked token gets 401 at once, whether revoked through the API or the account page', async () => {
    // Tokens are made at a browser; here they come straight from the store.
    const made = (name: string) => {
      const { token, row } = createApiToken(t.db, mia.id, name);
      return { body: { id: row.id, token } };
    };
    const viaApi = made('to revoke by API');
    const viaPage = made('to revoke by page');
    keep(viaApi.body.token);
    keep(viaPage.body.token);
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

    expect((await request(t.app).post(`/api/me/tokens/${viaApi.body.id}/revoke`).set(bearer(viaApi.body.token))).body).toEqual({
      id: viaApi.body.id,
      revoked: true,
    });
    const res = await request(t.app).get('/api/me').set(bearer(viaApi.body.token));
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 401, code: 'invalid-token' });

    const session = browserSession(t.db, mia.id);
    const page = await request(t.app)
      .post(`/account/tokens/${viaPage.body.id}/revoke`)
      .set(session.headers)
      .type('form')
      .send({ _csrf: session.csrf });
    expect([page.status, page.headers.location]).toEqual([303, '/account']);
    expect((await request(t.app).get('/api/runs').set(bearer(viaPage.body.token))).status).toBe(401);
    expect((await t.asPerson(mia).post(`/api/me/tokens/${viaPage.body.id}/revoke`)).status).toBe(404);
  });

  test('a malformed Authorization header gets 401 and no access', async () => {
    for (const value of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer rbk_not-a-real-token', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await request(t.app).get('/api/me').set('Authorization', value);
      expect({ value: value.slice(0, 30), status: res.status }).toEqual({ value: value.slice(0, 30), status: 401 });
    }
  });
});

describe('deactivating a person', () => {
  test('ends their sessions, API tokens and links at once; their open steps show as gaps', async () => {
    const link = await linkFor(dora);
    const linkSession = await openLink(link.token);
    const passwordSession = browserSession(t.db, dora.id);
    const token = keep(createApiToken(t.db, dora.id, 'Dora script').token);
    const bearer = { Authorization: `Bearer ${token}` };
    for (const headers of [linkSession.headers, passwordSession.headers, bearer]) {
      expect((await request(t.app).get('/api/me').set(headers)).status).toBe(200);
    }
    expect((await t.http().get('/api/gaps')).body.unassignedRunSteps).toEqual([]);

    expect((await t.asPerson(eddie).patch(`/api/people/${dora.id}`).send({ active: false })).status).toBe(403);
    const res = await t.http().patch(`/api/people/${dora.id}`).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);

    for (const headers of [linkSession.headers, passwordSession.headers, bearer]) {
      expect((await request(t.app).get('/api/me').set(headers)).status).toBe(401);
    }
    expect((await request(t.app).get(`/l/${link.token}`)).status).toBe(404);
    expect(t.db.prepare('SELECT count(*) AS n FROM sessions WHERE person_id = ?').get(dora.id)).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM api_tokens WHERE person_id = ? AND revoked_at IS NULL').get(dora.id)).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE person_id = ? AND revoked_at IS NULL').get(dora.id)).toEqual({
      n: 0,
    });

    const gaps = await t.http().get('/api/gaps');
    expect(gaps.body.unassignedRunSteps).toEqual([
      { run, runTitle: 'Ops run', position: 4, title: 'Dora step', owner: 'Dora Departing', dueAt: null },
    ]);
  });

  test('reactivating them does not bring back their tokens or links', async () => {
    const res = await t.http().patch(`/api/people/${dora.id}`).send({ active: true });
    expect(res.status).toBe(200);
    expect(t.db.prepare('SELECT count(*) AS n FROM api_tokens WHERE person_id = ? AND revoked_at IS NULL').get(dora.id)).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE person_id = ? AND revoked_at IS NULL').get(dora.id)).toEqual({
      n: 0,
    });
  });
});

describe('the last owner', () => {
  test('cannot be demoted or deactivated: 409 last-owner, and they stay owner', async () => {
    expect(t.db.prepare("SELECT id FROM people WHERE access_level = 'owner' AND active = 1").all()).toEqual([{ id: t.owner.id }]);
    for (const body of [{ level: 'editor' }, { level: 'member' }, { level: 'outsourcer' }, { active: false }]) {
      const res = await t.http().patch(`/api/people/${t.owner.id}`).send(body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 409, code: 'last-owner' });
    }
    expect(t.db.prepare('SELECT access_level, active FROM people WHERE id = ?').get(t.owner.id)).toEqual({
      access_level: 'owner',
      active: 1,
    });
  });

  test('an inactive owner does not count as another owner', async () => {
    const co = makePerson(t.db, { name: 'Cora Coowner', level: 'owner' });
    expect((await t.http().patch(`/api/people/${co.id}`).send({ active: false })).status).toBe(200);
    expect((await t.http().patch(`/api/people/${t.owner.id}`).send({ level: 'member' })).status).toBe(409);
  });

  test('with another active owner, an owner can be demoted', async () => {
    const co = makePerson(t.db, { name: 'Carl Coowner', email: 'carl@example.com', level: 'member' });
    expect((await t.http().patch(`/api/people/${co.id}`).send({ level: 'owner' })).body.level).toBe('owner');
    expect((await t.http().patch(`/api/people/${co.id}`).send({ level: 'editor' })).body.level).toBe('editor');
    expect((await t.http().patch(`/api/people/${co.id}`).send({ level: 'owner' })).status).toBe(200);
    expect((await t.http().patch(`/api/people/${co.id}`).send({ active: false })).status).toBe(200);
  });
});

describe('the audit log', () => {
  test('records every invitation, link, token, level and activation change, with who did it and to whom', async () => {
    const res = await t.http().get('/api/audit');
    expect(res.status).toBe(200);
    const entries = res.body.entries as { action: string; actor: { name: string } | null; subject: { name: string } | null }[];
    const seen = (action: string, actor: string, subject: string) =>
      entries.some((e) => e.action === action && e.actor?.name === actor && e.subject?.name === subject);
    expect({
      invitationCreated: seen('invitation.created', 'Olive Owner', 'Nina Newbie'),
      invitationAccepted: seen('invitation.accepted', 'Nina Newbie', 'Nina Newbie'),
      linkCreated: seen('link.created', 'Eddie Editor', 'Otto Outsourcer'),
      linkOpened: seen('link.opened', 'Otto Outsourcer', 'Otto Outsourcer'),
      linkRevoked: seen('link.revoked', 'Eddie Editor', 'Otto Outsourcer'),
      tokenCreated: seen('token.created', 'Mia Member', 'Mia Member'),
      tokenRevoked: seen('token.revoked', 'Mia Member', 'Mia Member'),
      deactivated: seen('person.deactivated', 'Olive Owner', 'Dora Departing'),
      reactivated: seen('person.reactivated', 'Olive Owner', 'Dora Departing'),
      levelChanged: seen('level.changed', 'Olive Owner', 'Carl Coowner'),
      signInOk: seen('sign-in.ok', 'Nina Newbie', 'Nina Newbie'),
    }).toEqual({
      invitationCreated: true,
      invitationAccepted: true,
      linkCreated: true,
      linkOpened: true,
      linkRevoked: true,
      tokenCreated: true,
      tokenRevoked: true,
      deactivated: true,
      reactivated: true,
      levelChanged: true,
      signInOk: true,
    });
  });

  test('is for owners only, through the API and the page', async () => {
    for (const who of [eddie, mia, otto]) {
      const res = await t.asPerson(who).get('/api/audit');
      expect({ who: who.name, status: res.status }).toEqual({ who: who.name, status: 403 });
      expect((await t.asPerson(who).get('/audit').set(HTML)).status).toBe(403);
    }
    const page = await t.http().get('/audit').set(HTML);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<td>Deactivated</td>');
    expect(page.text).toContain('Dora Departing');
  });

  test('holds no secret: no token, link or invitation handed out in this file is stored as text anywhere', () => {
    expect(secrets.length).toBeGreaterThan(10);
    const stored = everythingStored(t.db);
    expect(secrets.filter((secret) => stored.includes(secret))).toEqual([]);
  });
});
