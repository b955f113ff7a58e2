/**
 * A server for the benchmark, in its own process so that autocannon (in the parent) and the
 * server do not share a core. `hello` is the baseline: Express answering a fixed string.
 * Prints the port it listens on as its first line.
 */
import express from 'express';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';

const [mode, databasePath] = process.argv.slice(2);

function build() {
  if (mode === 'hello') {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('Hello, world');
    });
    return app;
  }
  if (mode === 'app' && databasePath) return createApp({ db: openDatabase(databasePath), config: { runbooksDir: 'runbooks' } });
  throw new Error('usage: serve.ts hello | app DATABASE_PATH');
}

const server = build().listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : '');
});

// Exit normally on a signal, so that `node --cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
