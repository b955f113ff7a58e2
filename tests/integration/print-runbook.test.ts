import { makeRunbook, runbookMarkdown } from '../helpers/factories';
import { asBytes, pdfInfo, pdfText, squeeze } from '../helpers/pdf';
import { t, STEPS, otto, sam } from './print-fixture';

afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const CHECKS = Object.values(STEPS).reduce((n, s) => n + s.checks.length, 0);
/** The page's HTML with the entities Handlebars puts in attributes read back. */
const unescaped = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

const pdf = async (url: string, as = t.http()) => {
  const res = await asBytes(as.get(url));
  expect({ status: res.status, type: res.type }).toEqual({ status: 200, type: 'application/pdf' });
  return { res, body: res.body as Buffer };
};

describe('a runbook as a blank checklist', () => {
  test('the print page holds every step with its owner, due time, checks and room to sign, and no navigation, form, button or script', async () => {
    const res = await t.http().get('/runbooks/ship/print').expect(200);
    const html = res.text;
    expect(html).toContain('Ship an order · version 1 · printed');
    for (const step of Object.values(STEPS)) {
      expect(html).toContain(step.title);
      for (const check of step.checks) expect(html).toContain(check);
    }
    expect(html).toContain('Packer (Vera Packer fills it now)');
    expect(html).toContain('Duplication house (Otto Duplicator fills it now)');
    expect(html).toContain('2 hours after the run starts');
    expect(html).toContain('Intro for Ship an order.');
    // Every step and every check has its box and its blanks for initials and a date.
    expect(html.match(/class="pr-box pr-box--step/g)).toHaveLength(4);
    expect(html.match(/Initials <span class="pr-blank">/g)).toHaveLength(4 + CHECKS);
    expect(html).not.toMatch(/<nav|<form|<button|<script|<input/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('the PDF is a download whose text holds the title, version, steps, owners, checks and page numbers', async () => {
    const { res, body } = await pdf('/runbooks/ship/print.pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename=ship-v1-a4.pdf');
    const text = squeeze(pdfText(body));
    expect(text).toContain('Ship an order · version 1 · printed');
    for (const step of Object.values(STEPS)) {
      expect(text).toContain(step.title);
      for (const check of step.checks) expect(text).toContain(check);
    }
    expect(text).toContain('Owner: Packer (Vera Packer fills it now)');
    expect(text).toContain('Due: 2 hours after the run starts');
    expect(text).toContain('the packing guide (https://example.com/guide)');
    expect(text.match(/Initials/g)).toHaveLength(4 + CHECKS);
    expect(text).toContain('Page 1 of 1');
    expect(pdfInfo(body)).toMatchObject({ pages: 1, width: 595.28, height: 841.89, title: 'Ship an order' });
  });

  test('US Letter is given when asked for, as a page and as a PDF', async () => {
    const page = await t.http().get('/runbooks/ship/print?paper=letter').expect(200);
    expect(page.text).toContain('href="/assets/print-letter.css"');
    expect(unescaped(page.text)).toContain('href="/runbooks/ship/print.pdf?paper=letter"');
    const { res, body } = await pdf('/runbooks/ship/print.pdf?paper=letter');
    // The version is the current one's (another test adds a version).
    const version = t.db
      .prepare("SELECT v.number FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE r.slug = 'ship'")
      .pluck()
      .get();
    expect(res.headers['content-disposition']).toBe(`attachment; filename=ship-v${version}-letter.pdf`);
    expect(pdfInfo(body)).toMatchObject({ width: 612, height: 792 });
  });

  test('an earlier version prints as it was, and says it is not the current one', async () => {
    makeRunbook(t.db, 'ship', runbookMarkdown('Ship an order', [{ title: 'Pack the parcel', owner: 'Packer' }], { owner: 'Packer' }));
    const current = squeeze(pdfText((await pdf('/runbooks/ship/print.pdf')).body));
    expect(current).toContain('Pack the parcel');
    expect(current).toContain('version 2');
    const page = await t.http().get('/runbooks/ship/print?version=1').expect(200);
    expect(page.text).toContain(STEPS.burn.title);
    expect(page.text).toContain('1 (not the current one)');
    expect(unescaped(page.text)).toContain('href="/runbooks/ship/print.pdf?version=1&paper=a4"');
    const old = squeeze(pdfText((await pdf('/runbooks/ship/print.pdf?version=1')).body));
    expect(old).toContain('Ship an order · version 1');
    expect(old).toContain(STEPS.burn.title);
    expect(old).not.toContain('Pack the parcel');
  });

  test('a member may print it; an outsourcer learns nothing of it; a visitor is sent to sign in', async () => {
    await t.asPerson(sam).get('/runbooks/ship/print').expect(200);
    await pdf('/runbooks/ship/print.pdf', t.asPerson(sam));
    for (const url of ['/runbooks/ship/print', '/runbooks/ship/print.pdf']) {
      const refused = await t.asPerson(otto).get(url).expect(404);
      expect(refused.body.error).toMatchObject({ code: 'not-found', message: 'Runbook "ship" was not found' });
      const visitor = await t.anonymous().get(url).set('Accept', 'text/html').expect(303);
      expect(visitor.headers.location).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
    }
  });
});

describe('bad input', () => {
  test.each([
    ['/runbooks/no-such-runbook/print', 404, 'Runbook "no-such-runbook" was not found', undefined],
    ['/runbooks/ship/print.pdf?version=99', 404, 'Version 99 of runbook "ship" was not found', undefined],
    ['/runbooks/ship/print?version=two', 400, 'version: give a version number, such as 3', 'version'],
    ['/runbooks/ship/print.pdf?version=0', 400, 'version: give a version number, such as 3', 'version'],
    ['/runbooks/ship/print?paper=legal', 400, 'paper: choose a4 or letter', 'paper'],
    ['/runbooks/ship/print.pdf?paper=A5', 400, 'paper: choose a4 or letter', 'paper'],
  ])('%s answers %i naming what is wrong', async (url, status, message, field) => {
    const res = await t.http().get(url).expect(status);
    expect(res.body.error).toEqual({ code: status === 404 ? 'not-found' : 'invalid-input', message, ...(field ? { field } : {}) });
  });

  test('a browser gets the error as a page', async () => {
    const res = await t.http().get('/runbooks/ship/print?paper=legal').set('Accept', 'text/html').expect(400);
    expect(res.text).toContain('Choose a4 or letter.');
  });
});
