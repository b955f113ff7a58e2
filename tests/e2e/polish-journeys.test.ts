import type { Browser, Page } from 'playwright-core';
import { givePassword, makePerson } from '../helpers/factories';
import { shippedTeam } from '../helpers/shipped-team';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

/** What a screenshot shows first: the favicon, the phone's top bar, the library on a phone. */

jest.setTimeout(90_000);

const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  shippedTeam(server.db, olive);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

async function ownerAt(viewport: typeof PHONE): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await signIn(page, server.url, OWNER.email, OWNER.password);
  return page;
}

test('every page names a favicon that loads, so no page asks for a missing one', async () => {
  const page = await ownerAt(DESKTOP);
  const missing: string[] = [];
  page.on('response', (res) => {
    if (res.status() === 404) missing.push(res.url());
  });
  await page.goto(`${server.url}/runbooks`);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBe('/assets/favicon.svg');
  expect((await page.request.get(`${server.url}${icon}`)).status()).toBe(200);
  await page.waitForLoadState('networkidle');
  expect(missing).toEqual([]);
  await page.close();
});

test("on a phone the owner's navigation, with every link and Sign out, fits in two lines", async () => {
  const page = await ownerAt(PHONE);
  await page.goto(`${server.url}/runbooks`);
  const lineHeight = await page
    .locator('.nav a')
    .first()
    .evaluate((a) => a.getBoundingClientRect().height);
  const tops = await page
    .locator('.nav a, .signout button')
    .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  expect(tops).toHaveLength(10); // nine links and Sign out, all shown
  // A line is the links whose tops lie within half a line of each other (a button sits a pixel or two off).
  const lines = [...tops].sort((a, b) => a - b).filter((top, i, all) => i === 0 || top - (all[i - 1] as number) > lineHeight / 2);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(await page.locator('.topbar').evaluate((bar) => bar.getBoundingClientRect().height)).toBeLessThan(lineHeight * 4);
  await snap(page, 'phone-nav');
  await page.close();
});

test('on a phone the library shows its first results above the fold, the filters folded until used', async () => {
  const page = await ownerAt(PHONE);
  await page.goto(`${server.url}/runbooks`);
  const first = page.locator('.lib-result__title').first();
  const box = await first.boundingBox();
  expect(box && box.y + box.height).toBeLessThan(PHONE.height);
  expect(await page.getByLabel('Category').isVisible()).toBe(false);
  await page.locator('summary', { hasText: 'Filters' }).click();
  await page.getByLabel('Category').selectOption('invoicing');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/category=invoicing/);
  expect(await page.getByLabel('Category').isVisible()).toBe(true); // open while a filter is in use
  await snap(page, 'phone-library');
  await page.close();
});
