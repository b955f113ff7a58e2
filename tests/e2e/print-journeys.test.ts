import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createAccessLink } from '../../server/auth/links';
import { startRun } from '../../server/runs/start';
import { givePassword, makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { pdfInfo, pdfPageTexts, pdfText, squeeze } from '../helpers/pdf';
import { DESKTOP, launchBrowser, signIn, startServer } from './harness';

jest.setTimeout(120_000);

const SHOTS = path.join(__dirname, '..', '..', 'tmp', 'print-shots');
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };
const PAPER = { a4: { width: 210, height: 297 }, letter: { width: 215.9, height: 279.4 } } as const;
/** The print stylesheet's page margins (views/assets/print.css), in millimetres. */
const MARGIN = { top: 11, bottom: 16, left: 15, right: 15 };
const PX_PER_MM = 96 / 25.4;
const LONG = 30;
const pad = (n: number) => String(n).padStart(2, '0');

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let owner: Page;
let runId: number;
beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  const otto = makePerson(server.db, { name: 'Otto Dupes', email: 'otto@example.com', level: 'outsourcer' });
  makeRole(server.db, 'Packer', [olive]);
  makeRole(server.db, 'Duplication house', [otto]);
  // Steps alike, each of one short line of text and two checks, so that every step is as tall as the next.
  makeRunbook(
    server.db,
    'long',
    runbookMarkdown(
      'A long checklist',
      Array.from({ length: LONG }, (_, i) => ({
        title: `Step ${pad(i + 1)} of the long checklist`,
        owner: 'Packer',
        due: '+1d',
        body: 'Do this part of the work carefully.',
        checks: [`First check of ${pad(i + 1)}`, `Step ${pad(i + 1)} sealed`],
      })),
    ),
  );
  makeRunbook(
    server.db,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack the box', owner: 'Packer', checks: ['Binder inside'] },
      { title: 'Burn the CDs', owner: 'Duplication house', body: 'The disc master is in the shared drive.', checks: ['Ten discs burned'] },
    ]),
  );
  runId = startRun(server.db, { runbook: 'ship', title: 'Order #1042', startedBy: olive.id });
  browser = await launchBrowser();
  owner = await browser.newPage({ viewport: DESKTOP });
  await signIn(owner, server.url, OWNER.email, OWNER.password);
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

/** Prints the page as Chromium would to paper (the page's own @page size), keeping a copy and pictures of it for people to look at. */
async function print(page: Page, name: string): Promise<Buffer> {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  fs.writeFileSync(path.join(SHOTS, `${name}.pdf`), pdf);
  execFileSync('pdftoppm', ['-r', '60', '-png', path.join(SHOTS, `${name}.pdf`), path.join(SHOTS, name)]);
  return pdf;
}

const SCREEN_ONLY = [
  'Back to the runbook',
  'Back to the run',
  'Download PDF',
  'US Letter instead',
  'Ctrl+P',
  'Sign out',
  'Library',
  'My work',
  'Runs',
  'People',
];

test('the runbook page links to its print page, which prints at A4 and at US Letter with no navigation or buttons', async () => {
  await owner.goto(`${server.url}/runbooks/ship`);
  await owner.getByRole('link', { name: 'Print as a paper checklist' }).click();
  await owner.waitForURL(`${server.url}/runbooks/ship/print`);
  await owner.screenshot({ path: path.join(SHOTS, 'runbook-print-screen.png'), fullPage: true });
  expect(await owner.locator('nav, form, button, input, script').count()).toBe(0);
  for (const paper of ['a4', 'letter'] as const) {
    if (paper === 'letter') {
      // The click only starts the navigation: printing before the new page has loaded prints a blank page.
      await owner.getByRole('link', { name: 'US Letter instead' }).click();
      await owner.waitForURL(`${server.url}/runbooks/ship/print?paper=letter`, { waitUntil: 'load' });
    }
    const pdf = await print(owner, `runbook-chromium-${paper}`);
    const { width, height, pages } = pdfInfo(pdf);
    expect([Math.round(width), Math.round(height)]).toEqual(paper === 'a4' ? [595, 842] : [612, 792]);
    const text = squeeze(pdfText(pdf));
    expect(text).toContain('Pack the box');
    expect(text).toContain('Ship an order · version 1 · printed');
    expect(text).toContain(`Page 1 of ${pages}`);
    for (const word of SCREEN_ONLY) expect(text).not.toContain(word);
  }
});

test('the bar downloads the PDF made on the server', async () => {
  await owner.goto(`${server.url}/runbooks/ship/print`);
  const [download] = await Promise.all([
    owner.waitForEvent('download'),
    owner.getByRole('link', { name: 'US Letter', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('ship-v1-letter.pdf');
  const pdf = fs.readFileSync(await download.path());
  expect(pdfInfo(pdf)).toMatchObject({ width: 612, height: 792 });
});

describe.each(['a4', 'letter'] as const)('a long runbook on %s', (paper) => {
  test('fills the number of pages its steps need, and no step is split across two', async () => {
    const page = await browser.newPage({
      viewport: { width: Math.floor((PAPER[paper].width - MARGIN.left - MARGIN.right) * PX_PER_MM), height: 900 },
    });
    await page.context().addCookies(await owner.context().cookies());
    await page.goto(`${server.url}/runbooks/long/print?paper=${paper}`);
    // Measured as printed: the running header, where the first step starts, and a step's height.
    await page.emulateMedia({ media: 'print' });
    const box = async (selector: string, i = 0) => (await page.locator(selector).nth(i).boundingBox()) ?? { y: 0, height: 0 };
    const boxes = await Promise.all(Array.from({ length: LONG }, (_, i) => box('.pr-step', i)));
    const m = { firstTop: boxes[0]?.y ?? 0, heights: boxes.map((b) => b.height), header: (await box('.pr-frame > thead')).height };
    expect(new Set(m.heights.map((h) => h.toFixed(2))).size).toBe(1);
    const step = m.heights[0] as number;
    const pageHeight = (PAPER[paper].height - MARGIN.top - MARGIN.bottom) * PX_PER_MM;
    const onFirst = Math.floor((pageHeight - m.firstTop) / step);
    const perPage = Math.floor((pageHeight - m.header) / step);
    const expected = 1 + Math.ceil(Math.max(0, LONG - onFirst) / perPage);
    expect(onFirst).toBeGreaterThan(0);

    const pdf = await print(page, `long-chromium-${paper}`);
    const pages = pdfPageTexts(pdf).map(squeeze);
    expect(pages).toHaveLength(expected);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${expected}`);
      expect(text).toContain('A long checklist · version 1 · printed');
    });
    // Each step's title and its last check on one page, the steps in order, as many per page as computed.
    const pageOf = (text: string) => pages.findIndex((p) => p.includes(text));
    for (let n = 1; n <= LONG; n++) {
      const where = pageOf(`Step ${pad(n)} of the long checklist`);
      expect([n, where]).toEqual([n, pageOf(`Step ${pad(n)} sealed`)]);
      expect([n, where]).toEqual([n, n <= onFirst ? 0 : 1 + Math.floor((n - onFirst - 1) / perPage)]);
    }
    for (const word of SCREEN_ONLY) expect(pages.join('\n')).not.toContain(word);
    await page.close();
  });

  test('the server PDF keeps every step whole too', async () => {
    const res = await owner.request.get(`${server.url}/runbooks/long/print.pdf?paper=${paper}`);
    const pdf = Buffer.from(await res.body());
    fs.writeFileSync(path.join(SHOTS, `long-server-${paper}.pdf`), pdf);
    execFileSync('pdftoppm', [
      '-r',
      '60',
      '-png',
      '-f',
      '1',
      '-l',
      '2',
      path.join(SHOTS, `long-server-${paper}.pdf`),
      path.join(SHOTS, `long-server-${paper}`),
    ]);
    const pages = pdfPageTexts(pdf).map(squeeze);
    expect(pages.length).toBeGreaterThan(1);
    for (let n = 1; n <= LONG; n++) {
      const where = pages.findIndex((p) => p.includes(`Step ${pad(n)} of the long checklist`));
      expect([n, where]).toEqual([n, pages.findIndex((p) => p.includes(`Step ${pad(n)} sealed`))]);
    }
  });
});

test('the run page links to the run as it stands, with a QR code to it', async () => {
  await owner.goto(`${server.url}/runs/${runId}`);
  await owner.getByRole('link', { name: 'Print the run as it stands' }).click();
  await owner.waitForURL(`${server.url}/runs/${runId}/print`);
  expect(await owner.locator('svg.pr-qr__code').count()).toBe(1);
  const text = squeeze(pdfText(await print(owner, 'run-chromium-a4')));
  expect(text).toContain(`${server.url}/runs/${runId}`);
  for (const word of SCREEN_ONLY) expect(text).not.toContain(word);
});

test('an outsourcer on their personal link prints their packet from My work: their step and its instructions only', async () => {
  const otto = server.db.prepare("SELECT id FROM people WHERE email = 'otto@example.com'").get() as { id: number };
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(`${server.url}/l/${createAccessLink(server.db, server.links, otto.id, otto.id).token}`);
  await page.getByRole('link', { name: 'Print my steps with their instructions' }).click();
  await page.waitForURL(`${server.url}/my-work/packet`);
  const text = squeeze(pdfText(await print(page, 'packet-chromium-a4')));
  expect(text).toContain('Burn the CDs');
  expect(text).toContain('The disc master is in the shared drive.');
  expect(text).not.toContain('Pack the box');
  expect(text).not.toContain('Binder inside');
  await page.close();
});
