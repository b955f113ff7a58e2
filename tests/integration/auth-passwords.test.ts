import request from 'supertest';
import { setUserPassword } from '../../server/cli/accounts';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink, createInvitation } from '../../server/auth/links';
import { makeCalendarLink } from '../../server/auth/calendar-links';
import { testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { browserSession, csrfFrom, signInThroughPage } from './auth-helpers';

/**
 * A new password, wherever it is set (an invitation, the account page, the command line; the
 * set-up page for the first owner), goes through one function (server/auth/set-password.ts),
 * which ends everything else that acts as the person: their other sessions, their personal
 * link, open invitations and API tokens, in the same transaction, with its audit entry. And
 * "sign out everywhere" ends the lot, the asking session too.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));
const HTML = { Accept: 'text/html' };

/** Everything that acts as the person, made straight in the store, and a way to ask each who it is. */
function waysIn(personId: number) {
  const sessions = [browserSession(t.db, personId), browserSession(t.db, personId)];
  const link = createAccessLink(t.db, t.links, personId, t.owner.id);
  const linkSession = browserSession(t.db, personId, link.id);
  const token = createApiToken(t.db, personId, 'script').token;
  const invitation = createInvitation(t.db, personId, t.owner.id).token;
  const alive = async () => ({
    sessions: await Promise.all(sessions.map(async (s) => (await request(t.app).get('/api/me').set(s.headers)).status)),
    link: (await request(t.app).get('/api/me').set(linkSession.headers)).status,
    linkOpens: (await request(t.app).get(`/l/${link.token}`)).status,
    token: (await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status,
    invitation: (await request(t.app).get(`/invite/${invitation}`)).status,
  });
  return { sessions, alive };
}
const ALIVE = { sessions: [200, 200], link: 200, linkOpens: 303, token: 200, invitation: 200 };
const ENDED = { sessions: [401, 401], link: 401, linkOpens: 404, token: 401, invitation: 404 };
const lastAudit = (personId: number) =>
  t.db
    .prepare("SELECT actor_id, data FROM audit_log WHERE action = 'password.changed' AND subject_id = ? ORDER BY id DESC LIMIT 1")
    .get(personId) as { actor_id: number | null; data: string } | undefined;

describe('a new password ends every other way in as the person', () => {
  test('set through an invitation (an owner resetting it)', async () => {
    const vera = makePerson(t.db, { name: 'Vera Reset', email: 'vera@example.com' });
    await givePassword(t.db, vera.id, 'the old passphrase');
    const ways = waysIn(vera.id);
    expect(await ways.alive()).toEqual(ALIVE);
    const reset = await t.http().post(`/api/people/${vera.id}/invitation`).expect(201);
    const token = (reset.body.url as string).split('/invite/')[1] as string;
    const agent = request.agent(t.app);
    const form = await agent.get(`/invite/${token}`).expect(200);
    await agent
      .post(`/invite/${token}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), password: 'the new passphrase' })
      .expect(303);
    expect(await ways.alive()).toEqual({ ...ENDED, invitation: 404 });
    // The browser that set it is signed in.
    expect((await agent.get('/api/me')).body).toMatchObject({ id: vera.id, via: 'session' });
    // (Opening the link to check it made one more session: how many ended is not the point here.)
    expect(JSON.parse(lastAudit(vera.id)?.data as string)).toEqual({
      via: 'invitation',
      ended: { sessions: expect.any(Number), links: 1, tokens: 1 },
    });
  });

  test('set on the account page: this session stays, every other one ends', async () => {
    const sam = makePerson(t.db, { name: 'Sam Changer', email: 'sam@example.com' });
    await givePassword(t.db, sam.id, 'the old passphrase');
    const ways = waysIn(sam.id);
    const here = ways.sessions[0] as ReturnType<typeof browserSession>;
    const res = await request(t.app)
      .post('/account/password')
      .set(here.headers)
      .type('form')
      .send({ _csrf: here.csrf, currentPassword: 'the old passphrase', password: 'the new passphrase' });
    expect([res.status, res.headers.location]).toEqual([303, '/account?done=password-changed']);
    expect(await ways.alive()).toEqual({ ...ENDED, sessions: [200, 401] });
    const page = await request(t.app).get('/account?done=password-changed').set(here.headers).set(HTML);
    expect(page.text).toContain('Password changed. Your other sessions, personal links and API tokens have ended.');
    expect((await signInThroughPage(t.app, sam.email, 'the new passphrase')).res.status).toBe(303);
    expect(JSON.parse(lastAudit(sam.id)?.data as string)).toMatchObject({ via: 'account' });
    expect(lastAudit(sam.id)?.actor_id).toBe(sam.id);
  });

  test('set from the command line for an existing account', async () => {
    const cli = makePerson(t.db, { name: 'Cli Person', email: 'cli@example.com', level: 'member' });
    await givePassword(t.db, cli.id, 'the old passphrase');
    const ways = waysIn(cli.id);
    const said = await setUserPassword(t.db, ['--email', 'cli@example.com'], 'the new passphrase');
    expect(said).toBe('New password set for cli@example.com (their other sessions, personal links and API tokens have ended)');
    expect(await ways.alive()).toEqual(ENDED);
    expect(JSON.parse(lastAudit(cli.id)?.data as string)).toMatchObject({ via: 'cli' });
  });

  test('on the account page, a wrong current password changes nothing, beside its field, and counts as a failed sign-in', async () => {
    const pat = makePerson(t.db, { name: 'Pat Wrong', email: 'pat@example.com' });
    await givePassword(t.db, pat.id, 'the real passphrase');
    const hash = () => t.db.prepare('SELECT password_hash FROM credentials WHERE person_id = ?').pluck().get(pat.id);
    const before = hash();
    const ways = waysIn(pat.id);
    const here = ways.sessions[0] as ReturnType<typeof browserSession>;
    const res = await request(t.app)
      .post('/account/password')
      .set(here.headers)
      .set(HTML)
      .type('form')
      .send({ _csrf: here.csrf, currentPassword: 'a guess', password: 'a new passphrase' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<p class="error" id="f-currentPassword-error">That is not your current password.</p>');
    expect(res.text).not.toContain('a guess');
    expect(hash()).toBe(before);
    expect(await ways.alive()).toEqual(ALIVE);
    expect(t.db.prepare('SELECT count(*) AS n FROM sign_in_failures WHERE email = ?').get(pat.email)).toEqual({ n: 1 });
  });

  test('on the account page, a weak new password is refused beside its field', async () => {
    const kim = makePerson(t.db, { name: 'Kim Weak', email: 'kim@example.com' });
    await givePassword(t.db, kim.id, 'the real passphrase');
    const here = browserSession(t.db, kim.id);
    const res = await request(t.app)
      .post('/account/password')
      .set(here.headers)
      .set(HTML)
      .type('form')
      .send({ _csrf: here.csrf, currentPassword: 'the real passphrase', password: 'password' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="f-password-error">Password is one of the most common passwords; choose another.</p>');
  });

  test('is only for a browser signed in with the password: a token or a personal link may not change it', async () => {
    const lee = makePerson(t.db, { name: 'Lee Limited', email: 'lee@example.com' });
    await givePassword(t.db, lee.id, 'the real passphrase');
    const body = { currentPassword: 'the real passphrase', password: 'a taken-over passphrase' };
    const byToken = await request(t.app).post('/account/password').set(t.as(lee)).type('form').send(body);
    expect(byToken.status).toBe(403);
    const link = browserSession(t.db, lee.id, createAccessLink(t.db, t.links, lee.id, t.owner.id).id);
    const byLink = await request(t.app)
      .post('/account/password')
      .set(link.headers)
      .type('form')
      .send({ ...body, _csrf: link.csrf });
    expect(byLink.status).toBe(403);
    expect((await signInThroughPage(t.app, lee.email, 'the real passphrase')).res.status).toBe(303);
  });
});

describe('signing out everywhere', () => {
  test("from the person's own page ends all their sessions (this one too), their link, invitation and tokens", async () => {
    const ada = makePerson(t.db, { name: 'Ada Everywhere', email: 'ada@example.com' });
    const ways = waysIn(ada.id);
    const calendar = makeCalendarLink(t.db, ada.id, { actorId: ada.id, address: null }).secret;
    const here = ways.sessions[0] as ReturnType<typeof browserSession>;
    const page = await request(t.app).get(`/people/${ada.id}`).set(here.headers).set(HTML);
    expect(page.text).toContain(`action="/people/${ada.id}/sign-out-everywhere"`);
    const res = await request(t.app)
      .post(`/people/${ada.id}/sign-out-everywhere`)
      .set(here.headers)
      .type('form')
      .send({ _csrf: here.csrf });
    expect([res.status, res.headers.location]).toEqual([303, '/sign-in']);
    expect(await ways.alive()).toEqual(ENDED);
    const entry = t.db
      .prepare("SELECT actor_id, data FROM audit_log WHERE action = 'signed-out-everywhere' AND subject_id = ?")
      .get(ada.id) as {
      actor_id: number;
      data: string;
    };
    expect(entry.actor_id).toBe(ada.id);
    expect(JSON.parse(entry.data)).toEqual({ sessions: 3, links: 1, tokens: 1, calendar: 1 });
    // The calendar address on a lost phone stops too.
    expect((await request(t.app).get(`/calendar/${calendar}.ics`)).status).toBe(404);
  });

  test('through the API with a token, ending that token too', async () => {
    const bo = makePerson(t.db, { name: 'Bo Api', email: 'bo@example.com' });
    const ways = waysIn(bo.id);
    const token = createApiToken(t.db, bo.id, 'the asking script').token;
    const res = await request(t.app).post(`/api/people/${bo.id}/sign-out-everywhere`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ person: { id: bo.id, name: 'Bo Api' }, ended: { sessions: 3, links: 1, tokens: 2, calendar: 0 } });
    expect(await ways.alive()).toEqual(ENDED);
    expect((await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  test('an owner may sign someone else out everywhere; an editor may not, nor a personal link', async () => {
    const cy = makePerson(t.db, { name: 'Cy Other', email: 'cy@example.com' });
    const editor = makePerson(t.db, { name: 'Ed Itor', level: 'editor' });
    expect((await t.asPerson(editor).post(`/api/people/${cy.id}/sign-out-everywhere`)).status).toBe(403);
    const link = browserSession(t.db, cy.id, createAccessLink(t.db, t.links, cy.id, t.owner.id).id);
    const byLink = await request(t.app)
      .post(`/people/${cy.id}/sign-out-everywhere`)
      .set(link.headers)
      .type('form')
      .send({ _csrf: link.csrf });
    expect(byLink.status).toBe(403);
    const ways = waysIn(cy.id);
    expect((await t.http().post(`/api/people/${cy.id}/sign-out-everywhere`)).status).toBe(200);
    expect(await ways.alive()).toEqual(ENDED);
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE person_id = ? AND revoked_at IS NULL').get(cy.id)).toEqual({ n: 0 });
  });
});
