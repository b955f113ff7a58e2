import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importDirectory } from '../../server/runbooks/import';
import { givePassword, makePerson } from '../helpers/factories';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(90_000);

const RUNBOOKS = path.join(__dirname, '..', '..', 'runbooks');
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let owner: Page;
beforeAll(async () => {
  server = await startServer();
  for (const file of fs.readdirSync(RUNBOOKS)) fs.copyFileSync(path.join(RUNBOOKS, file), path.join(server.runbooksDir, file));
  expect(importDirectory(server.db, server.runbooksDir).problems).toEqual([]);
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  browser = await launchBrowser();
  owner = await browser.newPage({ viewport: DESKTOP });
  await signIn(owner, server.url, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

test('the owner invites a member, who sets a password through the link and lands signed in', async () => {
  await owner.goto(`${server.url}/people`);
  await owner.getByLabel('Name', { exact: true }).fill('Mia Member');
  await owner.getByLabel('Email').fill('mia@example.com');
  await owner.getByLabel('Access level').selectOption('member');
  await owner.getByLabel(/An invitation link/).check();
  await owner.getByRole('button', { name: 'Add person' }).click();
  const url = (await owner.locator('.secret').innerText()).trim();
  expect(url).toMatch(new RegExp(`^${server.url}/invite/[\\w-]+$`));

  const mia = await browser.newPage({ viewport: PHONE });
  await mia.goto(url);
  await mia.getByRole('heading', { name: 'Welcome, Mia Member' }).waitFor();
  await mia.getByLabel('Password').fill('mia walks to work daily');
  await mia.getByRole('button', { name: 'Set password and sign in' }).click();
  await mia.getByRole('heading', { name: 'Hello, Mia Member' }).waitFor();
  await mia.close();
  expect((await owner.goto(url))?.status()).toBe(404); // used once, gone
});

test('the owner gives an outsourcer a personal link that opens only their work', async () => {
  await owner.goto(`${server.url}/people`);
  await owner.getByLabel('Name', { exact: true }).fill('Otto Dupes');
  await owner.getByLabel('Email').fill('otto@example.com');
  await owner.getByLabel('Kind').selectOption('outsourcer');
  await owner.getByLabel('Access level').selectOption('outsourcer');
  await owner.getByLabel(/A personal link, no account/).check();
  await owner.getByRole('button', { name: 'Add person' }).click();
  const url = (await owner.locator('.secret').innerText()).trim();
  const otto = await browser.newPage({ viewport: PHONE });
  await otto.goto(url);
  await otto.getByRole('heading', { name: 'My work' }).waitFor();
  expect(await otto.locator('nav').innerText()).not.toMatch(/Library|People|Runs/);
  await otto.close();
});

test('a runbook is found by a word that appears only in one of its steps', async () => {
  await owner.goto(`${server.url}/runbooks`);
  await owner.getByLabel('Search titles, introductions and steps').fill('postal scale');
  await owner.getByRole('button', { name: 'Search' }).click();
  await owner.waitForURL(/[?&]q=postal\+scale/);
  const hit = owner.getByRole('link', { name: /Ship a physical order/ }).first();
  await hit.waitFor();
  expect(await owner.locator('mark').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/scale/i)]));
  await snap(owner, 'library-search');
  await hit.click();
  await owner.getByRole('heading', { name: 'Ship a physical order' }).waitFor();
});

test('an edit with a mistake shows the line and reason, keeps the text, and saves once fixed', async () => {
  await owner.goto(`${server.url}/runbooks/ship-physical-order/edit`);
  const text = owner.getByLabel('Markdown');
  const original = await text.inputValue();
  const broken = original.replace('Estimate: 5m', 'Estimate: soon').replace('Every paid order', 'Every paid order (edited)');
  await text.fill(broken);
  await owner.getByRole('button', { name: 'Save as a new version' }).click();
  await owner.locator('.lib-problems').getByText('Estimate "soon" is not a duration').waitFor();
  expect(await owner.locator('.lib-problems').innerText()).toMatch(/line 22:\s*Estimate "soon" is not a duration/);
  // The preview still shows the runbook, the mistake marked at its step.
  expect(await owner.locator('.lib-step--problem').innerText()).toMatch(
    /line 22:\s*Estimate "soon"[\s\S]*Confirm payment and check the risk flag/,
  );
  expect(await owner.getByLabel('Markdown').inputValue()).toBe(broken);
  await snap(owner, 'editor-error');
  await owner.getByLabel('Markdown').fill(broken.replace('Estimate: soon', 'Estimate: 10m'));
  await owner.getByRole('button', { name: 'Save as a new version' }).click();
  await owner.getByRole('heading', { name: 'Ship a physical order' }).waitFor();
  expect(await owner.locator('main').innerText()).toContain('Every paid order (edited)');
});

test('a run is started from the runbook page and opens as a checklist', async () => {
  await owner.goto(`${server.url}/runbooks/ship-physical-order`);
  // The shipped runbook asks for the order number, and names the run from it.
  await owner.getByLabel('Order number').fill('2001');
  await owner.getByRole('button', { name: 'Start a run' }).click();
  await owner.waitForURL(/\/runs\/\d+$/);
  await owner.getByRole('heading', { name: 'Ship order 2001' }).waitFor();
  expect(await owner.locator('.step').count()).toBeGreaterThan(3);
  await snap(owner, 'run-desktop');
});
