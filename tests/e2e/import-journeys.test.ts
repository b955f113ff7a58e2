import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findRunbook, findVersion, listVersionSteps } from '../../server/runbooks/repo';
import { insertRole } from '../../server/people/roles-repo';
import { givePassword, makePerson } from '../helpers/factories';
import { makeDocx } from '../helpers/docx';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(120_000);

const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
let wordFile: string;
beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  insertRole(server.db, 'Shift lead');
  wordFile = path.join(server.runbooksDir, '..', 'Closing the shop.docx');
  fs.writeFileSync(
    wordFile,
    await makeDocx([
      { title: 'Closing the shop' },
      { text: 'How we close every evening, so the morning team finds everything ready.' },
      { heading: 'Before closing' },
      { bullet: 'Announce closing time ten minutes before' },
      { bullet: 'Bring in the A-board' },
      { heading: 'Safety' },
      { text: 'Never count cash with the door unlocked.' },
      { heading: 'Cash up' },
      { numbered: 'Print the Z report' },
      { numbered: 'Count the till', level: 0 },
      { numbered: 'Notes first', level: 1 },
      { numbered: 'Put the float in the safe' },
      { heading: 'Lock up' },
      { bullet: 'Alarm on' },
      { bullet: 'Door locked and checked' },
    ]),
  );
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page, server.url, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

test('an owner uploads a Word file, moves a section to the introduction, picks an owner and saves the runbook', async () => {
  await page.goto(`${server.url}/runbooks`);
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByRole('heading', { name: 'Import a document' }).waitFor();
  await snap(page, 'import-start-desktop');
  await page.getByLabel('Upload a file').setInputFiles(wordFile);
  await page.getByRole('button', { name: 'Make a draft' }).click();
  await page.getByRole('heading', { name: 'Check the draft' }).waitFor();
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Closing the shop');
  await expect(page.locator('.imp-step__title').allInnerTexts()).resolves.toEqual([
    '1. Before closing',
    '2. Safety',
    '3. Cash up',
    '4. Lock up',
  ]);
  await snap(page, 'import-draft-desktop');

  // "Safety" has no actions: it belongs in the introduction.
  const safety = page.locator('.imp-step').filter({ hasText: 'Safety' });
  await safety.getByLabel('Move to the introduction').check();
  await page.getByRole('button', { name: 'Update the draft' }).first().click();
  await expect(page.locator('.imp-step__title').allInnerTexts()).resolves.toEqual(['1. Before closing', '2. Cash up', '3. Lock up']);
  await expect(page.locator('.imp-intro').innerText()).resolves.toContain('Never count cash with the door unlocked.');

  // The cash-up is the shift lead's.
  const cash = page.locator('.imp-step').filter({ hasText: 'Cash up' });
  await cash.getByLabel('Owner', { exact: true }).selectOption('Shift lead');
  await page.getByRole('button', { name: 'Save the runbook' }).click();
  await page.waitForURL(/\/runbooks\/closing-the-shop\?done=imported$/);
  await page.getByRole('heading', { name: 'Closing the shop' }).waitFor();

  const row = findRunbook(server.db, 'closing-the-shop');
  const version = findVersion(server.db, row?.current_version_id ?? 0);
  expect(version?.origin).toBe('import');
  expect(version?.intro).toContain('Never count cash with the door unlocked.');
  const steps = listVersionSteps(server.db, version?.id ?? 0);
  expect(steps.map((s) => [s.title, s.owner, JSON.parse(s.checks)])).toEqual([
    ['Before closing', null, ['Announce closing time ten minutes before', 'Bring in the A-board']],
    ['Cash up', 'Shift lead', ['Print the Z report', 'Count the till', 'Put the float in the safe']],
    ['Lock up', null, ['Alarm on', 'Door locked and checked']],
  ]);
});

test('the import page reads well on a phone and works without scripts', async () => {
  const phone = await browser.newPage({ viewport: PHONE, javaScriptEnabled: false });
  await signIn(phone, server.url, OWNER.email, OWNER.password);
  await phone.goto(`${server.url}/runbooks/import`);
  await snap(phone, 'import-start-phone');
  await phone
    .getByLabel('Paste the text')
    .fill(
      '# Open the shop\n\n## Morning\n- Manager: Unlock\n- Manager: Lights on\n- Staff: Fill the till\n\n## Links\n- [Rota](https://example.com/rota)\n',
    );
  await phone.getByRole('button', { name: 'Make a draft' }).click();
  await phone.getByRole('heading', { name: 'Check the draft' }).waitFor();
  await expect(phone.locator('.imp-step__title').allInnerTexts()).resolves.toEqual(['1. Morning (Manager)', '2. Morning (Staff)']);
  await snap(phone, 'import-draft-phone');
  const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
  expect(width).toBeLessThanOrEqual(PHONE.width);
  await phone.close();
});
