import type { Browser, Page } from 'playwright-core';
import { makePerson, makeRole, makeRunbook, givePassword } from '../helpers/factories';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(90_000);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

const REFUND = `---
title: Process a refund request
fields:
  - Order number (text, required)
  - Amount (money, required)
  - Reason (one of: Damaged | Late | Changed mind | Other)
run-title: "Refund for order {Order number}"
---

A refund goes back the way the money came.

## Check the order
Owner: Support VA
Field: Original payment method (one of: Card | PayPal | Cheque, required)
Field: Order date (date)

- [ ] The order exists and was paid

## Approve the refund
Owner: Support VA
When: Amount > 100
Approval: Owner

## Send the money back
Owner: Support VA
Due: 2d after Order date
Field: Refund reference (text, required)
`;

const VAL = { email: 'val@example.com', password: 'val walks by the river' };
const OTTO = { email: 'otto@example.com', password: 'otto walks by the river' };

async function waitForRun(page: Page) {
  await page.waitForLoadState('load');
  await page.locator('.run').waitFor();
}

test('a VA on a phone starts a refund with its fields, switches the approval on, and the owner approves it', async () => {
  const val = makePerson(server.db, { name: 'Val Assistant', email: VAL.email });
  const otto = makePerson(server.db, { name: 'Otto Owner', email: OTTO.email, level: 'owner' });
  await givePassword(server.db, val.id, VAL.password);
  await givePassword(server.db, otto.id, OTTO.password);
  makeRole(server.db, 'Support VA', [val]);
  makeRole(server.db, 'Owner', [otto]);
  makeRunbook(server.db, 'refund', REFUND);

  const phone = await browser.newPage({ viewport: PHONE });
  await signIn(phone, server.url, VAL.email, VAL.password);
  await phone.goto(`${server.url}/runbooks/refund`);
  // A required field left empty: the form comes back with the error beside it, nothing started.
  await phone.getByLabel('Order number').fill('1042');
  await phone.getByRole('button', { name: 'Start a run' }).click();
  await phone.getByText('Amount is required to start this run').waitFor();
  expect(await phone.getByLabel('Order number').inputValue()).toBe('1042');
  await phone.getByLabel('Amount').fill('42.50');
  await phone.getByLabel('Reason').selectOption('Late');
  await snap(phone, 'fields-start-375');
  await phone.getByRole('button', { name: 'Start a run' }).click();
  await waitForRun(phone);
  await phone.getByRole('heading', { name: 'Refund for order 1042' }).waitFor();
  const approvalStep = phone.locator('#step-2');
  expect(await approvalStep.getAttribute('class')).toContain('step--not-needed');
  await approvalStep.getByText('Not needed in this run: Amount > 100 does not hold').waitFor();

  // The amount was 142.50 after all: the approval step is needed.
  await phone.locator('.record').getByText('Change Amount').click();
  await phone.locator('.record').getByLabel('Amount').fill('142.50');
  await phone.locator('.record').getByRole('button', { name: 'Save' }).first().click();
  await phone.locator('.record').getByText('142.50').waitFor();
  await phone.locator('#step-2.step--open').waitFor();

  // Step 1: a required field must be filled before it can be completed.
  const first = phone.locator('#step-1');
  await first.getByRole('button', { name: 'The order exists and was paid' }).click();
  await first.locator('.check--on').waitFor();
  await first.getByRole('button', { name: 'Complete step' }).click();
  await phone.getByText('needs Original payment method filled before it can be completed').waitFor();
  await first.getByLabel('Original payment method').selectOption('Card');
  await first.getByRole('button', { name: 'Save' }).first().click();
  await phone.locator('#step-1').getByLabel('Original payment method').waitFor();
  expect(await phone.locator('#step-1').getByLabel('Original payment method').inputValue()).toBe('Card');
  await phone.locator('#step-1').getByLabel('Order date').fill('2026-12-10');
  await phone.locator('#step-1').getByRole('button', { name: 'Save' }).nth(1).click();
  await phone
    .locator('#step-3')
    .getByText(/due .*12 Dec 2026/)
    .waitFor();
  await phone.locator('#step-1').getByRole('button', { name: 'Complete step' }).click();
  await phone.locator('#step-1.step--complete').waitFor();

  // Step 2 waits for the owner once the VA completes it; the VA cannot approve it.
  await phone.locator('#step-2').getByRole('button', { name: 'Complete step' }).click();
  await phone.locator('#step-2.step--awaiting-approval').waitFor();
  await phone.locator('#step-2').getByText('Waiting for approval by Owner').waitFor();
  expect(await phone.locator('#step-2').getByRole('button', { name: 'Approve' }).count()).toBe(0);
  await snap(phone, 'fields-run-375');
  await phone.close();

  const desk = await browser.newPage({ viewport: DESKTOP });
  await signIn(desk, server.url, OTTO.email, OTTO.password);
  const runId = (server.db.prepare("SELECT id FROM runs WHERE title = 'Refund for order 1042'").get() as { id: number }).id;
  await desk.goto(`${server.url}/runs/${runId}#step-2`);
  await waitForRun(desk);
  await snap(desk, 'fields-approve-desktop');
  await desk.locator('#step-2').getByRole('button', { name: 'Approve' }).click();
  await desk.locator('#step-2.step--complete').waitFor();
  await desk.locator('#step-2').getByText('Approved by Otto Owner').waitFor();
  await desk.close();

  const status = server.db.prepare('SELECT status FROM run_steps WHERE run_id = ? ORDER BY position').all(runId);
  expect(status).toEqual([{ status: 'complete' }, { status: 'complete' }, { status: 'open' }]);
});
