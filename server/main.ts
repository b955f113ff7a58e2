// First: V8's memory settings hold for everything loaded after them.
import './memory';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open';
import { migrate, MigrationError } from './db/migrate';
import { formatProblem, importDirectory } from './runbooks/import';
import { startScheduler } from './runs/scheduler';
import { refreshStoredHtml } from './markdown/stored';
import { issueSetupToken } from './auth/setup';
import { startRetention } from './retention';
import { smtpMailer } from './notify/mailer';
import { startNotifier } from './notify/worker';
import { createServer } from './http/server';

function main() {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied.length > 0) console.log(`Database ${config.databasePath}: applied ${applied.join(', ')}`);

  refreshStoredHtml(db);
  const report = importDirectory(db, config.runbooksDir);
  console.log(
    `Runbooks from ${config.runbooksDir}: ${report.created.length} new, ${report.updated.length} updated, ` +
      `${report.unchanged.length} unchanged, ${report.problems.length} problem(s)`,
  );
  for (const problem of report.problems) console.warn(`  ${formatProblem(problem)}`);

  const stopScheduler = startScheduler(db);
  const mailer = config.smtpUrl ? smtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }) : null;
  if (!mailer) console.log('Email: SMTP_URL is not set; messages are kept in the outbox (Team → Outbox)');
  const stopRetention = startRetention(db, config);
  let stopNotifier = () => {};
  const app = createApp({ db, config });
  const server = createServer(app);
  // Before listening: a port in use (or not allowed) must stop the start with a message, not
  // leave a process that prints an address it does not serve.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on PORT=${config.port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}`);
    db.close();
    process.exit(1);
  };
  server.once('error', cannotListen);
  server.listen(config.port, () => {
    server.off('error', cannotListen);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const base = config.publicUrl ?? `http://localhost:${port}`;
    console.log(`Runbook manager is running: open ${base}/`);
    stopNotifier = startNotifier(db, { mailer, baseUrl: base, digestHour: config.digestHour });
    const setupToken = issueSetupToken(db);
    if (setupToken) {
      console.log(
        `\nNo owner account yet. Create it with this one-time link (nothing else works until then):\n  ${base}/setup/${setupToken}\n`,
      );
    }
  });
  const stop = () => {
    stopScheduler();
    stopNotifier();
    stopRetention();
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
