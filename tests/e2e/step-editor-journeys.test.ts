import type { Browser, Page } from 'playwright-core';
import { givePassword, makePerson } from '../helpers/factories';
import { shippedTeam } from '../helpers/shipped-team';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

/** An owner builds a runbook step by step on a phone, without writing any Markdown, and without JavaScript doing the work. */

jest.setTimeout(120_000);

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
/** The id of the element that has the keyboard (the focused form control). */
/** Does what posts the form and waits for the page the server answers (the address stays the same). */
const posting = async (page: Page, act: () => Promise<void>) => {
  await Promise.all([page.waitForEvent('load'), act()]);
};
const focused = (page: Page) => page.locator('*:focus').first().getAttribute('id');

test('on a phone, an owner builds a runbook step by step: adds a step, chooses its owner, moves it up with the keyboard, saves', async () => {
  const page = await ownerAt(PHONE);
  await page.goto(`${server.url}/runbooks/new/steps`);
  await page.getByLabel('Title', { exact: true }).fill('Open the shop');
  await page.getByLabel('How often').selectOption('weekdays');
  await page.getByLabel('At', { exact: true }).fill('08:30');
  await page.getByLabel('Name of the step').fill('Unlock the door');
  await page.getByLabel('Who does it').fill('Fulfillment VA');
  await page.getByLabel('Instructions').fill('Use the **back** door key.');
  await page.getByLabel('Checks, one per line').fill('Door unlocked\nAlarm off');

  await posting(page, () => page.getByRole('button', { name: '+ Add a step' }).click());
  // The new step's name has the keyboard: type straight away.
  expect(await focused(page)).toBe('f-s1-title');
  await page.keyboard.type('Count the till');
  await page.locator('#f-s1-owner').fill('Bookkeeper');
  // What was typed before the post is all still there.
  expect(await page.locator('#f-s0-title').inputValue()).toBe('Unlock the door');
  expect(await page.locator('#f-s0-checks').inputValue()).toBe('Door unlocked\nAlarm off');

  // Reorder with the keyboard: focus "Move step 2 up" and press Enter.
  await page.getByRole('button', { name: 'Move step 2 up' }).focus();
  await posting(page, () => page.keyboard.press('Enter'));
  expect(await page.locator('#f-s0-title').inputValue()).toBe('Count the till');
  expect(await page.locator('#f-s1-title').inputValue()).toBe('Unlock the door');
  // The keyboard stays on the moved step (now first, so on its "Move down").
  expect(await focused(page)).toBe('f-s0-down');

  await posting(page, () => page.getByRole('button', { name: 'Preview step 2' }).click());
  const preview = page.getByRole('region', { name: 'Preview of step 2' });
  await expect(preview.locator('strong').textContent()).resolves.toBe('back');
  await expect(preview.textContent()).resolves.toContain('Alarm off');
  expect(await focused(page)).toBe('f-s1-preview');
  await snap(page, 'step-editor-phone');

  await page.getByRole('button', { name: 'Create the runbook' }).click();
  await page.waitForURL(/\/runbooks\/open-the-shop\?done=created/);
  const steps = await page.locator('.lib-step__title').allTextContents();
  expect(steps.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([
    expect.stringContaining('Count the till'),
    expect.stringContaining('Unlock the door'),
  ]);
  await expect(page.locator('body').textContent()).resolves.toContain('weekdays at 8:30');
  await page.close();
});

test('a mistake is shown beside its step and field with everything kept, at desktop width too', async () => {
  for (const [viewport, name] of [
    [DESKTOP, 'desktop'],
    [PHONE, 'phone'],
  ] as const) {
    const page = await ownerAt(viewport);
    await page.goto(`${server.url}/runbooks/ship-physical-order/edit/steps`);
    await page.locator('#f-s1-estimate').fill('soon');
    await page.locator('#f-s2-title').fill('');
    await posting(page, () => page.getByRole('button', { name: 'Save as a new version' }).click());
    const alert = page.locator('.sf-problems');
    await expect(alert.textContent()).resolves.toContain('Step 3: Give the step a name.');
    expect(await page.locator('#f-s1-estimate').inputValue()).toBe('soon');
    await snap(page, `step-editor-error-${name}`);
    // Putting the name back shows the next problem, named by its step and field.
    await page.locator('#f-s2-title').fill('Pick and pack the order');
    await posting(page, () => page.getByRole('button', { name: 'Save as a new version' }).click());
    await expect(page.locator('#f-s1-estimate-error').textContent()).resolves.toContain('How long it takes: "soon" is not a duration');
    await expect(alert.textContent()).resolves.toContain('Step 2 “Verify the shipping address”');
    if (name === 'desktop') await snap(page, 'step-editor-desktop');
    await page.close();
  }
});

test('the text editor’s preview marks a mistake at its step and still shows the rest, on a phone and at desktop width', async () => {
  for (const [viewport, name] of [
    [PHONE, 'phone'],
    [DESKTOP, 'desktop'],
  ] as const) {
    const page = await ownerAt(viewport);
    await page.goto(`${server.url}/runbooks/monthly-invoicing/edit`);
    const text = page.locator('#f-source');
    const source = await text.inputValue();
    await text.fill(source.replace(/\nEstimate: [^\n]+/, '\nEstimate: soon'));
    await page.getByRole('button', { name: 'Preview' }).click();
    const marked = page.locator('.lib-step--problem');
    await expect(marked.locator('.lib-step__problems').textContent()).resolves.toContain('Estimate "soon" is not a duration');
    expect(await page.locator('.lib-step--preview').count()).toBeGreaterThan(3);
    // The live preview may be drawn again meanwhile: let it settle before the picture.
    await page.waitForLoadState('networkidle');
    await snap(page, `text-editor-partial-preview-${name}`);
    await page.close();
  }
});
