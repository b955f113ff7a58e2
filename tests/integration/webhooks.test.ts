import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { expectError, putRunbook, startRun, stepAction, type TestApp } from './api';
import { sendDueDeliveries, BACKOFF_MINUTES, MAX_ATTEMPTS } from '../../server/webhooks/send';
import { verifySignature } from '../../server/webhooks/sign';
import { recordEvent } from '../../server/runs/repo';
import { notifyOverdueSteps } from '../../server/notify/sweep';
import { purgeOldDeliveries } from '../../server/webhooks/repo';
import type { PersonRow } from '../../server/people/repo';
import { fullScans } from '../helpers/query-plan';

/** A real HTTP receiver, as a customer's would be: it checks each delivery's signature. */
interface Received {
  event: string;
  at: string;
  data: Record<string, unknown>;
  signed: boolean;
  headers: http.IncomingHttpHeaders;
}
const SECRET = 'a-secret-of-thirty-two-characters';
const received: Received[] = [];
let answer = { status: 200, body: 'thanks' };
let receiver: http.Server;
let receiverUrl: string;

let t: TestApp;
let vera: PersonRow, bo: PersonRow;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const signed = verifySignature(SECRET, body, String(req.headers['x-runbooks-signature'] ?? ''));
      received.push({ ...(JSON.parse(body) as Omit<Received, 'signed' | 'headers'>), signed, headers: req.headers });
      res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  t = testApp({ webhooksAllowPrivate: true });
  vera = makePerson(t.db, { name: 'Vera' });
  bo = makePerson(t.db, { name: 'Bo' });
  makeRole(t.db, 'Packer', [vera, bo]);
  await putRunbook(
    t,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack', owner: 'Packer', due: '2h' },
      { title: 'Label', owner: 'Packer' },
    ]),
  ).expect(201);
});
afterAll(async () => {
  t.cleanup();
  await new Promise((resolve) => receiver.close(resolve));
});
afterEach(() => expect(t.errors).toEqual([]));
beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: 'thanks' };
  t.db.prepare('DELETE FROM webhooks').run();
});

const register = (events: string[], url = receiverUrl) => t.http().post('/api/webhooks').send({ url, events, secret: SECRET });
const deliveries = () =>
  t.db.prepare('SELECT * FROM webhook_deliveries ORDER BY id').all() as {
    id: number;
    event: string;
    body: string;
    status: string;
    attempts: number;
    next_attempt_at: string | null;
    last_status: number | null;
    last_answer: string | null;
  }[];
const send = (now?: Date) => sendDueDeliveries(t.db, { allowPrivate: true, ...(now ? { now: () => now } : {}) });

describe('registering a webhook', () => {
  it('saves the URL and events, answers them without the secret, and lists it', async () => {
    const res = await register(['step.completed', 'run.started']).expect(201);
    expect(res.body.webhook).toEqual({
      id: expect.any(Number),
      url: receiverUrl,
      events: ['run.started', 'step.completed'],
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(`/api/webhooks/${res.body.webhook.id}`);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const list = await t.http().get('/api/webhooks').expect(200);
    expect(list.body.webhooks).toEqual([res.body.webhook]);
    expect(list.body.events).toContain('runbook.changed');
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
  });

  it.each([
    ['not a URL', 'order shipped', 'webhook-url-invalid'],
    ['a mail address', 'mailto:ops@example.com', 'webhook-url-invalid'],
    ['a URL with a password', 'https://user:pw@example.com/hook', 'webhook-url-invalid'],
  ])('refuses %s with a 422 naming url', async (_what, url, code) => {
    expectError(await register(['run.started'], url), 422, code, 'url');
  });

  it.each([
    ['events missing', { url: 'https://example.com', secret: SECRET }, 'events'],
    ['no events', { url: 'https://example.com', events: [], secret: SECRET }, 'events'],
    ['an unknown event', { url: 'https://example.com', events: ['order.shipped'], secret: SECRET }, 'events.0'],
    ['a short secret', { url: 'https://example.com', events: ['run.started'], secret: 'short' }, 'secret'],
    ['no secret', { url: 'https://example.com', events: ['run.started'] }, 'secret'],
    ['a URL that is not text', { url: 42, events: ['run.started'], secret: SECRET }, 'url'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    expectError(await t.http().post('/api/webhooks').send(body), 400, 'invalid-input', field);
  });

  it('answers 404 for a webhook that does not exist, and deletes one with its deliveries', async () => {
    expectError(await t.http().get('/api/webhooks/999999'), 404, 'not-found');
    expectError(await t.http().get('/api/webhooks/abc'), 404, 'not-found');
    const { body } = await register(['run.started']).expect(201);
    await startRun(t, 'ship', vera);
    expect(deliveries()).toHaveLength(1);
    await t.http().delete(`/api/webhooks/${body.webhook.id}`).expect(204);
    expect(deliveries()).toHaveLength(0);
    expectError(await t.http().delete(`/api/webhooks/${body.webhook.id}`), 404, 'not-found');
  });
});

describe('on a server that allows only public https:// addresses', () => {
  const strict = testApp();
  afterAll(() => strict.cleanup());
  const registerThere = (url: string) =>
    strict
      .http()
      .post('/api/webhooks')
      .send({ url, events: ['run.started'], secret: SECRET });

  it.each([
    ['http://', 'http://example.com/hook', 'webhook-url-invalid'],
    ['loopback', 'https://127.0.0.1/hook', 'webhook-url-private'],
    ['localhost by name', 'https://localhost/hook', 'webhook-url-private'],
    ['IPv6 loopback', 'https://[::1]/hook', 'webhook-url-private'],
    ['a private network', 'https://10.1.2.3/hook', 'webhook-url-private'],
    ['a home network', 'https://192.168.1.20/hook', 'webhook-url-private'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest', 'webhook-url-private'],
    ['IPv4 inside IPv6', 'https://[::ffff:10.0.0.1]/hook', 'webhook-url-private'],
    ['a name that does not resolve', 'https://no-such-host.invalid/hook', 'webhook-url-unresolved'],
  ])('refuses %s with a 422 naming url', async (_what, url, code) => {
    expectError(await registerThere(url), 422, code, 'url');
  });

  it('checks the resolved address again at send time and does not send to a private one', async () => {
    // Saved when it pointed elsewhere (or by hand): the send-time check is what protects.
    strict.db
      .prepare('INSERT INTO webhooks (url, events, secret, created_at) VALUES (?, \'["run.started"]\', ?, ?)')
      .run(receiverUrl.replace('http://127.0.0.1', 'https://localhost'), SECRET, new Date().toISOString());
    strict.db
      .prepare('INSERT INTO webhooks (url, events, secret, created_at) VALUES (?, \'["run.started"]\', ?, ?)')
      .run(receiverUrl.replace('http:', 'https:'), SECRET, new Date().toISOString());
    await putRunbook(strict, 'ship', runbookMarkdown('Ship', [{ title: 'Pack' }])).expect(201);
    await startRun(strict, 'ship', strict.owner);
    await sendDueDeliveries(strict.db, { allowPrivate: false });
    const rows = strict.db.prepare('SELECT status, attempts, last_status, last_answer FROM webhook_deliveries ORDER BY id').all() as {
      status: string;
      last_status: number | null;
      last_answer: string;
    }[];
    expect(rows.map((row) => [row.status, row.last_status])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    expect(rows[0]?.last_answer).toMatch(/^Not sent: localhost resolves to (127\.0\.0\.1|::1), a private address/);
    expect(rows[1]?.last_answer).toMatch(/^Not sent: 127\.0\.0\.1 is a private, loopback or link-local address/);
    expect(received).toEqual([]);
  });
});

describe('deliveries', () => {
  it('sends each event as a signed JSON POST that a receiver verifies, and shows it delivered with the answer', async () => {
    await register(['run.started', 'step.completed', 'run.completed']).expect(201);
    const run = await startRun(t, 'ship', vera, 'Order #7');
    await stepAction(t, run.id, 1, 'complete', t.owner).expect(200);
    await stepAction(t, run.id, 2, 'complete', t.owner).expect(200);
    expect(deliveries().map((d) => d.event)).toEqual(['run.started', 'step.completed', 'step.completed', 'run.completed']);
    expect(await send()).toEqual({ delivered: 4, failed: 0, retrying: 0 });
    expect(received.map((r) => [r.event, r.signed])).toEqual([
      ['run.started', true],
      ['step.completed', true],
      ['step.completed', true],
      ['run.completed', true],
    ]);
    const started = received.find((r) => r.event === 'run.started');
    expect(started?.data).toMatchObject({
      run: { id: run.id, title: 'Order #7', runbook: 'ship', status: 'open' },
      actor: { id: vera.id, name: 'Vera' },
    });
    const done = received.find((r) => r.event === 'step.completed');
    expect(done?.data).toMatchObject({
      run: { id: run.id },
      step: { position: 1, title: 'Pack', status: 'complete' },
      actor: { id: t.owner.id },
    });
    expect(started?.headers['content-type']).toBe('application/json');
    expect(started?.headers['x-runbooks-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(deliveries().every((d) => d.status === 'delivered' && d.last_status === 200 && d.last_answer === 'thanks')).toBe(true);

    const webhookId = (t.db.prepare('SELECT id FROM webhooks').get() as { id: number }).id;
    const listed = await t.http().get(`/api/webhooks/${webhookId}/deliveries`).expect(200);
    expect(listed.body.deliveries[0]).toMatchObject({
      event: 'run.completed',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastAnswer: 'thanks',
    });
    const one = await t.http().get(`/api/webhooks/${webhookId}`).expect(200);
    expect(one.body.counts).toEqual({ pending: 0, delivered: 4, failed: 0 });
  });

  it('a signature made with another secret, or too long ago, does not verify', () => {
    const body = '{"event":"run.started"}';
    const at = new Date('2026-12-06T10:00:00Z');
    const header = `t=${at.getTime() / 1000},v1=${crypto
      .createHmac('sha256', SECRET)
      .update(`${at.getTime() / 1000}.${body}`)
      .digest('hex')}`;
    expect(verifySignature(SECRET, body, header, at)).toBe(true);
    expect(verifySignature('another-secret-entirely-000', body, header, at)).toBe(false);
    expect(verifySignature(SECRET, `${body} `, header, at)).toBe(false);
    expect(verifySignature(SECRET, body, header, new Date(at.getTime() + 301_000))).toBe(false);
  });

  it('sends only the events a webhook asked for', async () => {
    await register(['run.completed']).expect(201);
    await startRun(t, 'ship', vera);
    expect(deliveries()).toEqual([]);
  });

  it('writes a delivery in the same transaction as the change: a change rolled back leaves none', async () => {
    await register(['step.completed']).expect(201);
    const run = await startRun(t, 'ship', vera);
    expect(() =>
      t.db.transaction(() => {
        recordEvent(t.db, { runId: run.id, runStepId: null, kind: 'step.completed', actorId: null, at: new Date().toISOString() });
        throw new Error('the change fails after its event');
      })(),
    ).toThrow('the change fails');
    expect(deliveries()).toEqual([]);
  });

  it('retries an unsuccessful delivery with growing waits, keeps the last answer, and gives up after the last', async () => {
    await register(['run.started']).expect(201);
    await startRun(t, 'ship', vera);
    answer = { status: 503, body: 'down for maintenance' };
    let now = new Date();
    expect(await send(now)).toEqual({ delivered: 0, failed: 0, retrying: 1 });
    let [row] = deliveries();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status: 503, last_answer: 'down for maintenance' });
    expect(Date.parse(row?.next_attempt_at as string) - now.getTime()).toBe(BACKOFF_MINUTES[0] * 60_000);
    // Not yet due: nothing is sent.
    expect(await send(new Date(now.getTime() + 30_000))).toEqual({ delivered: 0, failed: 0, retrying: 0 });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      now = new Date(Date.parse(deliveries()[0]?.next_attempt_at as string));
      await send(now);
    }
    [row] = deliveries();
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null, last_status: 503 });
    expect(received).toHaveLength(MAX_ATTEMPTS);
    // Each attempt is signed afresh at its own (here, simulated) time.
    expect(received[0]?.signed).toBe(true);
    expect(new Set(received.map((r) => r.headers['x-runbooks-signature'])).size).toBe(MAX_ATTEMPTS);

    // Sent again by hand, it goes out at the next sweep.
    const webhookId = (t.db.prepare('SELECT id FROM webhooks').get() as { id: number }).id;
    answer = { status: 204, body: '' };
    const retried = await t.http().post(`/api/webhooks/${webhookId}/deliveries/${row?.id}/retry`).expect(200);
    expect(retried.body.delivery).toMatchObject({ status: 'pending', attempts: 0 });
    await send();
    expect(deliveries()[0]).toMatchObject({ status: 'delivered', last_status: 204 });
    expectError(await t.http().post(`/api/webhooks/${webhookId}/deliveries/999999/retry`), 404, 'not-found');
  });

  it('keeps a refused connection as the answer and tries again', async () => {
    await register(['run.started'], 'http://127.0.0.1:1/hook').expect(201);
    await startRun(t, 'ship', vera);
    await send();
    expect(deliveries()[0]).toMatchObject({ status: 'pending', attempts: 1, last_status: null });
    expect(deliveries()[0]?.last_answer).toMatch(/^Could not connect: /);
  });

  it('tells of reassigned and overdue steps and of changed runbooks', async () => {
    await register(['step.reassigned', 'step.overdue', 'runbook.changed']).expect(201);
    const run = await startRun(t, 'ship', t.owner, 'Order #9');
    const first = run.steps[0] as { assignee: { id: number } | null };
    const to = first.assignee?.id === vera.id ? bo : vera;
    await stepAction(t, run.id, 1, 'reassign', t.owner, { to: to.id, reason: 'covering' }).expect(200);
    notifyOverdueSteps(t.db, new Date(Date.now() + 3 * 3600_000));
    await putRunbook(
      t,
      'ship',
      runbookMarkdown('Ship an order', [
        { title: 'Pack well', owner: 'Packer', due: '2h' },
        { title: 'Label', owner: 'Packer' },
      ]),
    ).expect(200);
    await t.http().post('/api/runbooks/ship/archive').send({ archived: true }).expect(200);
    await t.http().post('/api/runbooks/ship/archive').send({ archived: false }).expect(200);
    await send();
    // Earlier tests' runs are overdue too: this run's events only.
    const mine = received.filter((r) => r.event === 'runbook.changed' || (r.data.run as { id: number }).id === run.id);
    expect(mine.map((r) => r.event)).toEqual(['step.reassigned', 'step.overdue', 'runbook.changed', 'runbook.changed', 'runbook.changed']);
    expect(mine.every((r) => r.signed)).toBe(true);
    expect(mine[0]?.data).toMatchObject({ step: { position: 1, assigneeId: to.id }, to: to.id, reason: 'covering' });
    expect(mine[1]?.data).toMatchObject({ run: { id: run.id }, step: { position: 1, assigneeId: to.id }, actor: null });
    expect(mine.slice(2).map((r) => r.data.change)).toEqual(['updated', 'archived', 'restored']);
    expect(mine[2]?.data).toMatchObject({ runbook: { slug: 'ship', title: 'Ship an order', version: 2 }, actor: { id: t.owner.id } });
  });

  it('pages the deliveries list newest first', async () => {
    const { body } = await register(['run.started']).expect(201);
    for (let i = 0; i < 3; i++) await startRun(t, 'ship', vera, `Run ${i}`);
    const first = await t.http().get(`/api/webhooks/${body.webhook.id}/deliveries?limit=2`).expect(200);
    expect(first.body.deliveries).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const second = await t.http().get(first.body.next).expect(200);
    expect(second.body.deliveries).toHaveLength(1);
    expect(second.body.next).toBeNull();
    const ids = [...first.body.deliveries, ...second.body.deliveries].map((d: { id: number }) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expectError(await t.http().get(`/api/webhooks/${body.webhook.id}/deliveries?limit=0`), 400, 'invalid-limit', 'limit');
    expectError(await t.http().get(`/api/webhooks/${body.webhook.id}/deliveries?cursor=forged`), 400, 'invalid-cursor', 'cursor');
  });

  it('retention purges old delivered and given-up deliveries, never waiting ones', async () => {
    await register(['run.started']).expect(201);
    for (let i = 0; i < 3; i++) await startRun(t, 'ship', vera, `Run ${i}`);
    const [a, b] = deliveries();
    t.db.prepare("UPDATE webhook_deliveries SET status = 'delivered' WHERE id = ?").run(a?.id);
    t.db.prepare("UPDATE webhook_deliveries SET status = 'failed' WHERE id = ?").run(b?.id);
    expect(purgeOldDeliveries(t.db, 30)).toBe(0);
    const later = new Date(Date.now() + 31 * 24 * 3600_000);
    expect(purgeOldDeliveries(t.db, 30, later)).toBe(2);
    expect(deliveries().map((d) => d.status)).toEqual(['pending']);
  });
});

describe('the webhooks page', () => {
  it('lists webhooks with their events in words and offers a form with a suggested secret', async () => {
    await register(['run.started']).expect(201);
    const res = await t.http().get('/webhooks').set('Accept', 'text/html').expect(200);
    expect(res.text).toContain(receiverUrl);
    expect(res.text).toContain('A run started');
    expect(res.text).toMatch(/name="secret"[^>]*value="[A-Za-z0-9_-]{32}"|value="[A-Za-z0-9_-]{32}"[^>]*name="secret"/s);
    expect(res.text).not.toContain(SECRET);
  });

  it('shows a bad URL again with its error beside the field (422) and what was chosen kept', async () => {
    const res = await t
      .http()
      .post('/webhooks')
      .set('Accept', 'text/html')
      .type('form')
      .send({ url: 'not a url', events: ['run.started', 'step.overdue'], secret: SECRET });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/class="error" id="f-url-error">Is not a web address/);
    expect(res.text).toMatch(/value="step.overdue" checked/);
  });
});

describe('reads that grow with history', () => {
  it('read deliveries through their indexes: the page of a webhook, the sweep’s due ones, the retention purge', () => {
    const plans = [
      ['SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?', [1, 100, 51]],
      [
        `SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`,
        ['2026-12-06T00:00:00Z', 20],
      ],
      [
        `SELECT id FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < @before ORDER BY id LIMIT @batch`,
        { before: '2026-12-06', batch: 1000 },
      ],
    ] as const;
    for (const [text, params] of plans) {
      expect({ text, scans: fullScans(t.db, text, params as never, ['webhook_deliveries']) }).toEqual({ text, scans: [] });
    }
  });
});
