import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { MAX_ATTEMPTS, sendPending, smtpMailer, type Mailer } from '../../server/notify/mailer';
import { putRunbook, startRun, type TestApp } from './api';

/**
 * Email through a real SMTP server started here: what arrives is read back and its links are
 * followed. A second server refuses every message, to see retries and nothing lost.
 */
interface Received {
  to: string[];
  raw: string;
}

let app: TestApp;
let vera: PersonRow, otto: PersonRow;
let smtp: SMTPServer, refusing: SMTPServer;
let mailer: Mailer, refusingMailer: Mailer;
const inbox: Received[] = [];
const BASE = 'https://runbooks.example.com';

function startSmtp(refuse: boolean): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port }));
  });
}

/** The text part as written (nodemailer may fold long lines as quoted-printable). */
const text = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
/** A header as written (RFC 2047 Q-encoded words decoded). */
const header = (raw: string, name: string) => {
  const line = raw.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1] ?? '';
  return line.replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, word: string) => text(word.replace(/_/g, ' ')));
};
const status = (id: number) =>
  app.db.prepare('SELECT status, attempts, last_error, next_attempt_at FROM notifications WHERE id = ?').get(id) as {
    status: string;
    attempts: number;
    last_error: string | null;
    next_attempt_at: string | null;
  };

beforeAll(async () => {
  app = testApp();
  vera = makePerson(app.db, { name: 'Vera', email: 'vera@example.com' });
  otto = makePerson(app.db, { name: 'Otto', email: 'otto@example.com', level: 'outsourcer' });
  makeRole(app.db, 'Packer', [vera]);
  makeRole(app.db, 'Editor VA', [otto]);
  await putRunbook(
    app,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack', owner: 'Packer' },
      { title: 'Edit the note', owner: 'Editor VA' },
    ]),
  ).expect(201);
  const good = await startSmtp(false);
  const bad = await startSmtp(true);
  smtp = good.server;
  refusing = bad.server;
  mailer = smtpMailer({ smtpUrl: `smtp://127.0.0.1:${good.port}`, from: 'Runbooks <runbooks@example.com>' });
  refusingMailer = smtpMailer({ smtpUrl: `smtp://127.0.0.1:${bad.port}`, from: 'Runbooks <runbooks@example.com>' });
});
afterAll(async () => {
  mailer.close();
  refusingMailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
  app.cleanup();
});
afterEach(() => expect(app.errors).toEqual([]));

describe('sending through SMTP', () => {
  it("delivers each pending message once: a teammate gets the step's address, an outsourcer a personal link that opens it", async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #1042');
    expect(await sendPending(app.db, mailer, { baseUrl: BASE, links: app.links })).toEqual({ sent: 2, failed: 0 });
    expect(await sendPending(app.db, mailer, { baseUrl: BASE, links: app.links })).toEqual({ sent: 0, failed: 0 });

    const toVera = inbox.find((m) => m.to.includes('vera@example.com'));
    expect(header(toVera?.raw ?? '', 'Subject')).toBe('Order #1042: "Pack" is yours');
    expect(toVera?.raw).toMatch(/From: Runbooks <runbooks@example\.com>/);
    expect(text(toVera?.raw ?? '')).toContain(`Open the run: ${BASE}/runs/${run.id}#step-1`);

    const toOtto = text(inbox.find((m) => m.to.includes('otto@example.com'))?.raw ?? '');
    const link = toOtto.match(new RegExp(`${BASE}(/l/[\\w-]+\\?to=[^\\s]+)`));
    expect(link).not.toBeNull();
    const opened = await app
      .anonymous()
      .get(link?.[1] as string)
      .expect(303);
    expect(opened.headers.location).toBe(`/runs/${run.id}#step-2`);
    const page = await app
      .anonymous()
      .get(`/runs/${run.id}`)
      .set('Accept', 'text/html')
      .set('Cookie', opened.headers['set-cookie'] as unknown as string[])
      .expect(200);
    expect(page.text).toContain('Edit the note');
    expect(page.text).not.toContain('>Pack<');

    // The link's secret went out by email only: the database keeps its hash and the placeholder.
    const secret = (link?.[1] as string).split('/')[2]?.split('?')[0] as string;
    const everything =
      JSON.stringify(app.db.prepare('SELECT * FROM notifications').all()) + JSON.stringify(app.db.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain(secret);
    const made = app.db.prepare("SELECT data FROM audit_log WHERE action = 'link.created' AND actor_id IS NULL").all();
    expect(made).toHaveLength(1);
    expect(app.db.prepare("SELECT count(*) AS n FROM notifications WHERE status = 'sent'").get()).toEqual({ n: 2 });
  });

  it('a personal link in an email never sends its reader anywhere but our own pages', async () => {
    const { createAccessLink } = await import('../../server/auth/links');
    for (const to of ['https://evil.example.com/', '//evil.example.com', '/runs/1/../../admin', '/sign-out']) {
      const link = createAccessLink(app.db, app.links, otto.id, null);
      const res = await app
        .anonymous()
        .get(`/l/${link.token}?to=${encodeURIComponent(to)}`)
        .expect(303);
      expect(res.headers.location).toBe('/my-work');
    }
  });
});

describe('when the mail server refuses', () => {
  it('keeps the message, tries again later with a growing wait, then marks it failed with the answer', async () => {
    inbox.length = 0;
    app.db.prepare("UPDATE notifications SET status = 'sent' WHERE status = 'pending'").run();
    await startRun(app, 'ship', app.owner, 'Order #refused');
    const ids = (app.db.prepare("SELECT id FROM notifications WHERE status = 'pending' ORDER BY id").all() as { id: number }[]).map(
      (r) => r.id,
    );
    expect(ids).toHaveLength(2);
    const linksBefore = app.db.prepare('SELECT count(*) AS n FROM access_links WHERE revoked_at IS NULL').get();

    expect(await sendPending(app.db, refusingMailer, { baseUrl: BASE, links: app.links })).toEqual({ sent: 0, failed: 0 });
    const first = status(ids[0] as number);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.last_error).toContain('Mailbox unavailable');
    expect(first.next_attempt_at! > new Date().toISOString()).toBe(true);
    // The personal link made for the failed email was revoked with it.
    expect(app.db.prepare('SELECT count(*) AS n FROM access_links WHERE revoked_at IS NULL').get()).toEqual(linksBefore);
    // Not due again yet: nothing is sent.
    expect(await sendPending(app.db, mailer, { baseUrl: BASE, links: app.links })).toEqual({ sent: 0, failed: 0 });

    const retry = (at: number) =>
      sendPending(app.db, refusingMailer, { baseUrl: BASE, links: app.links }, new Date(Date.now() + at * 60_000));
    for (let attempt = 2; attempt < MAX_ATTEMPTS; attempt++) await retry(60 * attempt);
    expect(await retry(600)).toEqual({ sent: 0, failed: 2 });
    expect(status(ids[0] as number)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
    expect(inbox).toEqual([]);

    const outbox = await app.http().get('/api/outbox?status=failed').expect(200);
    expect(outbox.body.messages).toHaveLength(2);
    expect(outbox.body.messages[0].lastError).toContain('Mailbox unavailable');
  });
});
