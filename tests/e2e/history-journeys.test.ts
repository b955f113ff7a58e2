import type { Browser } from 'playwright-core';
import { makePerson, makeRole, makeRunbook, runbookMarkdown, givePassword } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { addNote } from '../../server/runs/actions';
import { DESKTOP, launchBrowser, PHONE, signIn, snap, startServer } from './harness';

/**
 * A workspace with some history, in a browser with JavaScript off: home is a summary, the runs
 * page filters by day and "overdue" and goes on with a plain link, a busy run shows its latest
 * activity and the older behind a link.
 */

jest.setTimeout(90_000);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const OWNER = { email: 'olive@example.com', password: 'a long walk by the river' };
let busy: number;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const owner = makePerson(server.db, { name: 'Olive Owner', email: OWNER.email, level: 'owner' });
  await givePassword(server.db, owner.id, OWNER.password);
  const vera = makePerson(server.db, { name: 'Vera VA' });
  makeRole(server.db, 'Packer', [vera]);
  makeRole(server.db, 'Courier');
  makeRunbook(
    server.db,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack the box', owner: 'Packer', due: '+0m', checks: ['Binder inside'] },
      { title: 'Hand to the courier', owner: 'Courier', due: '+1d' },
    ]),
  );
  server.db.transaction(() => {
    for (let i = 0; i < 70; i++) {
      startRun(server.db, {
        runbook: 'ship',
        title: `Order #${1000 + i}`,
        startedBy: owner.id,
        now: new Date(2026, 9, 1 + (i % 60), 9 + (i % 8)),
      });
    }
  })();
  busy = startRun(server.db, { runbook: 'ship', title: 'Order #2000', startedBy: owner.id });
  const actor = { id: owner.id, name: owner.name, email: owner.email, level: 'owner' as const, via: 'session' as const };
  for (let i = 0; i < 80; i++) addNote(server.db, busy, 1 + (i % 2), { actor, rule: 'step.comment' }, `Note number ${i}`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(() => expect(server.errors).toEqual([]));

for (const [name, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`home is a summary, and the runs page filters and pages without JavaScript (${name})`, async () => {
    const context = await browser.newContext({ viewport, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, server.url, OWNER.email, OWNER.password);
    await page.getByRole('heading', { name: 'Hello, Olive Owner' }).waitFor();
    await page.getByText('71 runs are in progress').waitFor();
    await page.getByText('71 open steps have nobody on them').waitFor();
    await snap(page, `history-home-${name}`);

    await page.getByRole('link', { name: 'All runs in progress' }).click();
    await page.getByLabel('Started on or after').fill('2026-10-03');
    await page.getByLabel('Started on or before').fill('2026-10-20');
    await page.getByLabel('Only runs with overdue steps').check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('started 3 Oct 2026 to 20 Oct 2026').waitFor();
    await snap(page, `history-runs-filtered-${name}`);

    await page.goto(`${server.url}/runs`);
    await page.getByRole('link', { name: 'Older runs' }).click();
    await page
      .getByText('Older runs: ')
      .waitFor()
      .catch(() => page.getByText('Older runs.').waitFor());
    await page.getByRole('link', { name: 'Back to the start' }).waitFor();
    await snap(page, `history-runs-older-${name}`);

    await page.goto(`${server.url}/runs/${busy}`);
    await page.getByRole('heading', { name: 'Latest activity' }).waitFor();
    await page.getByText('Note number 79').first().waitFor();
    await snap(page, `history-run-${name}`);
    await page.getByRole('link', { name: 'Older activity' }).click();
    await page.getByRole('heading', { name: 'Earlier activity' }).waitFor();
    await page.getByText('noted on “Hand to the courier”: Note number 29').waitFor();
    await snap(page, `history-activity-${name}`);
    await context.close();
  });
}
