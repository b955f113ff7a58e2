import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson, makeRole } from '../helpers/factories';
import { cookieHeader, csrfFrom, escapeHtml, signInThroughPage } from './auth-helpers';

/**
 * The team pages as a browser uses them: a signed-in session, plain forms carrying the CSRF
 * token, redirects after each change; forged posts refused; hostile names shown as text.
 */

const PASSWORD = 'a long walk by the river';
const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const SCRIPT_NAME = '<script>alert("person")</script>';
const IMG_ROLE = '<img src=x onerror=alert(1)>';
const hostile = makePerson(t.db, { name: SCRIPT_NAME, email: 'hostile@example.com', level: 'member' });
const hostileRole = makeRole(t.db, IMG_ROLE, [hostile]);

let browser: ReturnType<typeof request.agent>;
beforeAll(async () => {
  await givePassword(t.db, editor.id, PASSWORD);
  const { res, cookie } = await signInThroughPage(t.app, editor.email, PASSWORD);
  expect(res.status).toBe(303);
  browser = request
    .agent(t.app)
    .set('Cookie', cookieHeader(cookie as string))
    .set('Accept', 'text/html');
});

const count = (where: string) => (t.db.prepare(`SELECT count(*) AS n FROM people WHERE ${where}`).get() as { n: number }).n;

describe('forms in a signed-in browser', () => {
  test('add a person with the token from the page, then see them after the redirect', async () => {
    const page = await browser.get('/people');
    const res = await browser
      .post('/people')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Fran Form',
        email: 'fran@example.com',
        kind: 'team',
        level: 'member',
        access: 'none',
      });
    expect(res.status).toBe(303);
    const person = await browser.get(res.headers.location as string);
    expect(person.status).toBe(200);
    expect(person.text).toContain('<h1>Fran Form</h1>');
    expect(person.text).toContain('<p class="notice" role="status">Added.</p>');
  });

  test('re-render a refused form with a working token, so that correcting it goes through', async () => {
    const page = await browser.get('/people');
    const refused = await browser
      .post('/people')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Gus', email: 'nope', access: 'none' });
    expect(refused.status).toBe(400);
    const again = await browser
      .post('/people')
      .type('form')
      .send({ _csrf: csrfFrom(refused.text), name: 'Gus', email: 'gus@example.com', access: 'none' });
    expect(again.status).toBe(303);
  });

  test.each([
    ['/people', { name: 'Forged', email: 'forged@example.com', access: 'none' }],
    ['/roles', { roleName: 'Forged role' }],
  ])('refuse a post to %s without the CSRF token with 403, changing nothing', async (path, body) => {
    const peopleBefore = count('1');
    const res = await browser.post(path).type('form').send(body);
    expect(res.status).toBe(403);
    expect(res.text).toContain('did not come from this site');
    expect(count('1')).toBe(peopleBefore);
    expect(t.db.prepare("SELECT count(*) AS n FROM roles WHERE name = 'Forged role'").get()).toEqual({ n: 0 });
  });

  test('refuse a forged role change and a forged personal link', async () => {
    const role = makeRole(t.db, 'Guarded', [editor, hostile]);
    expect((await browser.post(`/roles/${role.id}/members/${hostile.id}/remove`).type('form').send({})).status).toBe(403);
    expect((await browser.post(`/people/${hostile.id}/links`).type('form').send({ _csrf: 'wrong' })).status).toBe(403);
    expect(t.db.prepare('SELECT count(*) AS n FROM role_members WHERE role_id = ?').get(role.id)).toEqual({ n: 2 });
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links').get()).toEqual({ n: 0 });
  });
});

describe('names with markup', () => {
  test.each([
    ['the directory', () => '/people'],
    ["the person's page", () => `/people/${hostile.id}`],
    ["the role's page", () => `/roles/${hostileRole.id}`],
  ])('are shown as text on %s', async (_name, path) => {
    const res = await browser.get(path());
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(SCRIPT_NAME);
    expect(res.text).not.toContain(IMG_ROLE);
    expect(res.text).not.toMatch(/<img|onerror=|<script>alert/);
    expect(res.text).toContain(escapeHtml(path() === `/roles/${hostileRole.id}` ? IMG_ROLE : SCRIPT_NAME));
  });

  test('typed into a form that is refused are given back as text', async () => {
    const page = await browser.get('/people');
    const res = await browser
      .post('/people')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: '"><script>x()</script>', email: 'bad' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>x()');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
  });
});
