import request from 'supertest';
import { BASE_URL, testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { cookieHeader, everythingStored, signInThroughPage, visitorForm } from './auth-helpers';
import { sendPending, type Mailer } from '../../server/notify/mailer';

/**
 * Issue 13 item 8: invitations are emailed through the outbox, and an email that holds a
 * personal link (an invitation, an outsourcer's link) holds a working link even while it waits
 * in the outbox to be forwarded by hand: no placeholder. Only hashes are stored.
 */
const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const invitations = (personId: number) =>
  t.db
    .prepare("SELECT id, subject, body, status FROM notifications WHERE person_id = ? AND topic = 'invitation' ORDER BY id")
    .all(personId) as {
    id: number;
    subject: string;
    body: string;
    status: string;
  }[];

/** The message to `personId` as the outbox shows it (newest first). */
async function outboxBody(personId: number): Promise<string> {
  const res = await t.http().get(`/api/outbox?person=${personId}`).expect(200);
  return res.body.messages[0].body as string;
}
const inviteIn = (body: string) => new RegExp(`${BASE_URL}(/invite/[\\w-]+)`).exec(body)?.[1];

/** A browser at an owner's session: the people pages' forms. */
async function ownerBrowser() {
  const olive = makePerson(t.db, { name: 'Page Owner', email: 'page-owner@example.com', level: 'owner' });
  await givePassword(t.db, olive.id, 'the owner has a long password');
  const { cookie } = await signInThroughPage(t.app, olive.email, 'the owner has a long password');
  const agent = request.agent(t.app).set('Cookie', cookieHeader(cookie as string));
  const page = await agent.get('/people').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
  return { agent, csrf };
}

test('an invitation through the API is emailed, and the outbox shows its working link', async () => {
  const ivy = makePerson(t.db, { name: 'Ivy Invited', email: 'ivy@example.com' });
  const res = await t.http().post(`/api/people/${ivy.id}/invitation`).expect(201);
  expect(res.body.emailedTo).toBe('ivy@example.com');
  const [message, ...more] = invitations(ivy.id);
  expect(more).toEqual([]);
  expect(message).toMatchObject({ subject: "Olive Owner invited you to your team's runbooks", status: 'pending' });

  const body = await outboxBody(ivy.id);
  expect(body).not.toMatch(/\[|made when the email is sent/);
  const path = inviteIn(body);
  expect(`${BASE_URL}${path}`).toBe(res.body.url);
  // The link works while it waits in the outbox: the invitation page opens, and a password is set.
  const page = await request(t.app)
    .get(path as string)
    .expect(200);
  expect(page.text).toContain('Welcome, Ivy Invited');
  const visitor = await visitorForm(t.app);
  await request(t.app)
    .post(path as string)
    .set(visitor.headers)
    .type('form')
    .send({ _csrf: visitor.csrf, password: 'ivy chose a long one' })
    .expect(303);
  // Used: the outbox says so rather than show a dead link.
  expect(await outboxBody(ivy.id)).toContain('(this invitation was used, replaced by a newer one, or has expired)');
});

test('stores no secret: the email body holds a placeholder the outbox and the mailer fill in', async () => {
  const sid = makePerson(t.db, { name: 'Sid Secret', email: 'sid@example.com' });
  const res = await t.http().post(`/api/people/${sid.id}/invitation`).expect(201);
  const token = res.body.url.split('/invite/')[1] as string;
  expect(invitations(sid.id)[0]?.body).toMatch(/\{invitation:\d+\}/);
  expect(everythingStored(t.db)).not.toContain(token);
});

test('a newer invitation replaces the older one, in the outbox too', async () => {
  const nia = makePerson(t.db, { name: 'Nia Newer', email: 'nia@example.com' });
  await t.http().post(`/api/people/${nia.id}/invitation`).expect(201);
  const second = await t.http().post(`/api/people/${nia.id}/invitation`).expect(201);
  const res = await t.http().get(`/api/outbox?person=${nia.id}`).expect(200);
  const [newest, older] = res.body.messages as { body: string }[];
  expect(inviteIn(newest?.body ?? '')).toBe(second.body.url.slice(BASE_URL.length));
  expect(older?.body).toContain('(this invitation was used, replaced by a newer one, or has expired)');
});

test('the mailer sends the working link', async () => {
  const mo = makePerson(t.db, { name: 'Mo Mailed', email: 'mo@example.com' });
  t.db.prepare("UPDATE notifications SET status = 'sent' WHERE status = 'pending'").run();
  const res = await t.http().post(`/api/people/${mo.id}/invitation`).expect(201);
  const sent: { to: string; subject: string; text: string }[] = [];
  const mailer: Mailer = { send: async (m) => sent.push(m), close: () => {} };
  expect(await sendPending(t.db, mailer, { baseUrl: BASE_URL, links: t.links })).toEqual({ sent: 1, failed: 0 });
  expect(sent[0]?.to).toContain('mo@example.com');
  expect(sent[0]?.text).toContain(res.body.url);
});

test('adding a person on the People page with an invitation emails it, and the page says so', async () => {
  const { agent, csrf } = await ownerBrowser();
  const added = await agent
    .post('/people')
    .type('form')
    .send({ _csrf: csrf, name: 'Pia Page', email: 'pia@example.com', kind: 'team', access: 'invitation' })
    .expect(303)
    // The form redirects (a refresh adds nobody again); the person's page shows the link once.
    .then((res) => agent.get(res.headers.location as string).expect(200));
  expect(added.text).toContain('Emailed to <strong>pia@example.com</strong>');
  expect(added.text).toContain('href="/outbox"');
  const pia = t.db.prepare("SELECT id FROM people WHERE email = 'pia@example.com'").get() as { id: number };
  expect(invitations(pia.id)).toHaveLength(1);
  expect(inviteIn(await outboxBody(pia.id))).toBeDefined();
});

test("an outsourcer's step email in the outbox holds their working personal link, made if they had none", async () => {
  const otto = makePerson(t.db, { name: 'Otto Outbox', email: 'otto-outbox@example.com', level: 'outsourcer' });
  t.db
    .prepare(
      "INSERT INTO notifications (person_id, kind, subject, body, link_path, status, created_at) VALUES (?, 'assigned', 'A step', 'Open it: {link}', '/my-work', 'pending', ?)",
    )
    .run(otto.id, new Date().toISOString());
  const body = await outboxBody(otto.id);
  const path = new RegExp(`Open it: ${BASE_URL}(/l/[\\w-]+\\?to=%2Fmy-work)`).exec(body)?.[1];
  expect(path).toBeDefined();
  const opened = await request(t.app).get(path as string);
  expect({ status: opened.status, to: opened.headers.location }).toEqual({ status: 303, to: '/my-work' });
  // Reading the outbox again reuses the same live link.
  expect(await outboxBody(otto.id)).toBe(body);
  const audit = await t.http().get('/api/audit').expect(200);
  expect(
    (audit.body.entries as { action: string; subject: { id: number } | null }[]).some(
      (e) => e.action === 'link.created' && e.subject?.id === otto.id,
    ),
  ).toBe(true);
});
