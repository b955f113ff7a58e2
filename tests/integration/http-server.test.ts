import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createServer } from '../../server/http/server';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { browserSession } from './auth-helpers';
import { expectError } from './api';

/**
 * The production server (server/http/server.ts, as server/main.ts serves the app): the other
 * HTTP tests go through supertest's plain server, so this file checks that the app behaves the
 * same on this one, on the requests that exercise the most of Node's and Express's machinery.
 */
async function listen(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a bare Express app on the production server', () => {
  const app = express();
  const seen: { request: boolean; response: boolean }[] = [];
  const server = createServer(app);
  // Before Express has touched them: made with its prototypes, so its own swap changes nothing.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ request: Object.getPrototypeOf(req) === app.request, response: Object.getPrototypeOf(res) === app.response });
  });
  app.get('/hello', (req, res) => {
    res.json({
      query: req.query,
      instance: req instanceof http.IncomingMessage && res instanceof http.ServerResponse,
      app: req.app === app,
    });
  });
  let url: string;
  beforeAll(async () => {
    url = await listen(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test("makes each request and response with the app's prototypes from the start", async () => {
    const res = await request(url).get('/hello?x=1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ query: { x: '1' }, instance: true, app: true });
    expect(seen).toEqual([{ request: true, response: true }]);
  });
});

describe('the app on the production server', () => {
  const t = testApp();
  const server = createServer(t.app);
  let url: string;
  let runId: number;
  beforeAll(async () => {
    url = await listen(server);
    makeRole(t.db, 'Packer', [t.owner]);
    makeRunbook(
      t.db,
      'ship',
      runbookMarkdown('Ship an order', [
        { title: 'Pack the box', owner: 'Packer', checks: ['Binder inside'] },
        { title: 'Post it', owner: 'Packer' },
      ]),
    );
  });
  // A fresh run for each test.
  beforeEach(() => {
    runId = startRun(t.db, { runbook: 'ship', title: 'Order #1042', startedBy: t.owner.id });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    t.cleanup();
  });
  afterEach(() => expect(t.errors).toEqual([]));
  const api = () => request(url);

  /** What the server sends back for raw bytes on one connection, without its Date headers. */
  const exchange = (address: string, bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(address).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer.replace(/^Date: .*\r\n/gim, '')));
      socket.write(bytes);
    });

  test('answers what the plain server answers, byte for byte, where Node handles the request itself', async () => {
    const plain = http.createServer(t.app);
    const plainUrl = await listen(plain);
    const token = t.as(t.owner).Authorization;
    const missing = `/api/runs/${runId}/steps/99/complete`;
    const cases = [
      `GET /api/runs/${runId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
      `HEAD /api/runs/${runId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
      'GET /my-work HTTP/1.0\r\nAccept: text/html\r\n\r\n',
      `POST ${missing} HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{}`,
      'POST /api/runs HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      // Three on one connection, the second chunked, the last closing it.
      `GET /assets/app.css HTTP/1.1\r\nHost: x\r\n\r\nPOST ${missing} HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"n\r\n9\r\note":"x"}\r\n0\r\n\r\n' +
        `GET /api/runs/${runId} HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
    ];
    try {
      for (const bytes of cases) {
        const [expected, actual] = [await exchange(plainUrl, bytes), await exchange(url, bytes)];
        expect(actual).toBe(expected);
        expect(actual).toMatch(/^HTTP\/1\.[01] \d{3} /);
      }
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  test("keeps the app's prototypes for the whole of each request: nothing in the app swaps them again", async () => {
    const swapped: string[] = [];
    const watch = (req: http.IncomingMessage, res: http.ServerResponse) => {
      res.once('finish', () => {
        if (Object.getPrototypeOf(req) !== t.app.request || Object.getPrototypeOf(res) !== t.app.response) swapped.push(req.url ?? '');
      });
    };
    server.prependListener('request', watch);
    try {
      const session = browserSession(t.db, t.owner.id);
      await api().get(`/api/runs/${runId}`).set(t.as(t.owner)).expect(200);
      await api().get('/api/nothing-here').set(t.as(t.owner)).expect(404);
      await api().get(`/runs/${runId}`).set(session.headers).expect(200);
      await api().get('/assets/app.css').expect(200);
      await api().get('/no-such-page').set(session.headers).set('Accept', 'text/html').expect(404);
      expect(swapped).toEqual([]);
    } finally {
      server.removeListener('request', watch);
    }
  });

  test('ticks and completes through the API: JSON bodies, group commit, the strict API headers', async () => {
    const tick = await api().post(`/api/runs/${runId}/steps/1/checks/0/tick`).set(t.as(t.owner)).send({});
    expect(tick.status).toBe(200);
    const done = await api().post(`/api/runs/${runId}/steps/1/complete`).set(t.as(t.owner)).send({ note: 'packed' });
    expect(done.status).toBe(200);
    expect(done.body.step).toMatchObject({ status: 'complete', note: 'packed', completedBy: { id: t.owner.id } });
    expect(done.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    const again = await api().post(`/api/runs/${runId}/steps/1/complete`).set(t.as(t.owner)).send({});
    expectError(again, 409, 'step-already-complete');
  });

  test('meets bad input as the plain server does: bad JSON, an oversized body, a chunked body, no token', async () => {
    await api().post(`/api/runs/${runId}/steps/1/checks/0/tick`).set(t.as(t.owner)).send({}).expect(200);
    await api().post(`/api/runs/${runId}/steps/1/complete`).set(t.as(t.owner)).send({}).expect(200);
    const path = `/api/runs/${runId}/steps/2/complete`;
    expectError(await api().post(path).set(t.as(t.owner)).type('json').send('{"note":'), 400, 'invalid-json');
    expectError(
      await api()
        .post(path)
        .set(t.as(t.owner))
        .type('json')
        .send(JSON.stringify({ note: 'x'.repeat(200_000) })),
      413,
      'body-too-large',
    );
    expectError(await api().post(path).send({}), 401, 'sign-in-required');
    // A body sent in chunks, with no length given.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${url}${path}`,
        { method: 'POST', headers: { ...t.as(t.owner), 'Content-Type': 'application/json' } },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"note":');
      req.end('"posted"}');
    });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.body).run).toMatchObject({ status: 'complete' });
  });

  /** Raw bytes on a fresh connection: what comes back, and whether the server closed it within `ms`. */
  const rawAnswer = (bytes: string, ms = 2000) =>
    new Promise<{ answer: string; closed: boolean }>((resolve, reject) => {
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      let answer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ answer, closed: false });
      }, ms);
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ answer, closed: true });
      });
      socket.write(bytes);
    });

  test.each([
    ['CONNECT to another host', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    ['CONNECT to a path', 'CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['PROPFIND', 'PROPFIND /api/runs HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'a method the app does not serve, on a connection asking to stay open',
      'LINK / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
    ],
  ])('answers %s at once with 405, saying what is allowed, and closes the connection', async (_name, bytes) => {
    const { answer, closed } = await rawAnswer(bytes);
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE\r\n/i);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(closed).toBe(true);
  });

  test('answers a method nobody knows at once with 400 and closes the connection', async () => {
    const { answer, closed } = await rawAnswer('FROBNICATE / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(closed).toBe(true);
  });

  test('still serves the methods it knows on the same kind of connection', async () => {
    const { answer } = await rawAnswer('GET /sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  test('serves pages, their assets and forms with CSRF, and HEAD without a body', async () => {
    const person = makePerson(t.db, { name: 'Sam Support', email: 'sam@example.com' });
    const session = browserSession(t.db, t.owner.id);
    const page = await api().get(`/runs/${runId}`).set(session.headers).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Order #1042');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const css = await api().get('/assets/app.css');
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const head = await api().head(`/api/runs/${runId}`).set(t.as(t.owner));
    expect([head.status, head.text]).toEqual([200, undefined]);
    const form = { active: '0', confirm: 'yes' };
    const forged = await api().post(`/people/${person.id}/active`).set(session.headers).type('form').send(form);
    expect(forged.status).toBe(403);
    const sent = await api()
      .post(`/people/${person.id}/active`)
      .set(session.headers)
      .type('form')
      .send({ ...form, _csrf: session.csrf });
    expect([sent.status, sent.headers.location]).toEqual([303, `/people/${person.id}?done=deactivated`]);
    expect(t.db.prepare('SELECT active FROM people WHERE id = ?').pluck().get(person.id)).toBe(0);
    const anonymous = await api().get('/my-work').set('Accept', 'text/html');
    expect([anonymous.status, anonymous.headers.location]).toEqual([303, '/sign-in?next=%2Fmy-work']);
  });
});
