import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession } from './auth-helpers';

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const bea = makePerson(t.db, { name: 'Bea Booker', level: 'member' });
const editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', level: 'outsourcer' });
makeRole(t.db, 'Bookkeeper', [bea]);

const v1 = runbookMarkdown(
  'Ship a physical order',
  [
    { title: 'Confirm payment', owner: 'Bookkeeper', estimate: '5m', due: 'same day', checks: ['Payment captured', 'Address complete'] },
    { title: 'Pack the box', owner: 'Fulfillment VA', estimate: '1h30m', due: '+1d', body: 'Binder and letter.' },
    { title: 'Send tracking', due: '+2h' },
  ],
  { category: 'fulfillment', tags: '[shipping, "home study"]', income: 'direct' },
);
makeRunbook(t.db, 'ship-order', v1);
makeRunbook(t.db, 'ship-order', v1.replace('Binder and letter.', 'Binder, CDs and letter.').replace('Estimate: 5m', 'Estimate: 10m'));

const page = (url: string, who = t.owner) => request(t.app).get(url).set(browserSession(t.db, who.id).headers).set('Accept', 'text/html');
/** A form post from a signed-in browser, with its session's CSRF token. */
const post = (url: string, body: Record<string, string>, who = t.owner) => {
  const session = browserSession(t.db, who.id);
  return request(t.app)
    .post(url)
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...body, _csrf: session.csrf });
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the runbook page', () => {
  test('shows each step with its owner, who fills the role now, estimate, due offset and checks', async () => {
    const res = await page('/runbooks/ship-order');
    expect(res.status).toBe(200);
    const steps = text(res.text);
    expect(steps).toContain('1. Confirm payment');
    expect(steps).toContain('Owner Bookkeeper Bea Booker fills it now');
    expect(steps).toContain('Estimate 10 min Due the day the run starts Checks 2');
    expect(steps).toContain('Estimate 1 h 30 min Due 1 day after the run starts');
    expect(steps).toContain('Due 2 hours after the run starts');
    expect(steps).toContain('Check: Payment captured');
  });

  test('shows a role nobody fills, and a step with no owner, as visible gaps', async () => {
    const steps = text((await page('/runbooks/ship-order')).text);
    expect(steps).toContain('Fulfillment VA ⚠ Nobody fills this role');
    expect(steps).toContain('⚠ Nobody: no owner is named for this step');
    expect(steps).toContain('2 steps have nobody to do them');
    expect(steps).toContain('Step 2, Pack the box (Fulfillment VA)');
  });

  test('adds up the estimated time and says how many steps have none', async () => {
    expect(text((await page('/runbooks/ship-order')).text)).toContain(
      '3 steps , about 1 h 40 min in all, not counting 1 step without an estimate.',
    );
  });

  test('lists the versions, newest first, each linked to its changes', async () => {
    const res = await page('/runbooks/ship-order');
    expect(text(res.text)).toMatch(/Version 2 current .*Version 1/);
    expect(res.text).toContain('href="/runbooks/ship-order/diff?from=1&amp;to=2"');
  });

  test('links tags to the library filtered by them, encoded', async () => {
    expect((await page('/runbooks/ship-order')).text).toContain('href="/runbooks?tag&#x3D;home%20study"');
  });

  test('shows members the start form but not Edit or Archive; editors see all three', async () => {
    const member = (await page('/runbooks/ship-order', bea)).text;
    expect(member).toContain('action="/runbooks/ship-order/runs"');
    expect(member).not.toContain('/runbooks/ship-order/edit');
    expect(member).not.toContain('/runbooks/ship-order/archive');
    const asEditor = (await page('/runbooks/ship-order', editor)).text;
    expect(asEditor).toContain('href="/runbooks/ship-order/edit"');
    expect(asEditor).toContain('action="/runbooks/ship-order/archive"');
  });

  test('answers 404 for a runbook that does not exist, and for a slug that cannot be one', async () => {
    expect((await page('/runbooks/no-such-thing')).status).toBe(404);
    expect((await page('/runbooks/NOT_A_SLUG')).status).toBe(404);
  });

  test('answers an outsourcer 404 for a runbook and 403 for the library, as the API does', async () => {
    expect((await page('/runbooks/ship-order', outsourcer)).status).toBe(404);
    expect((await page('/runbooks/ship-order/diff', outsourcer)).status).toBe(404);
    expect((await page('/runbooks', outsourcer)).status).toBe(403);
  });

  test('sends an anonymous visitor to sign in, coming back here afterwards', async () => {
    const res = await request(t.app).get('/runbooks/ship-order').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Frunbooks%2Fship-order');
  });
});

describe('starting a run from the runbook page', () => {
  test('starts a run of the current version and goes to it', async () => {
    const res = await post('/runbooks/ship-order/runs', { title: 'Order #1042' }, bea);
    expect(res.status).toBe(303);
    const run = t.db.prepare('SELECT id, title, started_by FROM runs ORDER BY id DESC LIMIT 1').get() as {
      id: number;
      title: string;
      started_by: number;
    };
    expect(res.headers.location).toBe(`/runs/${run.id}`);
    expect(run).toMatchObject({ title: 'Order #1042', started_by: bea.id });
  });

  test('without a name is named after the runbook and the day it starts', async () => {
    const res = await post('/runbooks/ship-order/runs', { title: '  ' }, bea);
    expect(res.status).toBe(303);
    const run = t.db.prepare('SELECT title FROM runs ORDER BY id DESC LIMIT 1').get() as { title: string };
    expect(run.title).toMatch(/^Ship a physical order \(\d{1,2} [A-Z][a-z]{2} \d{4}\)$/);
  });

  test('with a name too long shows the error beside the field and starts nothing', async () => {
    const before = t.db.prepare('SELECT count(*) AS n FROM runs').get();
    const res = await post('/runbooks/ship-order/runs', { title: 'x'.repeat(201) }, bea);
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="f-title-error"');
    expect(res.text).toContain('Keep the name under 200 characters.');
    expect(text(res.text)).toContain('1. Confirm payment');
    expect(t.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual(before);
  });

  test('is refused to an outsourcer as if the runbook did not exist', async () => {
    expect((await post('/runbooks/ship-order/runs', { title: 'Sneaky' }, outsourcer)).status).toBe(404);
  });

  test('lists the run on the runbook page with its progress', async () => {
    await post('/runbooks/ship-order/runs', { title: 'Order #2001' }, bea).expect(303);
    const res = await page('/runbooks/ship-order');
    expect(text(res.text)).toContain('Order #2001 0 of 3 steps done');
  });
});

describe('the diff between two versions', () => {
  test('marks added and removed lines with + and − signs, numbered on both sides', async () => {
    const res = await page('/runbooks/ship-order/diff?from=1&to=2');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /<tr class="lib-diff__removed"><td class="lib-diff__no">\d+<\/td><td class="lib-diff__no"><\/td>\s*<td class="lib-diff__sign"><span aria-hidden="true">−<\/span><span class="visually-hidden">removed<\/span><\/td><td class="lib-diff__text"><del>Binder and letter.<\/del>/,
    );
    expect(res.text).toMatch(
      /<span aria-hidden="true">\+<\/span><span class="visually-hidden">added<\/span><\/td><td class="lib-diff__text"><ins>Binder, CDs and letter.<\/ins>/,
    );
    expect(res.text).toContain('<del>Estimate: 5m</del>');
    expect(res.text).toContain('<ins>Estimate: 10m</ins>');
    expect(text(res.text)).toContain('+2 lines added , −2 lines removed');
  });

  test('compares the current version with the one before by default', async () => {
    const res = await page('/runbooks/ship-order/diff');
    expect(res.text).toContain('<option value="1" selected>Version 1</option>');
    expect(res.text).toContain('<option value="2" selected>Version 2</option>');
  });

  test('folds long stretches of unchanged lines', async () => {
    const res = await page('/runbooks/ship-order/diff?from=1&to=2');
    expect(res.text).toMatch(/unchanged line/);
  });

  test('says so when both sides are the same version', async () => {
    expect((await page('/runbooks/ship-order/diff?from=2&to=2')).text).toContain('These are the same version');
  });

  test.each(['9', '0', 'abc', '-1'])('answers 404 for version %s', async (n) => {
    expect((await page(`/runbooks/ship-order/diff?from=${n}&to=2`)).status).toBe(404);
  });
});

test('shows a schedule and a review interval in words, with the next three dates, never as cron', async () => {
  makeRunbook(t.db, 'invoicing', runbookMarkdown('Monthly invoicing', [{ title: 'Send' }], { schedule: '"0 9 1 * *"', review: '1y' }));
  const res = await page('/runbooks/invoicing');
  expect(res.status).toBe(200);
  const words = text(res.text);
  expect(words).toMatch(/Schedule monthly on the 1st at 9:00 · next 1 \w{3} \d{4} , 1 \w{3} \d{4} , 1 \w{3} \d{4}/);
  expect(words).toContain('Review every year');
  expect(res.text).not.toContain('0 9 1 * *');
});

test('the diff page offers to restore the earlier version: the editor opens with its text, and saving makes a new version', async () => {
  const diff = await page('/runbooks/ship-order/diff?from=1&to=2');
  expect(diff.text).toContain('Restore this version (1)');
  const csrfSession = diff.text.match(/name="_csrf" value="([^"]+)"/);
  expect(csrfSession).not.toBeNull();
  const source = /<input type="hidden" name="source" value="([^"]*)"/.exec(diff.text)?.[1] ?? '';
  const decoded = source
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  expect(decoded).toBe(v1);
  const opened = await post('/runbooks/ship-order/edit', { source: decoded, base: '2', intent: 'preview' });
  expect(opened.status).toBe(200);
  expect(opened.text).toContain('Binder and letter.');
  const saved = await post('/runbooks/ship-order/edit', { source: decoded, base: '2', intent: 'save' });
  expect(saved.status).toBe(303);
  expect(text((await page('/runbooks/ship-order')).text)).toContain('Version 3');
  expect((await page('/runbooks/ship-order/diff?from=3&to=3')).text).not.toContain('Restore this version');
});
