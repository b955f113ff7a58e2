/**
 * `npm run bench`: the store's figures, each against a baseline measured in the same run.
 *   1. importing 1,000 generated runbooks of 10 steps into a fresh database (target < 3 s);
 *   2. GET /api/runs/:id for a 40-step run (target >= 0.6 of hello-world requests/s), and
 *      the same for runs whose JSON is not cached (every read follows a change);
 *   3. the signed-in run page of that run, GET /runs/:id (target >= 0.4);
 *   4. completing steps, POST /api/runs/:id/steps/:n/complete (target >= 0.5); ticking a
 *      check and filling a step field, measured in the same rounds (pairedTogether), and the
 *      fill's requests/s against the tick's (target >= 0.9: a fill costs no more than a tick);
 *   5. the dependence page and the step-away simulator page over 2,000 runbooks and 20,000
 *      runs (target: each answers in under 200 ms). These are measured at one connection, so
 *      the latency printed is one request's own time; their ratio is still to hello-world.
 *   6. importing a 1 MB procedure document as a draft (target < 1 s), as Markdown, HTML and
 *      Word, against marked's lexer reading the same Markdown (tests/bench/documents.ts).
 * HTTP figures come from autocannon at 32 connections against servers in child processes,
 * with sign-in on: every app request carries an owner's API token (or a session cookie).
 * The machines this runs on are noisy (a baseline measured twice a minute apart can differ by
 * a fifth), so each figure is measured BENCH_ROUNDS times (default 3), each time right after
 * a hello-world measurement, and its ratio is the median of those paired ratios.
 * BENCH_SECONDS sets the duration of each HTTP measurement (default 5).
 *
 * The baseline is Express's hello-world as anyone writes it (app.listen). The product serves
 * its app through server/http/server.ts, which spares each request Express's prototype swap;
 * the same hello-world served that way is measured too, and each figure's ratio to it is
 * printed after the targets, so that neither comparison is hidden (see README, Benchmarks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../server/db/open';
import { migrate } from '../../server/db/migrate';
import { importDirectory } from '../../server/runbooks/import';
import { insertPerson } from '../../server/people/repo';
import { insertRole, upsertRoleMember } from '../../server/people/roles-repo';
import { startRun } from '../../server/runs/start';
import { RUN_CACHE_LIMIT } from '../../server/runs/cache';
import { createApiToken } from '../../server/auth/tokens';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions';
import { generateRunbook } from './generate';
import { RUNBOOKS, RUNS, seedWorkloadDatabase } from './workload';
import { benchDocuments, best } from './documents';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_SECONDS = Math.min(2, SECONDS);
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
  if (report.created.length !== 1000)
    throw new Error(`import created ${report.created.length} runbooks: ${JSON.stringify(report.problems.slice(0, 3))}`);
  return seconds;
}

/** A database with a 40-step run to read and enough open steps to complete for the whole measurement. */
function seedHttpDatabase(file: string) {
  const db = openDatabase(file);
  migrate(db);
  const person = insertPerson(db, {
    name: 'Bench Person',
    email: 'bench@example.com',
    kind: 'team',
    hourlyCostCents: null,
    active: true,
    level: 'owner',
  });
  // Sign-in is on: the server is set up (an owner with a password) and every request carries
  // this owner's API token.
  db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)").run(
    person.id,
    new Date().toISOString(),
  );
  const { token } = createApiToken(db, person.id, 'bench');
  const { cookie } = createSession(db, { personId: person.id });
  const role = insertRole(db, 'Fulfillment VA');
  upsertRoleMember(db, role.id, person.id, true);
  const dir = path.join(work, 'http-runbooks');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'forty-steps.md'), generateRunbook(40, 40));
  fs.writeFileSync(path.join(dir, 'forty-plain-steps.md'), generateRunbook(41, 40, { checks: false, optional: false }));
  fs.writeFileSync(path.join(dir, 'forty-field-steps.md'), generateRunbook(42, 40, { optional: false, fields: true }));
  importDirectory(db, dir);
  const readRunId = startRun(db, { runbook: 'forty-steps', title: 'Order #1042', startedBy: person.id });
  // More runs than the run cache holds, so that cycling through them reads each one cold, and
  // enough open steps that no completion in any round finds its step already complete.
  const completionsAtMost = ROUNDS * (WARM_UP_SECONDS + SECONDS) * 10_000;
  const runCount = Math.max(RUN_CACHE_LIMIT + 500, Math.ceil(completionsAtMost / 40));
  const completionRuns = db.transaction(() =>
    Array.from({ length: runCount }, (_, i) => startRun(db, { runbook: 'forty-plain-steps', title: `Order #${i}`, startedBy: person.id })),
  )();
  // Ticks and field fills each take a check or a field nobody has touched: 80 checks and 40
  // fields a run, so these runs are enough for both.
  const fieldRuns = db.transaction(() =>
    Array.from({ length: Math.ceil(runCount / 2) }, (_, i) =>
      startRun(db, { runbook: 'forty-field-steps', title: `Order #F${i}`, startedBy: person.id }),
    ),
  )();
  db.close();
  return { token, cookie, readRunId, completionRuns, fieldRuns };
}

async function startServer(args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'serve.ts'), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, child };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(options: autocannon.Options, connections = CONNECTIONS): Promise<Figures> {
  await autocannon({ ...options, duration: WARM_UP_SECONDS, connections });
  const result = await autocannon({ ...options, duration: SECONDS, connections });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

interface Paired {
  /** The figure's own measurements, one a round. */
  figures: Figures[];
  /** The hello-world measurement taken just before each of them. */
  baselines: Figures[];
  /** figure / baseline, a round each. */
  ratios: number[];
}

/** ROUNDS times: hello-world, then the figure at once, so each ratio is of two neighbours. */
async function paired(baseline: () => Promise<Figures>, figure: () => Promise<Figures>): Promise<Paired> {
  const result: Paired = { figures: [], baselines: [], ratios: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const base = await baseline();
    const measured = await figure();
    result.baselines.push(base);
    result.figures.push(measured);
    result.ratios.push(measured.rps / base.rps);
  }
  return result;
}

/**
 * Two figures to compare with each other (ticking a check, filling a field): each round
 * measures hello-world, then both, one right after the other, the first of them alternating
 * from round to round, so that neither is always the one measured on a machine that has
 * just warmed up or slowed down. Each gets its ratio to that round's hello-world, and
 * `against` is the median of second/first measured in the same round.
 */
async function pairedTogether(
  baseline: () => Promise<Figures>,
  first: () => Promise<Figures>,
  second: () => Promise<Figures>,
): Promise<{ first: Paired; second: Paired; against: number[] }> {
  const result = {
    first: { figures: [], baselines: [], ratios: [] } as Paired,
    second: { figures: [], baselines: [], ratios: [] } as Paired,
    against: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const base = await baseline();
    let a: Figures;
    let b: Figures;
    if (round % 2 === 0) {
      a = await first();
      b = await second();
    } else {
      b = await second();
      a = await first();
    }
    for (const [paired, measured] of [
      [result.first, a],
      [result.second, b],
    ] as const) {
      paired.baselines.push(base);
      paired.figures.push(measured);
      paired.ratios.push(measured.rps / base.rps);
    }
    result.against.push(b.rps / a.rps);
  }
  return result;
}

async function main() {
  console.log(
    `Benchmark: ${os.cpus().length} cores, node ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS}s per HTTP figure, each paired with a hello-world measurement\n`,
  );
  const importSeconds = benchImport();
  const documents = await benchDocuments();
  const seeded = seedHttpDatabase(path.join(work, 'http.sqlite'));
  const seedStarted = process.hrtime.bigint();
  const workload = seedWorkloadDatabase(path.join(work, 'workload.sqlite'));
  const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;

  // Every server stays up for the whole run; those not being measured sit idle.
  const hello = await startServer(['hello']);
  const helloAsApp = await startServer(['hello-as-app']);
  const app = await startServer(['app', path.join(work, 'http.sqlite')]);
  const big = await startServer(['app', path.join(work, 'workload.sqlite')]);
  const baseline = () => measure({ url: `http://127.0.0.1:${hello.port}/hello` });
  const auth = { authorization: `Bearer ${seeded.token}` };

  // What an editor waits for: the 1 MB page posted to the import API, answered with its draft.
  const importOverHttp = await best(3, async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/api/imports?filename=handbook.html`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/html' },
      body: documents.htmlDocument,
    });
    if (res.status !== 200) throw new Error(`POST /api/imports answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
  });
  const asApp = await paired(baseline, () => measure({ url: `http://127.0.0.1:${helloAsApp.port}/hello` }));
  const read = await paired(baseline, () => measure({ url: `http://127.0.0.1:${app.port}/api/runs/${seeded.readRunId}`, headers: auth }));
  // A different run each request, cycling through more runs than the JSON cache holds, so
  // every read builds its document: the cost of the first read after a change.
  let nextRead = 0;
  const coldRead = await paired(baseline, () =>
    measure({
      url: `http://127.0.0.1:${app.port}`,
      headers: auth,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: `/api/runs/${seeded.completionRuns[nextRead++ % seeded.completionRuns.length]}`,
          }),
        },
      ],
    }),
  );
  const page = await paired(baseline, () =>
    measure({
      url: `http://127.0.0.1:${app.port}/runs/${seeded.readRunId}`,
      // As a browser asks for it: with its session cookie, accepting HTML and gzip.
      headers: { cookie: `${SESSION_COOKIE}=${seeded.cookie}`, accept: 'text/html', 'accept-encoding': 'gzip' },
    }),
  );
  // Each request completes the next open step: run by run, step by step, never one twice.
  let next = 0;
  const body = JSON.stringify({ note: 'packed' });
  const completion = await paired(baseline, () =>
    measure({
      url: `http://127.0.0.1:${app.port}`,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body,
          setupRequest: (request) => {
            const run = seeded.completionRuns[Math.floor(next / 40)];
            const position = (next % 40) + 1;
            next++;
            return { ...request, path: `/api/runs/${run}/steps/${position}/complete` };
          },
        },
      ],
    }),
  );
  // Ticking a check and filling a step field, each on a check or field not touched before, in
  // the same runs (40 steps, two checks and one field each), at the same concurrency and for
  // the same time, in the same rounds (pairedTogether).
  let nextTick = 0;
  const tickOnce = () =>
    measure({
      url: `http://127.0.0.1:${app.port}`,
      requests: [
        {
          method: 'POST',
          headers: auth,
          setupRequest: (request) => {
            const run = seeded.fieldRuns[Math.floor(nextTick / 80)];
            const position = Math.floor((nextTick % 80) / 2) + 1;
            const index = nextTick % 2;
            nextTick++;
            return { ...request, path: `/api/runs/${run}/steps/${position}/checks/${index}/tick` };
          },
        },
      ],
    });
  // Fields from the last run backwards, away from the runs being ticked (filling a field again
  // with a new value, should it come round, is a fill like the first).
  let nextFill = 0;
  const fillOnce = () =>
    measure({
      url: `http://127.0.0.1:${app.port}`,
      requests: [
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...auth },
          setupRequest: (request) => {
            const run = seeded.fieldRuns[seeded.fieldRuns.length - 1 - (Math.floor(nextFill / 40) % seeded.fieldRuns.length)];
            const position = (nextFill % 40) + 1;
            nextFill++;
            return {
              ...request,
              path: `/api/runs/${run}/fields/${encodeURIComponent(`Reference ${position}`)}`,
              body: JSON.stringify({ value: `1Z999AA1${String(nextFill).padStart(10, '0')}` }),
            };
          },
        },
      ],
    });
  const writes = await pairedTogether(baseline, tickOnce, fillOnce);
  const tick = writes.first;
  const fill = writes.second;
  // One connection: a single request's own time is what an owner waits for.
  const signedIn = { cookie: `${SESSION_COOKIE}=${workload.cookie}`, accept: 'text/html', 'accept-encoding': 'gzip' };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const dependence = await paired(baseline, () => measure({ url: `http://127.0.0.1:${big.port}/dependence`, headers: signedIn }, 1));
  const stepAway = await paired(baseline, () =>
    measure({ url: `http://127.0.0.1:${big.port}/step-away?from=${day(1)}&to=${day(14)}`, headers: signedIn }, 1),
  );
  for (const server of [hello, helloAsApp, app, big]) server.child.kill();

  const all = [asApp, read, coldRead, page, completion, tick, fill, dependence, stepAway];
  const helloRps = median(all.flatMap((p) => p.baselines.map((f) => f.rps)));
  const helloP99 = median(all.flatMap((p) => p.baselines.map((f) => f.p99)));
  const row = (name: string, p: Paired, target?: number) => {
    const ratio = median(p.ratios);
    const verdict = target === undefined ? '' : ratio >= target ? `  (target >= ${target}: met)` : `  (target >= ${target}: MISSED)`;
    const failed = p.figures.reduce((sum, f) => sum + f.non2xx, 0);
    const rps = median(p.figures.map((f) => f.rps));
    const p99 = median(p.figures.map((f) => f.p99));
    return `${name.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s  p99 ${String(p99).padStart(4)} ms  ratio ${ratio.toFixed(2)} (rounds ${p.ratios.map((r) => r.toFixed(2)).join(' ')})${verdict}${failed ? `  [${failed} non-2xx/errors]` : ''}`;
  };
  console.log(
    `import 1,000 runbooks x 10 steps     ${importSeconds.toFixed(2)} s  (target < 3 s: ${importSeconds < 3 ? 'met' : 'MISSED'})`,
  );
  const verdict = (seconds: number) => `(target < 1 s: ${seconds < 1 ? 'met' : 'MISSED'})`;
  const sized = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log(
    `import a document, baseline: marked lexes the ${sized(documents.sizes.markdown)} Markdown in ${documents.lex.toFixed(2)} s (${documents.steps} steps, ${documents.checks} checks in the draft)`,
  );
  for (const [kind, seconds, bytes] of [
    ['Markdown', documents.markdown, documents.sizes.markdown],
    ['web page (HTML)', documents.html, documents.sizes.html],
    ['the whole handbook as HTML', documents.wholeHtml, documents.sizes.wholeHtml],
    [`Word (.docx, ${sized(documents.sizes.wordXml)} of XML)`, documents.word, documents.sizes.word],
  ] as const) {
    console.log(
      `  draft from ${`${kind}, ${sized(bytes)}`.padEnd(37)} ${seconds.toFixed(2)} s  ratio to lexing ${(seconds / documents.lex).toFixed(1)}, to Markdown ${(seconds / documents.markdown).toFixed(2)}  ${verdict(seconds)}`,
    );
  }
  console.log(
    `  POST /api/imports with the ${sized(documents.sizes.html)} page, through HTTP: ${importOverHttp.toFixed(2)} s  ${verdict(importOverHttp)}`,
  );
  console.log(
    `${'GET /hello (baseline, median)'.padEnd(34)} ${helloRps.toFixed(0).padStart(7)} req/s  p99 ${String(helloP99).padStart(4)} ms  (rounds ${all.flatMap((p) => p.baselines.map((f) => f.rps.toFixed(0))).join(' ')})`,
  );
  console.log(row('GET /api/runs/:id (40 steps)', read, 0.6));
  console.log(row('  same, first read after a change', coldRead));
  console.log(row('GET /runs/:id page, signed in', page, 0.4));
  console.log(row('POST .../steps/:n/complete', completion, 0.5));
  console.log(row('POST .../checks/:i/tick', tick));
  console.log(row('PUT /api/runs/:id/fields/:name', fill));
  const fillAgainstTick = median(writes.against);
  console.log(
    `${'  filling a field against ticking'.padEnd(34)} ${fillAgainstTick.toFixed(2)} (rounds ${writes.against.map((r) => r.toFixed(2)).join(' ')})  (target >= 0.9, costs no more than a tick: ${fillAgainstTick >= 0.9 ? 'met' : 'MISSED'})`,
  );
  console.log(row('GET /hello served as the app is', asApp));
  const latency = (name: string, p: Paired) => {
    const p50 = median(p.figures.map((f) => f.p50));
    const p99 = median(p.figures.map((f) => f.p99));
    return `${row(name, p)}\n${''.padEnd(34)} one request: median ${p50} ms, p99 ${p99} ms  (target < 200 ms: ${p99 < 200 ? 'met' : p50 < 200 ? 'met at the median, not at p99' : 'MISSED'})`;
  };
  console.log(
    `\nOver ${RUNBOOKS.toLocaleString('en')} runbooks and ${RUNS.toLocaleString('en')} runs (built in ${seedSeconds.toFixed(1)} s), one connection:`,
  );
  console.log(latency('GET /dependence page', dependence));
  console.log(latency('GET /step-away page (two weeks)', stepAway));
  const asAppRatio = median(asApp.ratios);
  const against = (p: Paired) => (median(p.ratios) / asAppRatio).toFixed(2);
  console.log(
    `\nAgainst hello-world served as the app is (no target): GET /api/runs/:id ${against(read)}, run page ${against(page)}, completion ${against(completion)}`,
  );
  fs.rmSync(work, { recursive: true, force: true });
  // A figure made of error responses measures nothing: fail loudly rather than report it.
  if (all.some((p) => [...p.figures, ...p.baselines].some((f) => f.non2xx > 0))) {
    console.error('\nSome requests failed (non-2xx): the figures above are not valid.');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
