import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';
import { createAccessLink } from '../../server/auth/links';

/** An outsourcer reaches their own page from the navigation: absences and how often they get email. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera VA', level: 'outsourcer' });
const html = { Accept: 'text/html' };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('the navigation of an outsourcer links to their own page, with the absence and email forms on it', async () => {
  const work = await t.asPerson(vera).get('/my-work').set(html);
  expect(work.text).toContain(`<a href="/people/${vera.id}">My page</a>`);
  const page = await t.asPerson(vera).get(`/people/${vera.id}`).set(html);
  expect(page.status).toBe(200);
  expect(page.text).toContain(`action="/people/${vera.id}/away"`);
  expect(page.text).toContain('One email a day (a digest)');
});

test('an outsourcer plans their own absence and chooses a daily digest', async () => {
  const away = await t
    .asPerson(vera)
    .post(`/people/${vera.id}/away`)
    .set(html)
    .type('form')
    .send({ awayFrom: day(10), awayTo: day(12) });
  expect(away.status).toBe(303);
  expect(t.db.prepare('SELECT starts_on, ends_on FROM away_periods WHERE person_id = ?').get(vera.id)).toEqual({
    starts_on: day(10),
    ends_on: day(12),
  });
  const email = await t.asPerson(vera).post(`/people/${vera.id}/notifications`).set(html).type('form').send({ notify: 'digest' });
  expect(email.status).toBe(303);
  expect(t.db.prepare('SELECT notify FROM people WHERE id = ?').get(vera.id)).toEqual({ notify: 'digest' });
});

test('through their personal link too, and still not for anyone else', async () => {
  const { token } = createAccessLink(t.db, t.links, vera.id, t.owner.id);
  const agent = t.anonymous();
  const opened = await agent.get(`/l/${token}`);
  const cookie = ([opened.headers['set-cookie']].flat() as string[]).map((c) => c.split(';')[0]).join('; ');
  const work = await t.anonymous().get('/my-work').set(html).set('Cookie', cookie);
  expect(work.text).toContain(`<a href="/people/${vera.id}">My page</a>`);
  expect((await t.anonymous().get(`/people/${vera.id}`).set(html).set('Cookie', cookie)).status).toBe(200);
  const other = makePerson(t.db, { name: 'Bo Member' });
  expect(
    (
      await t
        .asPerson(vera)
        .post(`/api/people/${other.id}/away`)
        .send({ from: day(3), to: day(4) })
    ).status,
  ).toBe(404);
});
