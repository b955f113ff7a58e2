import type { Browser } from 'playwright-core';
import { issueSetupToken } from '../../server/auth/setup';
import { createAccessLink } from '../../server/auth/links';
import { makePerson, makeRole, makeRunbook, runbookMarkdown, givePassword } from '../helpers/factories';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

jest.setTimeout(60_000);

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

const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };

test('the owner sets up the server from the one-time link', async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  expect((await page.goto(`${server.url}/`))?.status()).toBe(503);
  await page.goto(`${server.url}/setup/${issueSetupToken(server.db)}`);
  await page.getByLabel('Your name').fill('Olive Owner');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await page.getByText('Password is one of the most common passwords').waitFor();
  expect(await page.getByLabel('Your name').inputValue()).toBe('Olive Owner');
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await page.getByRole('heading', { name: 'Hello, Olive Owner' }).waitFor();
  await page.close();
});

describe('a run worked by a team at phone width', () => {
  let runId: number;
  const people: Record<string, { id: number; email: string }> = {};

  beforeAll(async () => {
    const vera = makePerson(server.db, { name: 'Vera VA', email: 'vera@example.com' });
    const sam = makePerson(server.db, { name: 'Sam Support', email: 'sam@example.com' });
    const otto = makePerson(server.db, { name: 'Otto Dupes', email: 'otto@example.com', level: 'outsourcer' });
    await givePassword(server.db, vera.id, 'vera walks by the river');
    await givePassword(server.db, sam.id, 'sam walks by the river');
    makeRole(server.db, 'Packer', [vera]);
    makeRole(server.db, 'Duplication house', [otto]);
    makeRunbook(
      server.db,
      'ship',
      runbookMarkdown('Ship an order', [
        { title: 'Pack the box', owner: 'Packer', due: '+2h', checks: ['Binder inside', 'Slip on top'], body: 'Use the small box.' },
        { title: 'Burn the CDs', owner: 'Duplication house', body: 'Disc master is in the shared drive.' },
        { title: 'Post it', owner: 'Packer', checks: ['Label printed'] },
      ]),
    );
    Object.assign(people, { vera, sam, otto });
  });

  test('Vera starts a run and ticks through her steps on her phone, without reloading', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await signIn(page, server.url, 'vera@example.com', 'vera walks by the river');
    const started = await page.request.post(`${server.url}/api/runs`, {
      data: { runbook: 'ship', title: 'Order #1042' },
      headers: { 'x-csrf-token': await page.locator('input[name=_csrf]').first().inputValue() },
    });
    expect(started.status()).toBe(201);
    runId = (await started.json()).id;
    await page.goto(`${server.url}/runs/${runId}`);
    const step1 = page.locator('#step-1');
    await step1.getByRole('button', { name: 'Binder inside' }).click();
    await step1.getByRole('button', { name: 'Binder inside' }).and(page.locator('[aria-pressed=true]')).waitFor();
    await step1.getByRole('button', { name: 'Slip on top' }).click();
    await step1.getByRole('button', { name: 'Slip on top' }).and(page.locator('[aria-pressed=true]')).waitFor();
    await step1.getByRole('button', { name: 'Complete step' }).click();
    await page.locator('#step-1.step--complete').waitFor();
    expect(await page.locator('#step-1 .step-done').innerText()).toMatch(/Done by Vera VA/);
    expect(await page.getByText('1 of 3 steps done').count()).toBe(1);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await snap(page, 'run-phone');
    await page.close();
  });

  test('Vera hands her last step to Sam, and it shows in his My work', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await signIn(page, server.url, 'vera@example.com', 'vera walks by the river');
    await page.goto(`${server.url}/runs/${runId}`);
    const step3 = page.locator('#step-3');
    await step3.getByText('Hand this step to someone else').click();
    await step3.getByLabel('Give it to').selectOption({ label: 'Sam Support' });
    await step3.getByLabel('Why').fill('Vera is at the post office early');
    await step3.getByRole('button', { name: 'Hand over' }).click();
    await page.locator('#step-3').getByText('Sam Support').first().waitFor();
    expect(await page.locator('.activity-list').innerText()).toContain(
      'handed “Post it” from Vera VA to Sam Support (Vera is at the post office early)',
    );
    expect(await page.locator('#step-3 .handoffs').innerText()).toContain('Handed from Vera VA to Sam Support by Vera VA');
    await page.close();

    const sams = await browser.newPage({ viewport: DESKTOP });
    await signIn(sams, server.url, 'sam@example.com', 'sam walks by the river');
    await sams.goto(`${server.url}/my-work`);
    const link = sams.getByRole('link', { name: 'Post it' });
    expect(await link.getAttribute('href')).toBe(`/runs/${runId}#step-3`);
    await link.click();
    await sams.locator('#step-3').getByRole('button', { name: 'Label printed' }).waitFor();
    await snap(sams, 'my-work-sam');
    await sams.close();
  });

  test('the outsourcer opens a personal link and sees only his own step', async () => {
    const { token } = createAccessLink(server.db, server.links, people.otto!.id, null);
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`${server.url}/l/${token}`);
    await page.getByRole('heading', { name: 'My work' }).waitFor();
    await page.getByRole('link', { name: 'Burn the CDs' }).click();
    await page.getByText('Disc master is in the shared drive.').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('Pack the box');
    expect(text).not.toContain('Post it');
    expect(text).not.toContain('Use the small box');
    expect((await page.goto(`${server.url}/runbooks`))?.status()).toBe(403);
    expect((await page.goto(`${server.url}/people`))?.status()).toBe(403);
    await snap(page, 'outsourcer-link');
    await page.close();
  });
});

test("a step's checks are shown once, as the live ones, even when a bullet list stands just before them", async () => {
  const olive = makePerson(server.db, { name: 'Olive Twice', email: 'olive.twice@example.com' });
  await givePassword(server.db, olive.id, 'olive walks by the river');
  makeRole(server.db, 'Shipper', [olive]);
  // marked reads the bullets and the checks as one loose list: the boxes land inside paragraphs.
  makeRunbook(
    server.db,
    'label',
    runbookMarkdown('Buy the label', [
      {
        title: 'Buy the label',
        owner: 'Shipper',
        body: '- Domestic: Ground Advantage.\n- International: First-Class.\n\n- [ ] Service chosen\n- [ ] Label attached',
      },
    ]),
  );
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page, server.url, 'olive.twice@example.com', 'olive walks by the river');
  const started = await page.request.post(`${server.url}/api/runs`, {
    data: { runbook: 'label', title: 'Order #7' },
    headers: { 'x-csrf-token': await page.locator('input[name=_csrf]').first().inputValue() },
  });
  await page.goto(`${server.url}/runs/${(await started.json()).id}`);
  const step = page.locator('#step-1');
  await step.getByRole('button', { name: 'Service chosen' }).waitFor();
  expect(await step.locator('.step-body input[type=checkbox]:visible').count()).toBe(0);
  expect(await step.locator('.step-body li:visible').allInnerTexts()).toEqual([
    'Domestic: Ground Advantage.',
    'International: First-Class.',
  ]);
  await snap(page, 'run-checks-once-phone');
  // Pressing Complete with checks open is answered beside the button, on the screen the person is on.
  await step.getByText('2 checks left to tick').waitFor();
  await step.getByRole('button', { name: 'Complete step' }).click();
  const refusal = step.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/still has 2 open check/);
  expect(await refusal.isVisible()).toBe(true);
  const box = await refusal.boundingBox();
  expect(box !== null && box.y >= 0 && box.y + box.height <= PHONE.height).toBe(true);
  await snap(page, 'run-refusal-beside-button-phone');
  await page.close();
});
