import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { browserSession } from './auth-helpers';
import type { PersonRow } from '../../server/people/repo';

const good = runbookMarkdown('Close the month', [
  { title: 'Reconcile the bank', owner: 'Bookkeeper', estimate: '30m', body: 'Match every line.' },
  { title: 'Send the report', owner: 'Bookkeeper', estimate: '10m' },
]);

/** Each test has an app of its own: an editor, a member, an outsourcer, and `month-end` at version 1. */
let t: ReturnType<typeof testApp>;
let editor: PersonRow, member: PersonRow, outsourcer: PersonRow;
beforeEach(() => {
  t = testApp();
  editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });
  member = makePerson(t.db, { name: 'Mia Member', level: 'member' });
  outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', level: 'outsourcer' });
  makeRunbook(t.db, 'month-end', good);
});
afterEach(() => {
  expect(t.errors).toEqual([]);
  t.cleanup();
});

const page = (url: string, who: { id: number } = editor) =>
  request(t.app).get(url).set(browserSession(t.db, who.id).headers).set('Accept', 'text/html');
/** A form post from a signed-in browser, with its session's CSRF token. */
const post = (url: string, body: Record<string, string>, who: { id: number } = editor) => {
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
const escaped = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;')
    .replace(/`/g, '&#x60;')
    .replace(/=/g, '&#x3D;');
const versionCount = (slug: string) =>
  (
    t.db.prepare('SELECT count(*) AS n FROM runbook_versions v JOIN runbooks r ON r.id = v.runbook_id WHERE r.slug = ?').get(slug) as {
      n: number;
    }
  ).n;
const currentSource = (slug: string) =>
  (
    t.db.prepare('SELECT v.source FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE r.slug = ?').get(slug) as {
      source: string;
    }
  ).source;

/** month-end saved from the editor as version 2, with a longer estimate. */
const fixed = good.replace('Estimate: 30m', 'Estimate: 45m');
const saveVersion2 = () => post('/runbooks/month-end/edit', { source: fixed, base: '1', intent: 'save' }).expect(303);

describe('editing a runbook', () => {
  test('shows the current Markdown in a labelled text area', async () => {
    const res = await page('/runbooks/month-end/edit');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<label for="f-source">Markdown</label>');
    expect(res.text).toContain(escaped(good));
    expect(res.text).toContain('name="base" value="1"');
  });

  test('with a mistake shows "line: reason" beside the text, keeps the text and stores nothing', async () => {
    const broken = good.replace('Estimate: 30m', 'Estimate: soon');
    const res = await post('/runbooks/month-end/edit', { source: broken, base: '1', intent: 'save' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('line 9: Estimate "soon" is not a duration');
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).toContain(escaped(broken));
    expect(versionCount('month-end')).toBe(1);
  });

  test('lists every problem, each linked to its line', async () => {
    const broken = good.replace('Estimate: 30m', 'Estimate: soon').replace('Estimate: 10m', 'Estimate: later');
    const res = await post('/runbooks/month-end/edit', { source: broken, base: '1', intent: 'save' });
    expect(text(res.text)).toContain('2 problems in the text. Nothing was saved');
    expect(res.text).toContain('<a href="#f-source" data-line="9">line 9:</a>');
    expect(res.text).toContain('data-line="15"');
  });

  test('previews a valid text without saving it, with the owners a run would get', async () => {
    const res = await post('/runbooks/month-end/edit', {
      source: good.replace('Match every line.', 'Match **every** line.'),
      base: '1',
      intent: 'preview',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<p>Match <strong>every</strong> line.</p>');
    expect(text(res.text)).toContain('Owner: Bookkeeper ⚠ nobody to do it');
    expect(versionCount('month-end')).toBe(1);
  });

  test('saves a fixed text as a new version and says so on the runbook page', async () => {
    const res = await post('/runbooks/month-end/edit', { source: fixed.replace(/\n/g, '\r\n'), base: '1', intent: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/runbooks/month-end?done=saved');
    expect(versionCount('month-end')).toBe(2);
    expect(currentSource('month-end')).toBe(fixed);
    const shown = await page(res.headers.location as string);
    expect(shown.text).toContain('Saved as version 2.');
    const author = t.db.prepare('SELECT created_by, origin FROM runbook_versions WHERE number = 2').get();
    expect(author).toEqual({ created_by: editor.id, origin: 'editor' });
  });

  test('saving the same text again adds no version and says so', async () => {
    await saveVersion2();
    const res = await post('/runbooks/month-end/edit', { source: currentSource('month-end'), base: '2', intent: 'save' });
    expect(res.headers.location).toBe('/runbooks/month-end?done=unchanged');
    expect(versionCount('month-end')).toBe(2);
    expect((await page(res.headers.location as string)).text).toContain('Nothing to save: the text is the same as version 2');
  });

  test('refuses to overwrite a version saved since the editor opened, keeping the text', async () => {
    await saveVersion2();
    const mine = currentSource('month-end').replace('Send the report', 'Send the monthly report');
    const res = await post('/runbooks/month-end/edit', { source: mine, base: '1', intent: 'save' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Version 2 was saved while you were editing');
    expect(res.text).toContain('href="/runbooks/month-end/diff?from=1&amp;to=2"');
    expect(res.text).toContain(escaped(mine));
    expect(res.text).toContain('name="base" value="2"');
    expect(versionCount('month-end')).toBe(2);
  });

  test('is refused to a member (403) and hidden from an outsourcer (404)', async () => {
    expect((await page('/runbooks/month-end/edit', member)).status).toBe(403);
    expect((await page('/runbooks/month-end/edit', outsourcer)).status).toBe(404);
    expect((await post('/runbooks/month-end/edit', { source: good, intent: 'save' }, member)).status).toBe(403);
    expect((await post('/runbooks/month-end/edit', { source: good, intent: 'save' }, outsourcer)).status).toBe(404);
  });

  test("refuses a form without the session's CSRF token", async () => {
    const res = await request(t.app)
      .post('/runbooks/month-end/edit')
      .set(browserSession(t.db, editor.id).headers)
      .set('Accept', 'text/html')
      .type('form')
      .send({ source: good, intent: 'save', _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(versionCount('month-end')).toBe(1);
  });
});

describe('creating a runbook', () => {
  const fresh = runbookMarkdown('Onboard a client', [{ title: 'Send the welcome pack', estimate: '15m' }]);

  test('offers a text that already parses', async () => {
    const res = await page('/runbooks/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('title: New runbook');
    expect(res.text).toContain('<label for="f-slug">');
  });

  test.each([
    ['uppercase letters', 'Onboard', 'Use lowercase letters, digits and single dashes'],
    ['a taken slug', 'month-end', '"month-end" is already taken by another runbook'],
    ['the reserved slug', 'new', 'is used by the library itself'],
  ])('with %s shows the error beside the slug, keeps the text, stores nothing', async (_name, slug, message) => {
    const res = await post('/runbooks/new', { slug, source: fresh, intent: 'save' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="f-slug-error"');
    expect(text(res.text)).toContain(message);
    expect(res.text).toContain(escaped(fresh));
    expect(t.db.prepare("SELECT count(*) AS n FROM runbooks WHERE slug = 'onboard'").get()).toEqual({ n: 0 });
  });

  test('with a mistake in the text shows it and stores nothing', async () => {
    const res = await post('/runbooks/new', { slug: 'onboard', source: '---\ntitle: x\n---\n\nNo steps here.\n', intent: 'save' });
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain('no step: a runbook needs at least one "## " heading');
    expect(t.db.prepare("SELECT count(*) AS n FROM runbooks WHERE slug = 'onboard'").get()).toEqual({ n: 0 });
  });

  test('creates the runbook and goes to its page', async () => {
    const res = await post('/runbooks/new', { slug: 'onboard', source: fresh, intent: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/runbooks/onboard?done=created');
    expect(currentSource('onboard')).toBe(fresh);
    expect((await page(res.headers.location as string)).text).toContain('Runbook created.');
  });

  test('makes the slug from the title when none is given', async () => {
    const res = await post('/runbooks/new', {
      slug: '',
      source: runbookMarkdown('Café réunion, Q&A!', [{ title: 'Book it' }]),
      intent: 'save',
    });
    expect(res.headers.location).toBe('/runbooks/cafe-reunion-q-a?done=created');
  });

  test('previews without needing a slug', async () => {
    const res = await post('/runbooks/new', { slug: '', source: fresh, intent: 'preview' });
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Send the welcome pack');
  });

  test('is refused to members and outsourcers', async () => {
    expect((await page('/runbooks/new', member)).status).toBe(403);
    expect((await page('/runbooks/new', outsourcer)).status).toBe(403);
    expect((await post('/runbooks/new', { slug: 'by-member', source: fresh, intent: 'save' }, member)).status).toBe(403);
  });
});

describe('archiving a runbook', () => {
  test('takes it out of the library; its page, versions and runs stay; no new run starts', async () => {
    await saveVersion2();
    const runId = startRun(t.db, { runbook: 'month-end', title: 'October close', startedBy: editor.id });
    const res = await post('/runbooks/month-end/archive', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/runbooks/month-end?done=archived');
    expect(text((await page(res.headers.location as string)).text)).toContain('Archived: it has left the library');

    expect((await page('/runbooks')).text).not.toContain('href="/runbooks/month-end"');
    expect((await page('/runbooks?status=archived')).text).toContain('href="/runbooks/month-end"');
    const shown = await page('/runbooks/month-end');
    expect(shown.status).toBe(200);
    expect(text(shown.text)).toContain('Archived: this runbook is not in the library and no new run can start');
    expect(shown.text).toContain(`href="/runs/${runId}"`);
    expect(shown.text).not.toContain('action="/runbooks/month-end/runs"');
    expect(shown.text).toContain('action="/runbooks/month-end/restore"');
    expect((await page('/runbooks/month-end/diff?from=1&to=2')).status).toBe(200);
    expect((await post('/runbooks/month-end/runs', { title: 'November close' })).status).toBe(409);
    expect(t.db.prepare('SELECT count(*) AS n FROM runs WHERE id = ?').get(runId)).toEqual({ n: 1 });
  });

  test('restoring puts it back in the library', async () => {
    await post('/runbooks/month-end/archive', {}).expect(303);
    expect((await page('/runbooks')).text).not.toContain('href="/runbooks/month-end"');
    const res = await post('/runbooks/month-end/restore', {});
    expect(res.headers.location).toBe('/runbooks/month-end?done=restored');
    expect((await page('/runbooks')).text).toContain('href="/runbooks/month-end"');
  });

  test('is refused to a member (403) and hidden from an outsourcer (404)', async () => {
    expect((await post('/runbooks/month-end/archive', {}, member)).status).toBe(403);
    expect((await post('/runbooks/month-end/archive', {}, outsourcer)).status).toBe(404);
    expect(t.db.prepare("SELECT archived_at FROM runbooks WHERE slug = 'month-end'").get()).toEqual({ archived_at: null });
  });
});
