import request from 'supertest';
import { BASE_URL, testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { createApiToken } from '../../server/auth/tokens';
import { linkWithAudit } from '../../server/auth/grants';
import { RESET_LIMITS } from '../../server/auth/resets';
import { loggablePath } from '../../server/http/log';
import { hashSecret } from '../../server/auth/secrets';
import { everythingStored, signInThroughPage, visitorForm } from './auth-helpers';

/**
 * Issue 13 item 9: "Forgot your password?" from the sign-in page. A single-use link, valid 30
 * minutes, stored hashed, emailed through the outbox; the same answer whether or not the
 * address has an account; rate limited; recorded in the audit log. A new password through it
 * ends the person's sessions, tokens and links, like any new password.
 */
const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

// Every request here comes from one address: each test starts with the limiter's count at nothing.
beforeEach(() => t.db.prepare('DELETE FROM password_reset_requests').run());

async function ask(email: string) {
  const visitor = await visitorForm(t.app);
  return request(t.app).post('/forgot-password').set(visitor.headers).type('form').send({ _csrf: visitor.csrf, email });
}

const resetMessages = (personId: number) =>
  t.db
    .prepare("SELECT id, subject, body, status FROM notifications WHERE person_id = ? AND topic = 'password-reset' ORDER BY id")
    .all(personId) as {
    id: number;
    subject: string;
    body: string;
    status: string;
  }[];

/** The link as the outbox shows it (the owner reads it there when no mail server is set up). */
async function linkInOutbox(personId: number): Promise<string> {
  const res = await t.http().get(`/api/outbox?person=${personId}`).expect(200);
  const body = (res.body.messages as { kind: string; body: string }[]).find((m) => m.kind === 'password-reset')?.body ?? '';
  const url = new RegExp(`${BASE_URL}/reset-password/[\\w-]+`).exec(body)?.[0];
  if (!url) throw new Error(`no reset link in: ${body}`);
  return url.slice(BASE_URL.length);
}

async function choose(path: string, password: string) {
  await request(t.app).get(path).expect(200);
  const visitor = await visitorForm(t.app);
  return request(t.app).post(path).set(visitor.headers).type('form').send({ _csrf: visitor.csrf, password });
}

test('the sign-in page links to it', async () => {
  const page = await request(t.app).get('/sign-in').expect(200);
  expect(page.text).toContain('href="/forgot-password"');
  const form = await request(t.app).get('/forgot-password').expect(200);
  expect(form.text).toContain('action="/forgot-password"');
  expect(form.text).toContain('user set-password');
  expect(form.text).toContain('it works once, within 30 minutes');
});

test('answers the same page whether or not the address has an account; only an account gets an email', async () => {
  const sam = makePerson(t.db, { name: 'Sam Same', email: 'sam@example.com' });
  const known = await ask('sam@example.com');
  const unknown = await ask('nobody-here@example.com');
  expect(known.status).toBe(200);
  expect(unknown.status).toBe(200);
  const strip = (html: string) => html.replace(/sam@example\.com|nobody-here@example\.com/g, 'EMAIL').replace(/value="[^"]*"/g, '');
  expect(strip(known.text)).toBe(strip(unknown.text));
  expect(known.text).toContain('a link to choose a new password is on its way. It works once, within 30 minutes.');
  expect(resetMessages(sam.id)).toHaveLength(1);
  expect(t.db.prepare("SELECT count(*) AS n FROM notifications WHERE topic = 'password-reset'").get()).toEqual({ n: 1 });
});

test('the emailed link works once, sets the password, signs in, and ends sessions, tokens and links', async () => {
  const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
  await givePassword(t.db, otto.id, 'the old password is long');
  const token = createApiToken(t.db, otto.id, 'script').token;
  linkWithAudit(t.db, t.links, otto.id, { actorId: t.owner.id, address: null });
  expect((await ask('OTTO@example.com ')).status).toBe(200);
  const [message] = resetMessages(otto.id);
  expect(message?.status).toBe('pending');
  expect(message?.body).toContain('{reset:');

  const path = await linkInOutbox(otto.id);
  const saved = await choose(path, 'a brand new long password');
  expect(saved.status).toBe(303);
  expect(saved.headers.location).toBe('/');
  expect((await signInThroughPage(t.app, 'otto@example.com', 'a brand new long password')).res.status).toBe(303);
  expect((await signInThroughPage(t.app, 'otto@example.com', 'the old password is long')).res.status).toBe(401);
  await request(t.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE person_id = ? AND revoked_at IS NULL').get(otto.id)).toEqual({ n: 0 });

  // Used: the link is dead, and the outbox no longer shows a working link.
  const again = await request(t.app).get(path);
  expect({ status: again.status, text: again.text.includes('expired, was already used') }).toEqual({ status: 404, text: true });
  const outbox = await t.http().get(`/api/outbox?person=${otto.id}`).expect(200);
  expect(outbox.body.messages[0].body).toContain('(this link was used, replaced by a newer one, or has expired)');
});

test('stores only the hash of the secret, and the request log never shows it', async () => {
  const hana = makePerson(t.db, { name: 'Hana Hash', email: 'hana@example.com' });
  expect((await ask('hana@example.com')).status).toBe(200);
  const path = await linkInOutbox(hana.id);
  const secret = path.split('/').pop() as string;
  const stored = everythingStored(t.db);
  expect(stored).not.toContain(secret);
  expect(stored).toContain(hashSecret(secret));
  expect(loggablePath(path)).toBe('/reset-password/[secret]');
});

test('a link expires after 30 minutes, and a newer one replaces it', async () => {
  const ella = makePerson(t.db, { name: 'Ella Expiry', email: 'ella@example.com' });
  expect((await ask('ella@example.com')).status).toBe(200);
  const first = await linkInOutbox(ella.id);
  const row = t.db.prepare('SELECT created_at, expires_at FROM password_resets WHERE person_id = ?').get(ella.id) as {
    created_at: string;
    expires_at: string;
  };
  expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(30 * 60_000);
  expect((await ask('ella@example.com')).status).toBe(200);
  await request(t.app).get(first).expect(404);
  const second = await linkInOutbox(ella.id);
  await request(t.app).get(second).expect(200);
  t.db.prepare("UPDATE password_resets SET expires_at = '2000-01-01T00:00:00.000Z' WHERE person_id = ?").run(ella.id);
  await request(t.app).get(second).expect(404);
});

test('is rate limited by email and by address, the same for addresses with and without an account', async () => {
  makePerson(t.db, { name: 'Rita Rate', email: 'rita@example.com' });
  for (const email of ['rita@example.com', 'ghost@example.com']) {
    for (let i = 0; i < RESET_LIMITS.perEmail; i++) expect((await ask(email)).status).toBe(200);
    const limited = await ask(email);
    expect({ status: limited.status, retry: Number(limited.headers['retry-after']) > 0 }).toEqual({ status: 429, retry: true });
    expect(limited.text).toContain('Too many requests for a new password');
  }
  // From one address, whatever the emails.
  t.db.prepare('DELETE FROM password_reset_requests').run();
  for (let i = 0; i < RESET_LIMITS.perAddress; i++) expect((await ask(`many-${i}@example.com`)).status).toBe(200);
  expect((await ask('one-more@example.com')).status).toBe(429);
  expect(
    t.db
      .prepare(
        "SELECT count(*) AS n FROM notifications WHERE subject = 'Choose a new password' AND person_id = (SELECT id FROM people WHERE email = 'rita@example.com')",
      )
      .get(),
  ).toEqual({ n: RESET_LIMITS.perEmail });
});

test("the owner's audit log records the request and the password set through it", async () => {
  const ava = makePerson(t.db, { name: 'Ava Audit', email: 'ava@example.com' });
  expect((await ask('ava@example.com')).status).toBe(200);
  await choose(await linkInOutbox(ava.id), 'ava picks a long password').then((r) => expect(r.status).toBe(303));
  const audit = await t.http().get('/api/audit').expect(200);
  const mine = (audit.body.entries as { action: string; subject: { id: number } | null; data: Record<string, unknown> }[]).filter(
    (e) => e.subject?.id === ava.id,
  );
  expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['password-reset.requested', 'password.changed']));
  expect(mine.find((e) => e.action === 'password.changed')?.data).toMatchObject({ via: 'reset' });
  const page = await t.http().get('/audit').expect(200);
  expect(page.text).toContain('Password reset link asked for (by email)');
});

test('refuses an address that is not one, beside the field', async () => {
  const res = await ask('not an address');
  expect(res.status).toBe(400);
  expect(res.text).toContain('Enter an email address');
});

test('a deactivated person gets no link, and the same answer', async () => {
  const dee = makePerson(t.db, { name: 'Dee Gone', email: 'dee@example.com' });
  t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(dee.id);
  const res = await ask('dee@example.com');
  expect(res.status).toBe(200);
  expect(resetMessages(dee.id)).toEqual([]);
});
