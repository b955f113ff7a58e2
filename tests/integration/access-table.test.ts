import request from 'supertest';
import { appRoutes, browserSession } from './auth-helpers';
import { WHO, SIGN_IN, t, people, type Who, type Row } from './access-fixture';
import { apiRows } from './access-rows-api';
import { pageRows } from './access-rows-pages';
import { printRows } from './access-rows-print';

/**
 * The access table: every route the app serves (read from its router at test time) against
 * every kind of visitor, with the status each must get. Object-level rules are exercised with
 * real ids (access-fixture.ts); the rows are in access-rows-api.ts, access-rows-pages.ts and access-rows-print.ts.
 */

afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const rows: Row[] = [...apiRows, ...pageRows, ...printRows];

const isApi = (route: string) => route === '/api' || route.startsWith('/api/');
const key = (method: string, route: string) => `${method} ${route}`;

/**
 * One request as `who`: the API through a Bearer token (as scripts use it), pages through a
 * browser session of their own (signed in, or a visitor's) with its CSRF token on every form.
 */
async function send(row: Row, who: Who) {
  const person = who === 'anonymous' ? null : people[who];
  const call = row.call(who, person);
  let req = request(t.app)[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](call.url);
  if (isApi(row.route)) {
    if (person) req = req.set(t.as(person));
    if (call.contentType) return req.set('Content-Type', call.contentType).send(call.body as string);
    return row.method === 'GET' ? req : req.send(call.body ?? {});
  }
  const session = browserSession(t.db, person?.id ?? null);
  req = req.set(session.headers).set('Accept', 'text/html');
  return row.method === 'GET' ? req : req.type('form').send({ ...(call.body as object | undefined), _csrf: session.csrf });
}

describe('the access table', () => {
  test('has a row for every route the app serves, and every row names a route it serves', () => {
    const served = new Set(appRoutes(t.app).map((r) => key(r.method, r.path)));
    const inTable = new Set(rows.map((r) => key(r.method, r.route)));
    expect(served.size).toBeGreaterThan(40);
    expect({ withoutRow: [...served].filter((k) => !inTable.has(k)), notServed: [...inTable].filter((k) => !served.has(k)) }).toEqual({
      withoutRow: [],
      notServed: [],
    });
  });

  test('refuses anonymous API requests with 401 and sends anonymous page visits to sign in, bar the sign-in, set-up, invitation and link pages and /healthz', () => {
    const open = new Set(['/sign-in', '/sign-out', '/setup/:token', '/invite/:token', '/l/:token', '/healthz']);
    for (const row of rows) {
      const outcome = row.expected.anonymous;
      if (isApi(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), 401]);
      else if (!open.has(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), SIGN_IN]);
    }
  });
});

describe.each(rows.map((row) => [`${key(row.method, row.route)}${row.what ? ` (${row.what})` : ''}`, row] as const))('%s', (_name, row) => {
  test.each(WHO.map((who) => [who, row.expected[who]] as const))('as %s answers %j', async (who, outcome) => {
    const res = await send(row, who);
    const [status, location] = typeof outcome === 'number' ? [outcome, undefined] : outcome;
    expect({ status: res.status, location: location === undefined ? undefined : res.headers.location?.slice(0, location.length) }).toEqual({
      status,
      location,
    });
    if (isApi(row.route) && status === 401) expect(res.body.error.code).toBe('sign-in-required');
    if (isApi(row.route) && status === 403) expect(res.body.error.code).toBe('forbidden');
    if (isApi(row.route) && status === 404) expect(res.body.error.code).toBe('not-found');
  });
});
