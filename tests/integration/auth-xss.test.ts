import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole } from '../helpers/factories';
import { appRoutes, browserSession, escapeHtml, visitorForm } from './auth-helpers';

/**
 * Stored cross-site scripting: names and titles people type are shown as text on every page
 * that shows them, never as markup; and the headers forbid inline script anyway.
 */

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const EVIL = `${SCRIPT} ${IMG}`;

const t = testApp();
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const mallory = makePerson(t.db, { name: `Mallory ${EVIL}`, email: 'mallory@example.com', level: 'member' });
const otto = makePerson(t.db, { name: `Otto ${EVIL}`, email: 'otto@example.com', level: 'outsourcer' });
const role = makeRole(t.db, `Role ${EVIL}`, [mallory]);

let firstRun = 0;
beforeAll(async () => {
  t.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(`Olive ${EVIL}`, t.owner.id);
  // A runbook whose title, step titles, bodies and checks carry markup; quoted so YAML keeps it whole.
  const markdown = [
    '---',
    `title: "Runbook ${EVIL}"`,
    '---',
    '',
    `Intro ${EVIL}`,
    '',
    `## Step ${EVIL}`,
    `Owner: Mallory ${EVIL}`,
    '',
    `Body ${EVIL}`,
    '',
    `- [ ] Check ${IMG}`,
    '',
    `## Outsourced ${EVIL}`,
    `Owner: Otto ${EVIL}`,
    '',
    `Body two ${EVIL}`,
    '',
  ].join('\n');
  const put = await t.http().put('/api/runbooks/evil').set('Content-Type', 'text/markdown').send(markdown);
  expect(put.status).toBe(201);
  const started = await t
    .http()
    .post('/api/runs')
    .send({ runbook: 'evil', title: `Run ${EVIL}` });
  expect(started.status).toBe(201);
  const runId = started.body.id as number;
  firstRun = runId;
  expect(started.body.steps.map((s: { assignee: { id: number } | null }) => s.assignee?.id)).toEqual([mallory.id, otto.id]);
  await t.asPerson(mallory).post(`/api/runs/${runId}/steps/1/checks/0/tick`).expect(200);
  await t
    .asPerson(mallory)
    .post(`/api/runs/${runId}/steps/1/complete`)
    .send({ note: `Note ${EVIL}` })
    .expect(200);
  // A second run, so that Mallory has an open step on her pages.
  await t
    .http()
    .post('/api/runs')
    .send({ runbook: 'evil', title: `Second run ${EVIL}` })
    .expect(201);
  // Tokens are made at a browser: Mallory makes hers in a signed-in session (audited with her name).
  const malloryAtBrowser = browserSession(t.db, mallory.id);
  await request(t.app)
    .post('/api/me/tokens')
    .set(malloryAtBrowser.headers)
    .set('X-CSRF-Token', malloryAtBrowser.csrf)
    .send({ name: `Token ${EVIL}` })
    .expect(201);
  await t.http().post(`/api/people/${otto.id}/links`).expect(201);
});

/**
 * Fails if the markup ran as markup: no raw <script>alert, no live onerror= (sanitised
 * Markdown may keep a harmless <img src="x">, never its handler); and each text is there, escaped.
 */
function expectShownAsText(html: string, texts: string[]) {
  expect(html).not.toContain(SCRIPT);
  expect(html).not.toContain(IMG);
  expect(html).not.toMatch(/onerror\s*=/i);
  expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/assets\/[\w.-]+\.js")/);
  for (const text of texts) expect({ text, shown: html.includes(escapeHtml(text)) }).toEqual({ text, shown: true });
}

const page = async (url: string, personId: number) => {
  const res = await request(t.app).get(url).set(browserSession(t.db, personId).headers).set('Accept', 'text/html');
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  return res.text;
};

describe('stored markup is shown as text', () => {
  test('on the home page: the person, the run and runbook titles, and the open step', async () => {
    expectShownAsText(await page('/', mallory.id), [`Mallory ${EVIL}`, `Second run ${EVIL}`, `Runbook ${EVIL}`, `Step ${EVIL}`]);
    expectShownAsText(await page('/', t.owner.id), [`Olive ${EVIL}`, `Run ${EVIL}`, `Second run ${EVIL}`, `Runbook ${EVIL}`]);
  });

  test('on My work, for a member and for an outsourcer', async () => {
    expectShownAsText(await page('/my-work', mallory.id), [`Mallory ${EVIL}`, `Step ${EVIL}`, `Second run ${EVIL}`]);
    expectShownAsText(await page('/my-work', otto.id), [`Otto ${EVIL}`, `Outsourced ${EVIL}`, `Run ${EVIL}`]);
  });

  test('on the run page: the run, runbook and step titles, the note and the people; the step body is sanitised', async () => {
    const html = await page(`/runs/${firstRun}`, t.owner.id);
    expectShownAsText(html, [`Run ${EVIL}`, `Step ${EVIL}`, `Outsourced ${EVIL}`, `Note ${EVIL}`, `Mallory ${EVIL}`]);
    expect(html).toContain('Body ');
    expectShownAsText(await page(`/runs/${firstRun}`, otto.id), [`Outsourced ${EVIL}`, `Otto ${EVIL}`]);
  });

  test('in the library: the runbook title and its steps', async () => {
    expectShownAsText(await page('/runbooks', mallory.id), [`Runbook ${EVIL}`]);
    expectShownAsText(await page('/runbooks/evil', mallory.id), [`Runbook ${EVIL}`, `Step ${EVIL}`]);
  });

  test('on the team pages: people, a person, a role and its members', async () => {
    expectShownAsText(await page('/people', t.owner.id), [`Mallory ${EVIL}`, `Otto ${EVIL}`, `Role ${EVIL}`]);
    expectShownAsText(await page(`/people/${mallory.id}`, t.owner.id), [`Mallory ${EVIL}`, `Role ${EVIL}`]);
    expectShownAsText(await page(`/people/${mallory.id}/edit`, t.owner.id), [`Mallory ${EVIL}`]);
    expectShownAsText(await page(`/roles/${role.id}`, mallory.id), [`Role ${EVIL}`, `Mallory ${EVIL}`]);
  });

  test('on the audit log: who did it and to whom', async () => {
    expectShownAsText(await page('/audit', t.owner.id), [`Olive ${EVIL}`, `Mallory ${EVIL}`, `Otto ${EVIL}`]);
  });

  test('on the account page: the person and their token names', async () => {
    expectShownAsText(await page('/account', mallory.id), [`Mallory ${EVIL}`, `Token ${EVIL}`, 'mallory@example.com']);
  });

  test('on the account page right after making a token with a hostile name', async () => {
    const session = browserSession(t.db, mallory.id);
    const res = await request(t.app)
      .post('/account/tokens')
      .set(session.headers)
      .type('form')
      .send({ _csrf: session.csrf, name: `Fresh ${EVIL}` });
    expect(res.status).toBe(201);
    expectShownAsText(res.text, [`Fresh ${EVIL}`]);
  });

  test('in forms shown again with an error: the typed email and the next address', async () => {
    const visitor = await visitorForm(t.app);
    const res = await request(t.app)
      .post('/sign-in')
      .set(visitor.headers)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: visitor.csrf, email: '"><script>alert(1)</script>', password: 'x', next: `/"><script>alert(1)</script>` });
    expect(res.status).toBe(400);
    expectShownAsText(res.text, []);
    const signIn = await request(t.app).get(`/sign-in?next=${encodeURIComponent(`/"><img src=x onerror=alert(1)>`)}`);
    expect(signIn.status).toBe(200);
    expectShownAsText(signIn.text, []);
  });

  test('on error pages that repeat the address asked for', async () => {
    const res = await request(t.app)
      .get(`/nothing-${encodeURIComponent(EVIL)}`)
      .set(browserSession(t.db, t.owner.id).headers)
      .set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expectShownAsText(res.text, []);
  });

  test('on every page the app serves (read from its router), for an owner, a member and an outsourcer', async () => {
    // Printable documents' PDF downloads and CSV downloads (attachments, never sniffed) are no
    // markup at all (the pages they come from are checked here).
    const pages = appRoutes(t.app).filter(
      (r) =>
        r.method === 'GET' &&
        !r.path.startsWith('/api') &&
        !/:token\b/.test(r.path) &&
        !r.path.endsWith('.pdf') &&
        !r.path.endsWith('.csv'),
    );
    expect(pages.length).toBeGreaterThan(3);
    const fill = (path: string, who: number) =>
      path.replace(/:(\w+)/g, (_m, name: string) => {
        if (name === 'slug') return 'evil';
        if (name === 'position' || name === 'number') return '1';
        if (/^\/(team|people)\b/.test(path) || name === 'personId') return String(who);
        if (/^\/roles\b/.test(path)) return String(role.id);
        return String(firstRun);
      });
    for (const who of [t.owner.id, mallory.id, otto.id]) {
      for (const route of pages) {
        const url = fill(route.path, who);
        const res = await request(t.app).get(url).set(browserSession(t.db, who).headers).set('Accept', 'text/html');
        expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
        expectShownAsText(res.text, []);
      }
    }
  });

  test('in the API, step HTML is sanitised and the rest is JSON, not HTML', async () => {
    const runs = await t.http().get('/api/runs');
    const run = await t.http().get(`/api/runs/${runs.body.runs[1].id}`);
    expect(run.headers['content-type']).toMatch(/^application\/json/);
    for (const step of run.body.steps as { bodyHtml: string; checks: { html: string }[] }[]) {
      for (const html of [step.bodyHtml, ...step.checks.map((c) => c.html)]) {
        expect(html).not.toMatch(/<script|<img[^>]*onerror|onerror=/i);
      }
    }
    expect(run.body.steps[0].note).toBe(`Note ${EVIL}`);
  });
});

describe('the security headers', () => {
  const directives = (csp: string) =>
    Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...values] = d.split(/\s+/);
          return [name as string, values];
        }),
    );

  test.each([
    ['a page', '/', true],
    ['the sign-in page', '/sign-in', false],
    ['an error page', '/no-such-page', true],
  ])('on %s: a CSP without inline script, nosniff, no framing, no referrer', async (_name, url, signedIn) => {
    const req = request(t.app).get(url).set('Accept', 'text/html');
    const res = signedIn ? await req.set(browserSession(t.db, t.owner.id).headers) : await req;
    const csp = directives(res.headers['content-security-policy'] as string);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['script-src-attr']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(csp['style-src']).not.toContain("'unsafe-inline'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('on an API answer: a CSP that allows nothing, nosniff, no referrer, same-origin resource policy', async () => {
    const res = await request(t.app).get('/api/runs').set(browserSession(t.db, t.owner.id).headers);
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test.each([
    ['an unknown API address', '/api/nothing-here', 404],
    ['an API request with no credentials', '/api/runs', 401],
  ])('on %s: the same headers on the error answer', async (_name, url, status) => {
    const res = await request(t.app).get(url);
    expect(res.status).toBe(status);
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  test('pages load no inline script: every <script> has a src on this site', async () => {
    const html = await page(`/runs/${firstRun}`, t.owner.id); // the run page loads runs.js
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/^<script src="\/assets\/[\w.-]+\.js"/);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});
