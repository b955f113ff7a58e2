import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { givePassword, makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { sendDueDeliveries } from '../../server/webhooks/send';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(90_000);

/**
 * The owner adds a webhook in the browser (a bad address first), runs happen, the receiver
 * answers once with success and once with an error, and the webhook's page shows each delivery
 * with its status and the receiver's answer, at phone and desktop width.
 */
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let owner: Page;
let receiver: http.Server;
let receiverUrl: string;
let answers = [200];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'Zap is turned off');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/catch/123`;
  server = await startServer({ webhooksAllowPrivate: true });
  const olive = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, olive.id, OWNER.password);
  makeRunbook(server.db, 'ship', runbookMarkdown('Ship a physical order', [{ title: 'Pack the box' }, { title: 'Post it' }]));
  browser = await launchBrowser();
  owner = await browser.newPage({ viewport: DESKTOP });
  await signIn(owner, server.url, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});
afterEach(() => expect(server.errors).toEqual([]));

test('the owner adds a webhook; a bad address is shown beside its field', async () => {
  await owner.goto(`${server.url}/`);
  await owner.getByRole('link', { name: 'Account' }).click();
  await owner.getByRole('link', { name: 'Webhooks' }).click();
  await owner.getByLabel('Address to send events to').fill('zapier hook');
  await owner.getByLabel(/A run started/).check();
  await owner.getByRole('button', { name: 'Add webhook' }).click();
  await owner.getByText('Is not a web address').waitFor();
  expect(await owner.getByLabel(/A run started/).isChecked()).toBe(true);
  await owner.getByLabel('Address to send events to').fill(receiverUrl);
  await owner.getByLabel(/A run was completed/).check();
  await owner.getByRole('button', { name: 'Add webhook' }).click();
  await owner.getByText('Webhook added.').waitFor();
});

test('deliveries show their status and the last answer, at phone and desktop width', async () => {
  answers = [200, 410];
  startRun(server.db, { runbook: 'ship', title: 'Order #1042', startedBy: null });
  startRun(server.db, { runbook: 'ship', title: 'Order #1043', startedBy: null });
  await sendDueDeliveries(server.db, { allowPrivate: true });
  await owner.goto(`${server.url}/webhooks`);
  await owner.getByRole('link', { name: receiverUrl }).click();
  await owner.getByText('Waiting to be sent: 1').waitFor();
  for (const summary of await owner.locator('.webhook-delivery summary').all()) await summary.click();
  await owner.getByText(/Last answer .*HTTP 410 — Zap is turned off/).waitFor();
  await snap(owner, 'webhook-desktop');
  await owner.setViewportSize(PHONE);
  await owner.reload();
  for (const summary of await owner.locator('.webhook-delivery summary').all()) await summary.click();
  // Nothing wider than the phone: long addresses wrap.
  expect(Number(await owner.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(PHONE.width);
  await snap(owner, 'webhook-phone');
  await owner.goto(`${server.url}/webhooks`);
  expect(Number(await owner.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(PHONE.width);
  await snap(owner, 'webhooks-phone');
  await owner.setViewportSize(DESKTOP);
  await owner.reload();
  await snap(owner, 'webhooks-desktop');
});
