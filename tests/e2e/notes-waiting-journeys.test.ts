import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createAccessLink } from '../../server/auth/links';
import { startRun } from '../../server/runs/start';
import { givePassword, makePerson } from '../helpers/factories';
import { shippedTeam } from '../helpers/shipped-team';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

/**
 * A virtual assistant works a shipping order on her phone through her personal link: she reads
 * the runbook's warnings at the top of the run, notes a step without completing it, marks it as
 * waiting for the customer, sees that on My work, and lifts it once the answer comes.
 */

jest.setTimeout(90_000);

/** Where a close-up of one part of a page goes, beside the full-page screenshots. */
const shot = (name: string) => path.join(__dirname, '..', '..', 'tmp', 'screenshots', `${name}.png`);

const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let runId: number;
let vera: { id: number };
beforeAll(async () => {
  server = await startServer();
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  ({ vera } = shippedTeam(server.db, olive));
  runId = startRun(server.db, {
    runbook: 'ship-physical-order',
    title: null,
    fields: { 'Order number': '1042' },
    startedBy: olive.id,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

async function veraOnHerPhone(): Promise<Page> {
  const { token } = createAccessLink(server.db, server.links, vera.id, null);
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${server.url}/l/${token}`);
  await page.getByRole('heading', { name: 'My work' }).waitFor();
  return page;
}

test('on her phone the VA reads the warnings, notes a step, marks it waiting with the reason, sees it on My work and lifts it', async () => {
  const page = await veraOnHerPhone();
  await page.getByRole('link', { name: 'Confirm payment and check the risk flag' }).click();
  // The runbook's warnings, which she cannot open as a runbook, are at the top of the run, open.
  const intro = page.locator('.run-intro');
  await intro.getByText('Never ship an order whose payment is only authorised').waitFor();
  expect(await intro.getAttribute('open')).not.toBeNull();

  // A note on her open step, without completing it: the step stays To do, the note shows under it.
  const step = page.locator('#step-1');
  await step.getByLabel('Note on “Confirm payment and check the risk flag”').fill('Bank transfer shows as pending');
  await step.getByRole('button', { name: 'Add note' }).click();
  await step.locator('.step-notes').getByText('Bank transfer shows as pending').waitFor();
  expect(await step.locator('.status-label').innerText()).toBe('To do');

  // Waiting, with the reason.
  await step.getByText('Waiting on something?').click();
  await step.getByLabel('What is it waiting for?').fill('the customer’s bank to clear the transfer');
  await step.getByRole('button', { name: 'Mark as waiting' }).click();
  await page.locator('#step-1.step--waiting').waitFor();
  expect(await page.locator('#step-1 .step-waiting').innerText()).toContain('Waiting: the customer’s bank to clear the transfer');
  await page.locator('#step-1').scrollIntoViewIfNeeded();
  await snap(page, 'notes-waiting-run-phone');
  await page.locator('.run-head').screenshot({ path: shot('notes-waiting-run-head-phone') });
  await page.locator('.run-intro').screenshot({ path: shot('notes-waiting-intro-phone') });
  await page.locator('#step-1').screenshot({ path: shot('notes-waiting-step-phone') });

  // My work says so, and it is still there to do.
  await page.goto(`${server.url}/my-work`);
  const card = page.locator('.card', { hasText: 'Confirm payment and check the risk flag' });
  expect(await card.locator('.waiting-flag').innerText()).toContain('Waiting: the customer’s bank to clear the transfer');
  await snap(page, 'notes-waiting-my-work-phone');

  // The answer came: she lifts it, and the run's activity says both.
  await card.getByRole('link', { name: 'Confirm payment and check the risk flag' }).click();
  await page.locator('#step-1').getByRole('button', { name: 'No longer waiting' }).click();
  await page.locator('#step-1:not(.step--waiting)').waitFor();
  await page.locator('#step-1').getByText('Waiting on something?').waitFor();
  const activity = await page.locator('.activity').innerText();
  expect(activity).toContain('marked “Confirm payment and check the risk flag” as waiting: the customer’s bank to clear the transfer');
  expect(activity).toContain('took “Confirm payment and check the risk flag” off waiting');
  await page.goto(`${server.url}/my-work`);
  expect(await page.locator('.waiting-flag').count()).toBe(0);
  await page.close();
});

test('the owner sees the intro, a waiting step and its notes on the run page, Home and the print page, at both widths', async () => {
  const page = await veraOnHerPhone();
  await page.getByRole('link', { name: 'Confirm payment and check the risk flag' }).click();
  const step = page.locator('#step-1');
  await step.getByText('Waiting on something?').click();
  await step.getByLabel('What is it waiting for?').fill('the customer’s address');
  await step.getByRole('button', { name: 'Mark as waiting' }).click();
  await page.locator('#step-1.step--waiting').waitFor();
  await page.close();

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    const owner = await browser.newPage({ viewport });
    await signIn(owner, server.url, OWNER.email, OWNER.password);
    await owner.goto(`${server.url}/runs/${runId}`);
    await owner.locator('.run-intro').getByText('Never ship an order').waitFor();
    await owner.locator('#step-1 .step-notes').getByText('Bank transfer shows as pending').waitFor();
    await snap(owner, `notes-waiting-run-${name}-owner`);
    await owner.locator('#step-1').screenshot({ path: shot(`notes-waiting-step-${name}-owner`) });
    await owner.setViewportSize(viewport);
    await owner.screenshot({ path: shot(`notes-waiting-run-top-${name}-owner`) });
    await owner.goto(`${server.url}/`);
    await snap(owner, `notes-waiting-home-${name}`);
    await owner.goto(`${server.url}/runs/${runId}/print`);
    const paper = owner.locator('.pr-paper');
    await paper.locator('.pr-intro').getByText('Never ship an order whose payment is only authorised').waitFor();
    await paper.getByText('Waiting since').waitFor();
    await paper.locator('.pr-notes').getByText('Bank transfer shows as pending').waitFor();
    await snap(owner, `notes-waiting-print-${name}`);
    await owner.close();
  }
});

test('in the HTML print a bullet list lines up with its text: each bullet sits left of its words, inside the step', async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page, server.url, OWNER.email, OWNER.password);
  const run = startRun(server.db, { runbook: 'monthly-invoicing', title: 'Invoices for December', fields: {}, startedBy: null });
  await page.goto(`${server.url}/runs/${run}/print`);
  const items = page.locator('.pr-step .pr-prose ul > li:not(:has(.pr-box))');
  expect(await items.count()).toBeGreaterThan(0);
  // The test's TypeScript has no DOM types: the page's own window is reached through globalThis.
  const placement = await items.evaluateAll((lis) =>
    lis.map((li) => {
      const style = (
        globalThis as unknown as { getComputedStyle: (el: unknown) => { listStylePosition: string; listStyleType: string } }
      ).getComputedStyle(li);
      const prose = li.closest('.pr-prose')?.getBoundingClientRect();
      return {
        proseLeft: prose?.left ?? 0,
        itemLeft: li.getBoundingClientRect().left,
        position: style.listStylePosition,
        type: style.listStyleType,
      };
    }),
  );
  for (const p of placement) {
    // An outside marker hangs left of its item: the item must stand in far enough for it to stay on the paper's text column.
    expect(p.position).toBe('outside');
    expect(p.itemLeft - p.proseLeft).toBeGreaterThanOrEqual(12);
    expect(p.type).toBe('disc');
  }
  await snap(page, 'print-bullets-desktop');
  await page.close();
});
