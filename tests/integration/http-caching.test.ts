import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { createAccessLink } from '../../server/auth/links';
import { appRoutes, browserSession } from './auth-helpers';

/**
 * Signed-in answers are private: every page and every JSON answer (read from the app's router:
 * every GET it serves) says Cache-Control: no-store, for a person signed in with a password, by
 * API token or through a personal link, whatever the status; so do the pages shown before
 * sign-in. The public assets keep their caching.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));
// Every GET the app serves, PDFs among them, three times over.
jest.setTimeout(120_000);

const otto = makePerson(t.db, { name: 'Otto Outsourcer', level: 'outsourcer' });
const role = makeRole(t.db, 'Packer', [t.owner]);
makeRunbook(
  t.db,
  'ops',
  runbookMarkdown('Ops', [
    { title: 'Pack', owner: 'Packer' },
    { title: 'Otto part', owner: 'Otto Outsourcer' },
  ]),
);
const run = startRun(t.db, { runbook: 'ops', title: 'Order #1', startedBy: t.owner.id });

const fill = (path: string) =>
  path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'slug') return 'ops';
    if (name === 'position' || name === 'number') return '1';
    if (name === 'token') return 'not-a-token';
    if (/^\/(api\/)?roles\b/.test(path)) return String(role.id);
    if (/^\/(api\/)?people\b/.test(path) || name === 'personId') return String(t.owner.id);
    return String(run);
  });

const ways: [string, () => Record<string, string>][] = [
  ['signed in with a password', () => browserSession(t.db, t.owner.id).headers],
  ['by API token', () => t.as(t.owner)],
  ['through a personal link', () => browserSession(t.db, otto.id, createAccessLink(t.db, t.links, otto.id, t.owner.id).id).headers],
];

test.each(ways)('every GET the app serves says no-store, %s', async (_way, headers) => {
  const gets = appRoutes(t.app).filter((r) => r.method === 'GET');
  expect(gets.length).toBeGreaterThan(30);
  const cached: string[] = [];
  for (const route of gets) {
    const url = fill(route.path);
    const res = await request(t.app)
      .get(url)
      .set(headers())
      .set('Accept', url.startsWith('/api') ? 'application/json' : 'text/html');
    if (res.headers['cache-control'] !== 'no-store') cached.push(`${url} (${res.status}): ${String(res.headers['cache-control'])}`);
  }
  expect(cached).toEqual([]);
});

test('pages before sign-in, error answers and unknown addresses say no-store too', async () => {
  for (const [url, accept] of [
    ['/sign-in', 'text/html'],
    ['/invite/not-a-token', 'text/html'],
    ['/my-work', 'text/html'],
    ['/api/runs', 'application/json'],
    ['/api/nothing-here', 'application/json'],
    ['/assets/no-such-file.css', 'text/html'],
  ] as const) {
    const res = await request(t.app).get(url).set('Accept', accept);
    expect({ url, cacheControl: res.headers['cache-control'] }).toEqual({ url, cacheControl: 'no-store' });
  }
});

test('a page after a form post (the run as it stands) says no-store', async () => {
  const session = browserSession(t.db, t.owner.id);
  const res = await request(t.app)
    .post(`/runs/${run}/steps/1/note`)
    .set(session.headers)
    .set('X-Requested-With', 'fetch')
    .type('form')
    .send({ _csrf: session.csrf, note: 'hello' });
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
});

test('the public assets keep their caching', async () => {
  for (const asset of ['/assets/app.css', '/assets/runs.js']) {
    const res = await request(t.app).get(asset).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  }
});
