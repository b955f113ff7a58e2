// First: V8's memory settings hold for everything loaded after them.
import './memory';
import net from 'node:net';
import type { ServerResponse } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open';
import { migrate, MigrationError } from './db/migrate';
import { formatChangedInApp, formatProblem, importDirectory } from './runbooks/import';
import { startScheduler } from './runs/scheduler';
import { refreshStoredHtml } from './markdown/stored';
import { backfillReviewDates } from './runbooks/reviews';
import { issueSetupToken } from './auth/setup';
import { loadKeyFile } from './auth/secrets';
import { startRetention } from './retention';
import { smtpMailer } from './notify/mailer';
import { startNotifier } from './notify/worker';
import { startWebhooks } from './webhooks/worker';
import { createServer } from './http/server';
import { createLogger } from './http/log';

/** How long a stop waits for requests in flight before it closes their connections. */
const STOP_GRACE_MS = 8_000;

/**
 * PORT=0 means any free port (tests start servers so). It is chosen here, before the app is
 * made, because every link the app makes names the address it listens on.
 */
async function choosePort(port: number): Promise<number> {
  if (port !== 0) return port;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, resolve));
  const chosen = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return chosen;
}

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied.length > 0) log.info(`Database ${config.databasePath}: applied ${applied.join(', ')}`);
  const key = loadKeyFile(config.keyFile);

  refreshStoredHtml(db);
  // Runbooks stored before reviews were kept get their due date (once; a no-op after).
  backfillReviewDates(db);
  const report = importDirectory(db, config.runbooksDir);
  log.info(
    `Runbooks from ${config.runbooksDir}: ${report.created.length} new, ${report.updated.length} updated, ` +
      `${report.unchanged.length} unchanged, ` +
      (report.changedInApp.length > 0 ? `${report.changedInApp.length} changed in the app and kept as they are, ` : '') +
      `${report.problems.length} problem(s)`,
  );
  // The start-up import never forces: an upgrade's runbook files never revert an owner's edits.
  for (const kept of report.changedInApp) log.warn(formatChangedInApp(kept));
  for (const problem of report.problems) log.warn(formatProblem(problem));

  const port = await choosePort(config.port);
  // Links (emails, invitations, personal links, QR codes) never come from a request's Host
  // header, which anyone can set: PUBLIC_URL, or the address this server listens on.
  const baseUrl = config.publicUrl ?? `http://localhost:${port}`;
  if (!config.publicUrl) {
    log.warn(
      `PUBLIC_URL is not set: links in emails, invitations and personal links point to ${baseUrl}, ` +
        'which opens only on this computer. Set PUBLIC_URL to the address people open (e.g. https://ops.example.com).',
    );
  }

  const stopScheduler = startScheduler(db, (message) => log.info(message));
  const mailer = config.smtpUrl ? smtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : null;
  if (!mailer) log.info('Email: SMTP_URL is not set; messages are kept in the outbox (Team → Outbox)');
  const links = { key, days: config.linkDays };
  const stopRetention = startRetention(db, config, (message) => log.info(message));
  let stopNotifier = async () => {};
  let stopWebhooks = async () => {};
  if (config.webhooksAllowPrivate)
    log.warn('WEBHOOKS_ALLOW_PRIVATE=true: webhooks may go to http:// and local addresses (for development only)');
  const app = createApp({
    db,
    config: { ...config, baseUrl, key },
    logger: log,
    log: (error) => log.error({ err: error }, 'Unexpected error'),
  });
  const server = createServer(app);
  // Before listening: a port in use (or not allowed) must stop the start with a message, not
  // leave a process that prints an address it does not serve. Like a bad setting, it is told in
  // plain words on standard error.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on PORT=${config.port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}`);
    db.close();
    process.exit(1);
  };
  server.once('error', cannotListen);
  server.listen(port, () => {
    server.off('error', cannotListen);
    log.info({ port }, `Runbook manager is running: open ${baseUrl}/`);
    stopNotifier = startNotifier(db, { mailer, baseUrl, links, digestHour: config.digestHour, log: (message) => log.info(message) });
    stopWebhooks = startWebhooks(db, { allowPrivate: config.webhooksAllowPrivate, log: (message) => log.info(message) });
    const setupToken = issueSetupToken(db);
    if (setupToken) {
      // The one way in on a fresh install, so it is printed (once, at start) although it is a
      // secret: it works until the owner account exists, and never again.
      log.info(`No owner account yet. Create it with this one-time link (nothing else works until then): ${baseUrl}/setup/${setupToken}`);
    }
  });

  // A stop (SIGTERM from a service manager, SIGINT from Ctrl-C): take no new connections, let
  // the requests in flight finish (their group commit with them: no response leaves before its
  // commit), let a mail send in progress end, then close the database and exit 0. A request
  // still running after STOP_GRACE_MS has its connection closed (its batch is rolled back, and
  // it was never acknowledged) and the exit code is 1. A second signal stops at once.
  let stopping = false;
  // Keep-alive connections would hold the server open: from the stop on, every response closes
  // its connection, those in flight included, and a connection that goes idle is closed.
  const inFlight = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (stopping) server.closeIdleConnections();
    });
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again: stopping now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: stopping (no new connections; requests in flight finish)`);
    // Whatever happens below, the process is gone before a service manager's usual 10 s.
    setTimeout(() => {
      log.error('The stop took too long: exiting');
      process.exit(1);
    }, STOP_GRACE_MS + 1_500).unref();
    stopScheduler();
    stopRetention();
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let forced = false;
    const grace = setTimeout(() => {
      forced = true;
      log.warn(`Requests still running after ${STOP_GRACE_MS / 1000} s: closing their connections`);
      server.closeAllConnections();
    }, STOP_GRACE_MS);
    await closed;
    clearTimeout(grace);
    await stopNotifier();
    await stopWebhooks();
    // A batch a vanished client left open is committed or rolled back in the next turn.
    while (db.inTransaction) await new Promise((resolve) => setImmediate(resolve));
    db.close();
    log.info('Stopped');
    log.flush();
    process.exit(forced ? 1 : 0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
