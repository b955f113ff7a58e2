/**
 * `npm run bench`: the store's figures, each against a baseline measured in the same run.
 *   1. importing 1,000 generated runbooks of 10 steps into a fresh database (target < 3 s);
 *   2. GET /api/runs/:id for a 40-step run (target >= 0.6 of hello-world requests/s), and
 *      the same for runs whose JSON is not cached (every read follows a change);
 *   3. the signed-in run page of that run, GET /runs/:id (target >= 0.4);
 *   4. completing steps, POST /api/runs/:id/steps/:n/complete (target >= 0.5).
 * HTTP figures come from autocannon at 32 connections against a server in a child process,
 * with sign-in on: every app request carries an owner's API token.
 * BENCH_SECONDS sets the duration of each HTTP measurement (default 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../server/db/open';
import { migrate } from '../../server/db/migrate';
import { importDirectory } from '../../server/runbooks/import';
import { insertPerson, insertRole, upsertRoleMember } from '../../server/people/repo';
import { startRun } from '../../server/runs/start';
import { RUN_CACHE_LIMIT } from '../../server/runs/cache';
import { createApiToken } from '../../server/auth/tokens';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions';
import { generateRunbook } from './generate';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ROOT = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-bench-'));

function benchImport() {
  const dir = path.join(work, 'import');
  fs.mkdirSync(dir);
  for (let i = 1; i <= 1000; i++) fs.writeFileSync(path.join(dir, `generated-${i}.md`), generateRunbook(i, 10));
  const db = openDatabase(path.join(work, 'import.sqlite'));
  migrate(db);
  const started = process.hrtime.bigint();
  const report = importDirectory(db, dir);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  if (report.created.length !== 1000) throw new Error(`import created ${report.created.length} runbooks: ${JSON.stringify(report.problems.slice(0, 3))}`);
  return seconds;
}

/** A database with a 40-step run to read and enough open steps to complete for the whole measurement. */
function seedHttpDatabase(file: string) {
  const db = openDatabase(file);
  migrate(db);
  const person = insertPerson(db, { name: 'Bench Person', email: 'bench@example.com', kind: 'team', hourlyCostCents: null, active: true, level: 'owner' });
  // Sign-in is on: the server is set up (an owner with a password) and every request carries
  // this owner's API token.
  db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)").run(person.id, new Date().toISOString());
  const { token } = createApiToken(db, person.id, 'bench');
  const { cookie } = createSession(db, { personId: person.id });
  const role = insertRole(db, 'Fulfillment VA');
  upsertRoleMember(db, role.id, person.id, true);
  const dir = path.join(work, 'http-runbooks');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'forty-steps.md'), generateRunbook(40, 40));
  fs.writeFileSync(path.join(dir, 'forty-plain-steps.md'), generateRunbook(41, 40, { checks: false, optional: false }));
  importDirectory(db, dir);
  const readRunId = startRun(db, { runbook: 'forty-steps', title: 'Order #1042', startedBy: person.id });
  const completionRuns = db.transaction(() =>
    // More runs than the run cache holds, so that cycling through them reads each one cold.
    Array.from({ length: RUN_CACHE_LIMIT + 500 }, (_, i) => startRun(db, { runbook: 'forty-plain-steps', title: `Order #${i}`, startedBy: person.id })),
  )();
  db.close();
  return { token, cookie, readRunId, completionRuns };
}

async function startServer(args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'serve.ts'), ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, child };
}

interface Figures {
  rps: number;
  p99: number;
  non2xx: number;
}

async function measure(options: autocannon.Options): Promise<Figures> {
  await autocannon({ ...options, duration: Math.min(2, SECONDS), connections: CONNECTIONS }); // warm-up
  const result = await autocannon({ ...options, duration: SECONDS, connections: CONNECTIONS });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function main() {
  console.log(`Benchmark: ${os.cpus().length} cores, node ${process.version}, ${SECONDS}s per HTTP figure, ${CONNECTIONS} connections\n`);
  const importSeconds = benchImport();
  const seeded = seedHttpDatabase(path.join(work, 'http.sqlite'));

  const hello = await startServer(['hello']);
  const baseline = await measure({ url: `http://127.0.0.1:${hello.port}/hello` });
  hello.child.kill();

  const app = await startServer(['app', path.join(work, 'http.sqlite')]);
  const auth = { authorization: `Bearer ${seeded.token}` };
  const read = await measure({ url: `http://127.0.0.1:${app.port}/api/runs/${seeded.readRunId}`, headers: auth });
  const page = await measure({
    url: `http://127.0.0.1:${app.port}/runs/${seeded.readRunId}`,
    // As a browser asks for it: with its session cookie, accepting HTML and gzip.
    headers: { cookie: `${SESSION_COOKIE}=${seeded.cookie}`, accept: 'text/html', 'accept-encoding': 'gzip' },
  });
  // A different run each request, cycling through more runs than the JSON cache holds, so
  // every read builds its document: the cost of the first read after a change.
  let nextRead = 0;
  const coldRead = await measure({
    url: `http://127.0.0.1:${app.port}`,
    headers: auth,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/api/runs/${seeded.completionRuns[nextRead++ % seeded.completionRuns.length]}` }) }],
  });

  // Each request completes the next open step: run by run, step by step.
  let next = 0;
  const body = JSON.stringify({ note: 'packed' });
  const completion = await measure({
    url: `http://127.0.0.1:${app.port}`,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body,
        setupRequest: (request) => {
          const run = seeded.completionRuns[Math.floor(next / 40) % seeded.completionRuns.length];
          const position = (next % 40) + 1;
          next++;
          return { ...request, path: `/api/runs/${run}/steps/${position}/complete` };
        },
      },
    ],
  });
  app.child.kill();

  const row = (name: string, f: Figures, target?: number) => {
    const ratio = f.rps / baseline.rps;
    const verdict = target === undefined ? '' : ratio >= target ? `  (target >= ${target}: met)` : `  (target >= ${target}: MISSED)`;
    return `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(7)} req/s  p99 ${String(f.p99).padStart(4)} ms  ratio ${ratio.toFixed(2)}${verdict}${f.non2xx ? `  [${f.non2xx} non-2xx/errors]` : ''}`;
  };
  console.log(`import 1,000 runbooks x 10 steps     ${importSeconds.toFixed(2)} s  (target < 3 s: ${importSeconds < 3 ? 'met' : 'MISSED'})`);
  console.log(row('GET /hello (baseline)', baseline));
  console.log(row('GET /api/runs/:id (40 steps)', read, 0.6));
  console.log(row('  same, first read after a change', coldRead));
  console.log(row('GET /runs/:id page, signed in', page, 0.4));
  console.log(row('POST .../steps/:n/complete', completion, 0.5));
  fs.rmSync(work, { recursive: true, force: true });
  // A figure made of error responses measures nothing: fail loudly rather than report it.
  if ([baseline, read, coldRead, page, completion].some((f) => f.non2xx > 0)) {
    console.error('\nSome requests failed (non-2xx): the figures above are not valid.');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
