/**
 * A server for the benchmark, in its own process so that autocannon (in the parent) and the
 * server do not share a core. Prints the port it listens on as its first line.
 *   hello            the baseline: Express answering a fixed string, served by app.listen()
 *                    as any Express hello-world is;
 *   hello-as-app     the same app served as the product serves its own (server/http/server.ts);
 *   app DATABASE     the product, served as server/main.ts serves it, request log included.
 */
import express from 'express';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import { createServer } from '../../server/http/server';
import { createLogger } from '../../server/http/log';
import pino from 'pino';

const [mode, databasePath] = process.argv.slice(2);

function helloWorld() {
  const app = express();
  app.get('/hello', (_req, res) => {
    res.send('Hello, world');
  });
  return app;
}

function listen() {
  if (mode === 'hello') return helloWorld().listen(0, '127.0.0.1');
  if (mode === 'hello-as-app') return createServer(helloWorld()).listen(0, '127.0.0.1');
  if (mode === 'app' && databasePath) {
    // With its request log, as npm start runs it: one JSON line per request, written synchronously
    // (to /dev/null here: the bench reads this process's standard output for the port).
    const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
    return createServer(
      createApp({ db: openDatabase(databasePath), config: { runbooksDir: 'runbooks', baseUrl: 'http://127.0.0.1' }, logger }),
    ).listen(0, '127.0.0.1');
  }
  throw new Error('usage: serve.ts hello | hello-as-app | app DATABASE_PATH');
}

const server = listen().once('listening', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : '');
});

// Exit normally on a signal, so that `node --cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
