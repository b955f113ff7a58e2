import type { Browser, Page } from 'playwright-core';
import { givePassword, makePerson } from '../helpers/factories';
import { shippedTeam } from '../helpers/shipped-team';
import type { PersonRow } from '../../server/people/repo';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(120_000);

/**
 * The shipped runbooks with the team a new user builds: the owner reads what still depends on
 * them, tries stepping away over the new year, and plans the bookkeeper's holiday from the
 * simulator. Pages are looked at on a phone and a desktop (screenshots in tmp/screenshots).
 */
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let desk: Page;
let phone: Page;
let bea: PersonRow;

const fitsThePhone = async (page: Page) => {
  // A string, as in run-journeys: the type check has no DOM library.
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(PHONE.width);
};
const nextYear = new Date().getUTCFullYear() + 1;
// Over the new year, as in the issue: the invoicing run on 1 January falls inside.
const HOLIDAY = { from: `${nextYear - 1}-12-22`, to: `${nextYear}-01-05` };

beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  ({ bea } = shippedTeam(server.db, olive));
  browser = await launchBrowser();
  desk = await browser.newPage({ viewport: DESKTOP });
  phone = await browser.newPage({ viewport: PHONE });
  await signIn(desk, server.url, OWNER.email, OWNER.password);
  await signIn(phone, server.url, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

test('the owner reads what still depends on them, in words: hours a month, schedules, no cron', async () => {
  await desk.goto(`${server.url}/`);
  await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Step away' }).click();
  await desk.getByRole('heading', { name: 'What still depends on you' }).waitFor();
  const text = await desk.locator('main').innerText();
  expect(text).toMatch(/\d+ h( \d+ min)? a month/);
  expect(text).toContain('monthly on the 3rd at 9:00');
  expect(text).not.toMatch(/\d \* \*|\d{4}-\d{2}-\d{2}/);
  expect(await desk.getByRole('heading', { name: 'Hand off next' }).count()).toBe(1);
  expect(await desk.getByText('Bookkeeper: Bea Bookkeeper, and only the owner as backup').count()).toBe(1);
  await snap(desk, 'dependence-shipped-desktop');
  await phone.goto(`${server.url}/dependence`);
  await fitsThePhone(phone);
  await snap(phone, 'dependence-shipped-phone');
});

test('the CSV link downloads every step', async () => {
  const [download] = await Promise.all([
    desk.waitForEvent('download'),
    desk.getByRole('link', { name: 'Download every step (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^workload-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('stepping away over the new year: the invoices would wait on nobody, with a link to fix it', async () => {
  await desk.goto(`${server.url}/dependence`);
  await desk.getByRole('link', { name: 'What if I step away?' }).click();
  await desk.getByLabel('First day away').fill(HOLIDAY.from);
  await desk.getByLabel('Last day away').fill(HOLIDAY.to);
  await desk.getByRole('button', { name: 'See what happens' }).click();
  await desk.getByRole('heading', { name: /^Not yet:/ }).waitFor();
  const nobody = desk.locator('section', { has: desk.getByRole('heading', { name: /Would land on nobody/ }) });
  expect(await nobody.innerText()).toContain('Approve the invoices');
  expect(await nobody.getByRole('link', { name: 'Add a backup to Owner' }).count()).toBeGreaterThan(0);
  await snap(desk, 'step-away-owner-desktop');
  await phone.goto(desk.url());
  await fitsThePhone(phone);
  await snap(phone, 'step-away-owner-phone');
});

test("the bookkeeper's holiday is clear, lands on the owner, and is planned in one step", async () => {
  await desk.goto(`${server.url}/step-away?person=${bea.id}&from=${HOLIDAY.from}&to=${HOLIDAY.to}`);
  await desk.getByRole('heading', { name: /can step away/ }).waitFor();
  expect(await desk.locator('.dep-takers').innerText()).toMatch(/Olive Owner: \d+ steps, \d+ h/);
  await snap(desk, 'step-away-bookkeeper-desktop');
  await desk.getByRole('button', { name: /Plan this absence/ }).click();
  await desk.waitForURL(new RegExp(`/people/${bea.id}`));
  expect(await desk.locator('section', { has: desk.locator('#away') }).innerText()).toContain('22 Dec');
});

test('a bad range is named beside its field', async () => {
  await desk.goto(`${server.url}/step-away?from=${HOLIDAY.to}&to=${HOLIDAY.from}`);
  expect(await desk.locator('#f-to-error').innerText()).toContain('is before');
});
