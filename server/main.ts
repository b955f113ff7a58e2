import net from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open';
import { migrate, MigrationError } from './db/migrate';
import { formatProblem, importDirectory } from './runbooks/import';
import { startScheduler } from './runs/scheduler';
import { refreshStoredHtml } from './markdown/stored';
import { issueSetupToken } from './auth/setup';
import { purgeEnded } from './auth/purge';
import { loadKeyFile } from './auth/secrets';
import { smtpMailer } from './notify/mailer';
import { startNotifier } from './notify/worker';
import { createServer } from './http/server';

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
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied.length > 0) console.log(`Database ${config.databasePath}: applied ${applied.join(', ')}`);
  const key = loadKeyFile(config.keyFile);

  refreshStoredHtml(db);
  const report = importDirectory(db, config.runbooksDir);
  console.log(
    `Runbooks from ${config.runbooksDir}: ${report.created.length} new, ${report.updated.length} updated, ` +
      `${report.unchanged.length} unchanged, ${report.problems.length} problem(s)`,
  );
  for (const problem of report.problems) console.warn(`  ${formatProblem(problem)}`);

  const port = await choosePort(config.port);
  // Links (emails, invitations, personal links, QR codes) never come from a request's Host
  // header, which anyone can set: PUBLIC_URL, or the address this server listens on.
  const baseUrl = config.publicUrl ?? `http://localhost:${port}`;
  if (!config.publicUrl) {
    console.warn(
      `PUBLIC_URL is not set: links in emails, invitations and personal links point to ${baseUrl}, ` +
        'which opens only on this computer. Set PUBLIC_URL to the address people open (e.g. https://ops.example.com).',
    );
  }

  const stopScheduler = startScheduler(db);
  const mailer = config.smtpUrl ? smtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : null;
  if (!mailer) console.log('Email: SMTP_URL is not set; messages are kept in the outbox (Team → Outbox)');
  const links = { key, days: config.linkDays };
  purgeEnded(db);
  const purge = setInterval(() => purgeEnded(db), 3600_000);
  purge.unref();
  let stopNotifier = () => {};
  const app = createApp({ db, config: { ...config, baseUrl, key } });
  const server = createServer(app);
  // Before listening: a port in use (or not allowed) must stop the start with a message, not
  // leave a process that prints an address it does not serve.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on PORT=${config.port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}`);
    db.close();
    process.exit(1);
  };
  server.once('error', cannotListen);
  server.listen(port, () => {
    server.off('error', cannotListen);
    console.log(`Runbook manager is running: open ${baseUrl}/`);
    stopNotifier = startNotifier(db, { mailer, baseUrl, links, digestHour: config.digestHour });
    const setupToken = issueSetupToken(db);
    if (setupToken) {
      console.log(
        `\nNo owner account yet. Create it with this one-time link (nothing else works until then):\n  ${baseUrl}/setup/${setupToken}\n`,
      );
    }
  });
  const stop = () => {
    stopScheduler();
    stopNotifier();
    clearInterval(purge);
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
