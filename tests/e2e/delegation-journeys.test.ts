import type { Browser, Page } from 'playwright-core';
import { givePassword, makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(90_000);

/**
 * Holidays in the browser: the owner marks Vera away, a new run's packing goes to her backup,
 * Vera's open steps are handed off from the preview, and the outbox holds what everyone was told.
 */
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let owner: Page;
let vera: PersonRow, bo: PersonRow;

beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  vera = makePerson(server.db, { name: 'Vera VA', email: 'vera@example.com' });
  bo = makePerson(server.db, { name: 'Bo Backup', email: 'bo@example.com' });
  makeRole(server.db, 'Fulfillment VA', [vera, bo]);
  makeRunbook(
    server.db,
    'ship',
    runbookMarkdown('Ship a physical order', [
      { title: 'Pack the box', owner: 'Fulfillment VA', due: '+4h', checks: ['Binder inside'] },
      { title: 'Post it', owner: 'Fulfillment VA', due: '+1d' },
    ]),
  );
  browser = await launchBrowser();
  owner = await browser.newPage({ viewport: DESKTOP });
  await signIn(owner, server.url, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

const startRun = async (title: string) => {
  await owner.goto(`${server.url}/runbooks/ship`);
  await owner.getByLabel('Name of the run').fill(title);
  await owner.getByRole('button', { name: 'Start a run' }).click();
  await owner.waitForURL(/\/runs\/\d+$/);
};

test('Vera has open steps; the owner marks her away and her steps are listed for hand-off', async () => {
  await startRun('Order #1041');
  await owner.goto(`${server.url}/people/${vera.id}`);
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
  await owner.getByLabel('First day away').fill(today);
  await owner.getByLabel('Last day away').fill(later);
  await owner.getByLabel('Note (optional)').fill('Holiday in Crete');
  await owner.getByRole('button', { name: 'Save the absence' }).click();
  await owner.getByText('Absence saved.').waitFor();
  expect(await owner.getByRole('status').filter({ hasText: 'is away until' }).innerText()).toMatch(/2 open steps still wait on them/);
  await snap(owner, 'delegation-person-away');
});

test("a new run's packing goes to Bo, the backup, while Vera is away", async () => {
  await startRun('Order #1042');
  expect(await owner.locator('#step-1 .step-meta').innerText()).toContain('Bo Backup');
});

test("the owner previews Vera's hand-off, confirms it, and both are told", async () => {
  await owner.goto(`${server.url}/people/${vera.id}`);
  await owner.getByRole('link', { name: 'hand them off' }).click();
  await owner.getByLabel('Give them to').selectOption({ label: 'Bo Backup' });
  await owner.getByRole('button', { name: 'Preview' }).click();
  await owner.getByRole('heading', { name: '2. What will move' }).waitFor();
  expect(await owner.locator('.handoff-list li').count()).toBe(2);
  await owner.getByLabel('Why').fill('Vera is on holiday until next week');
  await snap(owner, 'delegation-handoff-preview');
  await owner.getByRole('button', { name: 'Hand off 2 steps' }).click();
  await owner.getByText('Handed off. Both people have been told.').waitFor();
  expect(await owner.getByText('No open steps.').count()).toBe(1);

  await owner.goto(`${server.url}/outbox`);
  const toBo = owner.locator('.outbox-message', { hasText: 'Olive Owner handed you 2 steps from Vera VA' });
  await toBo.locator('summary').click();
  expect(await toBo.locator('.outbox-body').innerText()).toContain('Why: Vera is on holiday until next week');
  await snap(owner, 'delegation-outbox');
});

test('Bo sees both runs in My work on his phone, with each hand-off in the step', async () => {
  await givePassword(server.db, bo.id, 'bo packs boxes all day');
  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, server.url, 'bo@example.com', 'bo packs boxes all day');
  await phone.goto(`${server.url}/my-work`);
  expect(await phone.getByText('Pack the box').count()).toBe(2);
  await phone.getByRole('link', { name: 'Pack the box' }).first().click();
  await phone.locator('.handoffs').first().waitFor();
  expect(await phone.locator('.handoffs').first().innerText()).toContain('Handed from Vera VA to Bo Backup by Olive Owner');
  // A string, as in run-journeys: the type check has no DOM library.
  const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
  expect(width).toBeLessThanOrEqual(PHONE.width);
  await snap(phone, 'delegation-run-phone');
  await phone.close();
});
