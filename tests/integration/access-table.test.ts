import request from 'supertest';
import { appRoutes, browserSession, visitorForm } from './auth-helpers';
import { LEVELS, VIAS, SIGN_IN, t, people, owner, restoreRuns, type Level, type Outcome, type Row, type Via } from './access-fixture';
import { apiRows } from './access-rows-api';
import { pageRows } from './access-rows-pages';
import { printRows } from './access-rows-print';
import { dependenceRows } from './access-rows-dependence';
import { recordRows } from './access-rows-records';
import { webhookRows } from './access-rows-webhooks';
import { exportRows } from './access-rows-exports';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink } from '../../server/auth/links';

/**
 * The access table: every route the app serves (read from its router at test time) against
 * every kind of visitor: anonymous, and the owner, an editor, a member and an outsourcer, each
 * in by password (a browser session), by API token and by personal link, with the status each
 * must get. Object-level rules are exercised with real ids (access-fixture.ts); the rows are
 * in access-rows-api.ts, access-rows-pages.ts, access-rows-print.ts, access-rows-dependence.ts, access-rows-records.ts, access-rows-webhooks.ts and access-rows-exports.ts.
 *
 * Every request comes with fresh credentials of its kind (a new session, token or link), so a
 * row that ends the caller's sessions or tokens (signing out everywhere) affects no other row.
 * An owner's personal link is made here straight in the database: the app never makes one (a
 * row below checks that), and the table shows that even one made anyway opens only own work.
 */

afterAll(() => t.cleanup());
beforeEach(restoreRuns);
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));
// Thirteen callers a route, PDFs among them, on a machine shared with other work.
jest.setTimeout(30_000);

const rows: Row[] = [...apiRows, ...pageRows, ...printRows, ...dependenceRows, ...recordRows, ...webhookRows, ...exportRows];

const isApi = (route: string) => route === '/api' || route.startsWith('/api/');
const key = (method: string, route: string) => `${method} ${route}`;

type Caller = 'anonymous' | `${Level} by ${Via}`;
const CALLERS: Caller[] = ['anonymous', ...LEVELS.flatMap((level) => VIAS.map((via) => `${level} by ${via}` as const))];

function outcomeFor(row: Row, caller: Caller): Outcome {
  if (caller === 'anonymous') return row.expected.anonymous;
  const [level, via] = caller.split(' by ') as [Level, Via];
  if (via === 'link') return row.link[level];
  if (via === 'token') return row.token?.[level] ?? row.expected[level];
  return row.expected[level];
}

/** Credentials for one request: a fresh browser session, API token or personal link session. */
function credentials(level: Level, via: Via): { headers: Record<string, string>; csrf?: string } {
  const person = people[level];
  if (via === 'token') return { headers: { Authorization: `Bearer ${createApiToken(t.db, person.id, 'table').token}` } };
  const link = via === 'link' ? createAccessLink(t.db, t.links, person.id, owner.id).id : null;
  const session = browserSession(t.db, person.id, link);
  return { headers: session.headers, csrf: session.csrf };
}

let visitor: Awaited<ReturnType<typeof visitorForm>>;
beforeAll(async () => {
  visitor = await visitorForm(t.app);
});

/**
 * One request as `caller`, to the API or a page as a browser (or a script) sends it: a session
 * with its CSRF token on every form (the X-CSRF-Token header for the API), a token without one.
 */
async function send(row: Row, caller: Caller) {
  const level = caller === 'anonymous' ? null : (caller.split(' by ')[0] as Level);
  const via = caller === 'anonymous' ? null : (caller.split(' by ')[1] as Via);
  // Credentials first: a row's call may make a link of the caller's, which a new link would end.
  const creds = level && via ? credentials(level, via) : isApi(row.route) ? { headers: {} } : visitor;
  const call = row.call(level ?? 'anonymous', level ? people[level] : null);
  let req = request(t.app)[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](call.url).set(creds.headers);
  if (isApi(row.route)) {
    if (creds.csrf) req = req.set('X-CSRF-Token', creds.csrf);
    if (call.contentType) return req.set('Content-Type', call.contentType).send(call.body as string);
    return row.method === 'GET' ? req : req.send(call.body ?? {});
  }
  req = req.set('Accept', 'text/html');
  const csrf = creds.csrf ? { _csrf: creds.csrf } : {};
  return row.method === 'GET' ? req : req.type('form').send({ ...(call.body as object | undefined), ...csrf });
}

/**
 * What a personal link may reach: the person's own work (My work, their steps, their page,
 * their print-outs), their identity, and the pages anyone may open. Every other row must refuse
 * every link.
 */
const OWN_WORK = new Set([
  // Public: answers the same to everyone, with nothing about anyone.
  'GET /healthz',
  'GET /api/me',
  // The API's description: routes and shapes, nothing about anyone.
  'GET /api/openapi.json',
  'GET /api/runs/:id',
  // The run's older activity, as much of it as its page shows this person (their own steps' only,
  // for someone who sees only their own steps).
  'GET /api/runs/:id/events',
  'GET /runs/:id/activity',
  'POST /api/runs/:id/steps/:position/complete',
  'POST /api/runs/:id/steps/:position/reopen',
  'POST /api/runs/:id/steps/:position/skip',
  'POST /api/runs/:id/steps/:position/checks/:index/tick',
  'POST /api/runs/:id/steps/:position/checks/:index/untick',
  'POST /api/runs/:id/steps/:position/note',
  // Saying what one's own step waits for, and lifting it.
  'POST /api/runs/:id/steps/:position/waiting',
  'DELETE /api/runs/:id/steps/:position/waiting',
  'POST /api/runs/:id/steps/:position/reassign',
  // Filling the fields of one's own step, and the run fields its condition names.
  'PUT /api/runs/:id/fields/:name',
  'POST /runs/:id/fields',
  'GET /api/people/:id',
  'GET /api/people/:id/assignments',
  // Their completed steps, as a spreadsheet: what the assignments list shows, done.
  'GET /api/people/:id/work.csv',
  'GET /people/:id/work.csv',
  // Their calendar address: it shows only their own steps, what the link opens already.
  'POST /api/people/:id/calendar',
  'DELETE /api/people/:id/calendar',
  'POST /people/:id/calendar',
  'POST /people/:id/calendar/revoke',
  'GET /api/people/:id/away',
  'POST /api/people/:id/away',
  'PUT /api/people/:id/notifications',
  'GET /my-work',
  'GET /runs/:id',
  'POST /runs/:id/steps/:position/checks/:index/tick',
  'POST /runs/:id/steps/:position/checks/:index/untick',
  'POST /runs/:id/steps/:position/complete',
  'POST /runs/:id/steps/:position/skip',
  'POST /runs/:id/steps/:position/reopen',
  'POST /runs/:id/steps/:position/note',
  'POST /runs/:id/steps/:position/waiting',
  'POST /runs/:id/steps/:position/waiting/lift',
  'POST /runs/:id/steps/:position/reassign',
  'GET /people/:id',
  'POST /people/:id/notifications',
  'GET /runs/:id/print',
  'GET /runs/:id/print.pdf',
  'GET /people/:id/sheet',
  'GET /people/:id/sheet.pdf',
  'GET /people/:id/packet',
  'GET /people/:id/packet.pdf',
  'GET /my-work/sheet',
  'GET /my-work/sheet.pdf',
  'GET /my-work/packet',
  'GET /my-work/packet.pdf',
  // Open to anyone, signed in or not.
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /setup/:token',
  'POST /setup/:token',
  'GET /invite/:token',
  'POST /invite/:token',
  'GET /l/:token',
  // A calendar app reads it by its secret, without signing in.
  'GET /calendar/:secret.ics',
  'GET /forgot-password',
  'POST /forgot-password',
  'GET /reset-password/:token',
  'POST /reset-password/:token',
  // Home sends them to My work.
  'GET /',
]);

const refusal = (outcome: Outcome) => {
  const [status, location] = typeof outcome === 'number' ? [outcome, undefined] : outcome;
  // 422: nothing was done either (a field the caller may not see answers as one that does not exist).
  return status === 403 || status === 404 || status === 422 || (status === 303 && location === '/my-work');
};

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

  test('refuses anonymous API requests with 401 and sends anonymous page visits to sign in, bar the sign-in, set-up, invitation, password reset and link pages and /healthz', () => {
    const open = new Set([
      '/sign-in',
      '/sign-out',
      '/setup/:token',
      '/invite/:token',
      '/l/:token',
      '/calendar/:secret.ics',
      '/healthz',
      '/forgot-password',
      '/reset-password/:token',
    ]);
    for (const row of rows) {
      const outcome = row.expected.anonymous;
      if (isApi(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), 401]);
      else if (!open.has(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), SIGN_IN]);
    }
  });

  test("refuses every personal link everything beyond its person's own work, whatever their level", () => {
    const beyond = rows
      .filter((row) => !OWN_WORK.has(key(row.method, row.route)))
      .flatMap((row) =>
        LEVELS.filter((level) => !refusal(row.link[level])).map(
          (level) => `${key(row.method, row.route)} (${row.what ?? ''}) by ${level}'s link`,
        ),
      );
    expect(beyond).toEqual([]);
  });

  test("never lets a link reach someone else's things: on every row, a link does at most what its person does with a password", () => {
    const rank = (outcome: Outcome) => (refusal(outcome) ? 0 : 1);
    const more = rows.flatMap((row) =>
      LEVELS.filter((level) => rank(row.link[level]) > rank(row.expected[level]) && key(row.method, row.route) !== 'GET /').map(
        (level) => `${key(row.method, row.route)} (${row.what ?? ''}) by ${level}'s link`,
      ),
    );
    expect(more).toEqual([]);
  });
});

describe.each(rows.map((row) => [`${key(row.method, row.route)}${row.what ? ` (${row.what})` : ''}`, row] as const))('%s', (_name, row) => {
  test.each(CALLERS.map((caller) => [caller, outcomeFor(row, caller)] as const))('as %s answers %j', async (caller, outcome) => {
    const res = await send(row, caller);
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
