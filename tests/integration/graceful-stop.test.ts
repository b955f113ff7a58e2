import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { preparedDatabase, startServer, tempDir, writeLoad } from '../helpers/server-process';

/**
 * Stopping the real server (a child process) while clients write: SIGTERM and SIGINT, as a
 * service manager and Ctrl-C send them.
 */

const { dir, cleanup } = tempDir('stop');
afterAll(cleanup);

const titlesIn = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(db.prepare('SELECT title FROM runs').pluck().all() as string[]);
  } finally {
    db.close();
  }
};

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s under write load', (signal) => {
  test('the server stops taking connections, answers what it took, exits 0 within 10 s, and every acknowledged write is in the database', async () => {
    const { file, token, runbooksDir } = preparedDatabase(path.join(dir, signal));
    const server = await startServer({ DATABASE_PATH: file, RUNBOOKS_DIR: runbooksDir });
    const load = writeLoad(server.url, token, { connections: 12, prefix: signal });
    // Writing for a while first: there are requests in flight when the signal comes.
    while (load.acknowledged.length < 50) await new Promise((resolve) => setTimeout(resolve, 20));
    const { code, ms } = await server.stop(signal);
    await load.ended;

    expect({ code, withinTenSeconds: ms < 10_000 }).toEqual({ code: 0, withinTenSeconds: true });
    expect(load.failures).toEqual([]);
    expect(server.output()).toContain(`${signal}: stopping`);
    expect(server.output()).toContain('"msg":"Stopped"');
    const stored = titlesIn(file);
    expect(load.acknowledged.filter(({ title }) => !stored.has(title))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(load.acknowledged.length);
  }, 60_000);
});

test('a request whose body is still arriving when the signal comes is answered, and its connection closed after', async () => {
  const { file, token, runbooksDir } = preparedDatabase(path.join(dir, 'in-flight'));
  const server = await startServer({ DATABASE_PATH: file, RUNBOOKS_DIR: runbooksDir });
  const body = JSON.stringify({ runbook: 'ops', title: 'in flight' });
  const req = http.request(`${server.url}/api/runs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stopped = server.stop('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  req.end(body.slice(10));
  expect(await answer).toMatchObject({ status: 201, connection: 'close' });
  expect((await stopped).code).toBe(0);
  expect(titlesIn(file).has('in flight')).toBe(true);
}, 60_000);
