import request from 'supertest';
import { createApp } from '../../server/app';
import { sendPending, type Mailer } from '../../server/notify/mailer';
import { startRun } from '../../server/runs/start';
import { BASE_URL, testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { pdfText } from '../helpers/pdf';
import { browserSession } from './auth-helpers';

/**
 * Links the app makes (invitations, personal links, the outbox, QR codes on paper, emails) are
 * built from the site's address (PUBLIC_URL, else the address it listens on), never from the
 * request: a request with a forged Host or X-Forwarded-Host must not get a secret link that
 * points at another site. Every route that makes a link, or a message that will be emailed,
 * is sent here with forged headers, to an app that trusts a proxy (so X-Forwarded-* would be
 * believed if anything read them).
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const app = createApp({
  db: t.db,
  config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL, key: t.key, trustProxy: true },
  log: (e) => t.errors.push(e),
});
const FORGED = {
  Host: 'evil.example',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'http',
  Forwarded: 'host=evil.example;proto=http',
};
const EVIL = /evil\.example/;

const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
makeRunbook(
  t.db,
  'ship',
  runbookMarkdown('Ship an order', [
    { title: 'Pack', owner: 'Mia Member' },
    { title: 'Label', owner: 'Otto Outsourcer' },
  ]),
);
const run = startRun(t.db, { runbook: 'ship', title: 'Order #1', startedBy: t.owner.id });

/** The owner as a script (token) and at a browser (session, with its CSRF token on forms). */
const script = () => request(app);
const asOwner = t.as(t.owner);
function form(url: string, body: Record<string, string> = {}) {
  const session = browserSession(t.db, t.owner.id);
  return request(app)
    .post(url)
    .set(FORGED)
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...body, _csrf: session.csrf });
}
const page = (url: string, who = t.owner.id) =>
  request(app).get(url).set(FORGED).set(browserSession(t.db, who).headers).set('Accept', 'text/html');

/** Every link in a text: all must start with the site's address. */
const links = (text: string) =>
  [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org'));
function expectOnlySiteLinks(text: string, atLeast = 1) {
  expect(text).not.toMatch(EVIL);
  const found = links(text).filter((u) => /\/(invite|l|runs|people|my-work)\//.test(u) || /\/(my-work)$/.test(u));
  expect(found.length).toBeGreaterThanOrEqual(atLeast);
  for (const url of found) expect(url.startsWith(`${BASE_URL}/`)).toBe(true);
}

describe('with a forged Host and X-Forwarded-Host, every link an answer holds is the site’s', () => {
  test('POST /api/people/:id/invitation', async () => {
    const newbie = makePerson(t.db, { name: 'New One', email: 'new-one@example.com' });
    const res = await script().post(`/api/people/${newbie.id}/invitation`).set(FORGED).set(asOwner).expect(201);
    expect(res.body.url).toMatch(new RegExp(`^${BASE_URL}/invite/`));
    expectOnlySiteLinks(JSON.stringify(res.body));
  });

  test('POST /api/people/:id/links', async () => {
    const res = await script().post(`/api/people/${otto.id}/links`).set(FORGED).set(asOwner).expect(201);
    expect(res.body.url).toMatch(new RegExp(`^${BASE_URL}/l/`));
  });

  test('POST /people (adding someone with an invitation, and with a personal link)', async () => {
    // The form redirects; the page it redirects to shows the new link once (a cookie carries it).
    const shown = async (res: request.Response) => {
      expect(res.status).toBe(303);
      const flash = ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('flash='))?.split(';')[0];
      const session = browserSession(t.db, t.owner.id);
      const next = await request(app)
        .get(res.headers.location as string)
        .set(FORGED)
        .set({ ...session.headers, Cookie: `${session.headers.Cookie}; ${flash}` })
        .set('Accept', 'text/html');
      expect(next.text).toMatch(/\/(invite|l)\//);
      return next.text;
    };
    expectOnlySiteLinks(
      await shown(await form('/people', { name: 'Inv Ited', email: 'invited@example.com', kind: 'team', access: 'invitation' })),
    );
    expectOnlySiteLinks(
      await shown(await form('/people', { name: 'Lin Ked', email: 'linked@example.com', kind: 'outsourcer', access: 'link' })),
    );
  });

  test('POST /people/:id/invitation and POST /people/:id/links', async () => {
    const newbie = makePerson(t.db, { name: 'Page Newbie', email: 'page-newbie@example.com' });
    expectOnlySiteLinks((await form(`/people/${newbie.id}/invitation`).expect(201)).text);
    expectOnlySiteLinks((await form(`/people/${otto.id}/links`).expect(201)).text);
  });

  test('the printed run, assignment sheets and work packets, as pages and PDFs (their QR codes and addresses)', async () => {
    for (const url of [`/runs/${run}/print`, `/people/${mia.id}/sheet`, '/my-work/sheet']) {
      const who = url === '/my-work/sheet' ? mia.id : t.owner.id;
      expectOnlySiteLinks((await page(url, who).expect(200)).text);
      const pdf = await page(`${url}.pdf`, who)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expectOnlySiteLinks(pdfText(pdf.body as Buffer));
    }
    for (const url of [`/people/${mia.id}/packet`, '/my-work/packet']) {
      const res = await page(url, url === '/my-work/packet' ? mia.id : t.owner.id).expect(200);
      expect(res.text).not.toMatch(EVIL);
    }
  });

  test('the outbox, API and page', async () => {
    const api = await script().get('/api/outbox').set(FORGED).set(asOwner).expect(200);
    expectOnlySiteLinks(JSON.stringify(api.body));
    expectOnlySiteLinks((await page('/outbox').expect(200)).text);
  });
});

describe('with a forged Host and X-Forwarded-Host, every email a request causes links to the site', () => {
  test('starting runs, handing steps on and handing off, through the API and the pages', async () => {
    t.db.prepare("UPDATE notifications SET status = 'sent'").run();
    const started = await script().post('/api/runs').set(FORGED).set(asOwner).send({ runbook: 'ship', title: 'Order #2' }).expect(201);
    await form('/runbooks/ship/runs', { title: 'Order #3' }).expect(303);
    await script()
      .post(`/api/runs/${started.body.id}/steps/1/reassign`)
      .set(FORGED)
      .set(asOwner)
      .send({ to: otto.id, reason: 'cover' })
      .expect(200);
    await form(`/runs/${started.body.id}/steps/2/reassign`, { to: String(mia.id), reason: 'swap' }).expect(303);
    await script().post(`/api/people/${mia.id}/handoff`).set(FORGED).set(asOwner).send({ to: otto.id, reason: 'away' }).expect(200);
    const pending = t.db.prepare("SELECT body FROM notifications WHERE status = 'pending'").all() as { body: string }[];
    expect(pending.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(pending)).not.toMatch(EVIL);

    const sent: string[] = [];
    const mailer: Mailer = { send: async (m) => void sent.push(m.text), close: () => {} };
    await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links });
    expect(sent.length).toBe(pending.length);
    for (const text of sent) expectOnlySiteLinks(text);
  });
});
