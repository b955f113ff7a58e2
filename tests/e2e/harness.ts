import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../server/app';
import { createServer } from '../../server/http/server';
import { freshDb } from '../helpers/db';

export const CHROMIUM = '/usr/bin/chromium';
export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };

/** The app on a fresh database (not set up), listening on a free loopback port. */
export async function startServer(options: { webhooksAllowPrivate?: boolean } = {}) {
  const { db, dir, cleanup } = freshDb();
  const runbooksDir = path.join(dir, 'runbooks');
  fs.mkdirSync(runbooksDir);
  const errors: unknown[] = [];
  // The app's links name the address it listens on, as server/main.ts does without PUBLIC_URL: a free port first.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const url = `http://127.0.0.1:${port}`;
  const links = { key: crypto.randomBytes(32), days: 30 };
  const app = createApp({ db, config: { runbooksDir, baseUrl: url, key: links.key, ...options }, log: (error) => errors.push(error) });
  // Served as server/main.ts serves it, so the browser journeys run on the production server.
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    db,
    url,
    links,
    errors,
    runbooksDir,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      cleanup();
    },
  };
}

/** Debian's chromium, headless, as this machine and CI run it (installed by .ci/run). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Signs in through the sign-in page. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Screenshots go to tmp/screenshots (git-ignored) so people can look at what the tests saw. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = path.join(__dirname, '..', '..', 'tmp', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
