/**
 * `npm run bench:scale`: does every page and answer stay small and fast as runs pile up?
 *
 * A fresh database, grown through the HTTP API (an owner and their API token made with the
 * CLI, everything else by requests) to 20 runbooks and 200 runs, measured, then grown to 2,000
 * runbooks of 10 steps and 20,000 runs (roles: six filled, four empty; one run in eight
 * complete; a few hand-offs) and measured again, plus one run ticked 20,000 times. Each read:
 * the median time of 15 requests (after 3 to warm up) and its bytes, small and full, their
 * ratio, and the server's RSS. Targets: at full size every read at most 2x its small time and
 * at most 200 kB; RSS at most 150 MB. Then the start: a server on 2,000 unchanged runbook files
 * against one on 10 (target: under twice the time). Every figure is printed; a read that fails
 * makes the exit code 1.
 *
 * The server is started as `npm start` starts it (the package's start script, on dist/ as built
 * by prebench:scale), or with
 * BENCH_SERVER (e.g. "node tmp/build/server/main.js" for a compiled build). Its RSS is that of
 * its whole process tree: a run-time transpiler's own process counts too.
 * BENCH_RUNS / BENCH_RUNBOOKS shrink the full size for a quick try (defaults 20,000 and 2,000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/cli/main';
import { scaleRunbook, EMPTY_ROLES, FILLED_ROLES } from './scale-data';

const ROOT = path.join(__dirname, '..', '..');
const FULL_RUNBOOKS = Number(process.env.BENCH_RUNBOOKS ?? 2000);
const FULL_RUNS = Number(process.env.BENCH_RUNS ?? 20_000);
const HEAVY_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const SMALL_RUNBOOKS = 20;
const SMALL_RUNS = 200;
const SAMPLES = 15;
const WARM_UP = 3;
const CONCURRENCY = 24;
const TIME_RATIO = 2;
const MAX_BYTES = 200 * 1024;
const MAX_RSS = 150 * 1024 * 1024;
const OWNER = { email: 'owner@bench.example', password: 'a long walk by the river in spring', name: 'Olive Owner' };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-scale-'));
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** The command that starts the server: BENCH_SERVER, else the package's start script. */
function serverCommand(): string {
  if (process.env.BENCH_SERVER) return process.env.BENCH_SERVER;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start;
}

interface Server {
  child: ChildProcess;
  base: URL;
  /** Milliseconds from spawning to "running" on standard output. */
  startMs: number;
}

/** Servers still running, stopped should the bench fail half-way. */
const running = new Set<ChildProcess>();

async function startServer(databasePath: string, runbooksDir: string): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
    PORT: '0',
    DATABASE_PATH: databasePath,
    RUNBOOKS_DIR: runbooksDir,
  };
  delete env.PUBLIC_URL;
  delete env.SMTP_URL;
  const started = performance.now();
  // The start script may exec already (`exec node dist/main.js`): one exec, so that the child is the server.
  const child = spawn('sh', ['-c', `exec ${serverCommand().replace(/^exec\s+/, '')}`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const base = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const stdout = child.stdout as NonNullable<ChildProcess['stdout']>;
    // Only until the address is known. The server logs a line per request, tens of thousands
    // while a workspace grows; keeping them all and matching the whole text at every chunk cost
    // this process up to 60 ms a line at full size (the text flattened again each time), which
    // landed in whatever request was being timed: the next server's read (small reads of
    // 40-110 ms), or the read right after a note (full reads of 40-226 ms). Afterwards the output
    // is read and dropped, so that the server never waits on a full pipe either.
    const listen = (chunk: Buffer) => {
      out += String(chunk);
      const match = /is running: open (http:\/\/\S+?)\/?\s/.exec(out);
      if (!match) return;
      stdout.off('data', listen);
      stdout.resume();
      resolve(new URL(match[1] as string));
    };
    stdout.on('data', listen);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
  });
  return { child, base, startMs: performance.now() - started };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process and all its descendants (a transpiler's wrapper counts too). */
function treeRss(pid: number): { total: number; largest: number } {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  let largest = 0;
  const visit = (p: number) => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      total += kb * 1024;
      largest = Math.max(largest, kb * 1024);
    } catch {
      // gone
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return { total, largest };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request; bodies are read whole, uncompressed (no Accept-Encoding). */
function request(base: URL, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path: target,
        headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The workspace being grown: the server, how to ask it, and what is in it so far. */
class Workspace {
  runbooks = 0;
  runs: number[] = [];
  people: { id: number; level: string }[] = [];
  /** The owner's browser session, their person id, and the run whose page is measured. */
  cookie = '';
  me = 0;
  runUnderTest = 0;
  /** The path of the owner's calendar feed (made just before the reads). */
  calendar = '';
  constructor(
    readonly server: Server,
    readonly token: string,
  ) {}

  /** A fresh database with an owner and their token (made by the CLI), served, the owner signed in, people and roles added. */
  static async open(name: string): Promise<Workspace> {
    const databasePath = path.join(work, `${name}.sqlite`);
    process.env.DATABASE_PATH = databasePath;
    const lines: string[] = [];
    const made = await runCli(
      ['user', 'create', '--email', OWNER.email, '--name', OWNER.name, '--level', 'owner'],
      (line) => lines.push(line),
      (line) => lines.push(line),
      async () => OWNER.password,
    );
    const tokenMade = await runCli(['token', 'create', '--email', OWNER.email, '--name', 'bench'], (line) => lines.push(line));
    const token = /rbk_\S+/.exec(lines.join('\n'))?.[0];
    if (made !== 0 || tokenMade !== 0 || !token) throw new Error(`the CLI could not make the owner: ${lines.join('\n')}`);
    const emptyDir = path.join(work, `${name}-runbooks`);
    fs.mkdirSync(emptyDir);
    const ws = new Workspace(await startServer(databasePath, emptyDir), token);
    ws.me = (await ws.json<{ id: number }>('GET', '/api/me')).id;
    ws.cookie = await signIn(ws.server.base);
    await ws.staff(ws.me);
    return ws;
  }

  async api(method: string, target: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await request(
      this.server.base,
      method,
      target,
      { authorization: `Bearer ${this.token}`, ...(text ? { 'content-type': contentType } : {}) },
      text,
    );
    if (res.status >= 400) throw new Error(`${method} ${target} answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
    return res;
  }

  async json<T>(method: string, target: string, body?: unknown): Promise<T> {
    return JSON.parse((await this.api(method, target, body)).body.toString()) as T;
  }

  /** People, and the ten roles: six filled (the owner is the Operations lead), four empty. */
  async staff(ownerId: number): Promise<void> {
    const kinds = [
      ['Eddie Editor', 'editor'],
      ['Erin Editor', 'editor'],
      ['Mia Member', 'member'],
      ['Max Member', 'member'],
      ['Moe Member', 'member'],
      ['Mel Member', 'member'],
      ['Otto Outsourcer', 'outsourcer'],
      ['Olga Outsourcer', 'outsourcer'],
    ];
    for (const [name, level] of kinds) {
      const kind = level === 'outsourcer' ? 'outsourcer' : 'team';
      const person = await this.json<{ id: number }>('POST', '/api/people', {
        name,
        email: `${name?.toLowerCase().replace(' ', '.')}@bench.example`,
        kind,
        level,
      });
      this.people.push({ id: person.id, level: level as string });
    }
    const roles = new Map<string, number>();
    for (const name of [...FILLED_ROLES, ...EMPTY_ROLES]) {
      roles.set(name, (await this.json<{ id: number }>('POST', '/api/roles', { name })).id);
    }
    const fill = [ownerId, ...this.people.map((p) => p.id)];
    for (const [i, name] of FILLED_ROLES.entries()) {
      const role = roles.get(name) as number;
      await this.api('POST', `/api/roles/${role}/members`, { person: fill[i % fill.length], primary: true });
      await this.api('POST', `/api/roles/${role}/members`, { person: fill[(i + 3) % fill.length] });
    }
  }

  async addRunbooks(upTo: number): Promise<void> {
    const numbers = Array.from({ length: upTo - this.runbooks }, (_, i) => this.runbooks + i + 1);
    await pool(numbers, CONCURRENCY, async (n) => {
      const { slug, markdown } = scaleRunbook(n);
      await this.api('PUT', `/api/runbooks/${slug}`, markdown, 'text/markdown');
    });
    this.runbooks = upTo;
  }

  /** Runs up to `upTo`, of runbooks chosen evenly; every eighth is worked to the end, every fiftieth has a step handed on. */
  async addRuns(upTo: number): Promise<void> {
    const from = this.runs.length;
    const numbers = Array.from({ length: upTo - from }, (_, i) => from + i + 1);
    const others = this.people.filter((p) => p.level !== 'outsourcer').map((p) => p.id);
    await pool(numbers, CONCURRENCY, async (n) => {
      const slug = `runbook-${1 + ((n * 7) % this.runbooks)}`;
      const run = await this.json<{
        id: number;
        steps: { position: number; optional: boolean; checks: unknown[]; assignee: { id: number } | null }[];
      }>('POST', '/api/runs', {
        runbook: slug,
        title: `Order #${1000 + n}`,
      });
      this.runs.push(run.id);
      if (n % 50 === 0) {
        const step = run.steps[1];
        const to = others.find((id) => id !== step?.assignee?.id) as number;
        await this.api('POST', `/api/runs/${run.id}/steps/2/reassign`, { to, reason: 'covering this week' });
      }
      if (n % 8 === 0) {
        // The required steps: the run is complete after them (the optional last one stays open).
        for (const step of run.steps.filter((s) => !s.optional)) {
          for (let check = 0; check < step.checks.length; check++) {
            await this.api('POST', `/api/runs/${run.id}/steps/${step.position}/checks/${check}/tick`);
          }
          await this.api('POST', `/api/runs/${run.id}/steps/${step.position}/complete`, {});
        }
      }
    });
  }

  /**
   * A run whose checks were ticked and unticked `events` times: eight steps at once, each
   * ticking check 0, check 1, then unticking 0, then 1, and so on. Two events in a row of one
   * step are never of the same check, so none fold into one: `events` events.
   */
  async busyRun(events: number): Promise<number> {
    const run = await this.json<{ id: number }>('POST', '/api/runs', { runbook: 'runbook-1', title: 'A much-ticked run' });
    const steps = [2, 3, 4, 5, 6, 7, 8, 9];
    await pool(steps, steps.length, async (position, s) => {
      for (let i = s; i < events; i += steps.length) {
        const k = Math.floor(i / steps.length);
        const verb = Math.floor(k / 2) % 2 === 0 ? 'tick' : 'untick';
        await this.api('POST', `/api/runs/${run.id}/steps/${position}/checks/${k % 2}/${verb}`);
      }
    });
    return run.id;
  }
}

/** A browser session for the owner: the sign-in form, as a person fills it in. */
async function signIn(base: URL): Promise<string> {
  const form = await request(base, 'GET', '/sign-in', { accept: 'text/html' });
  const cookie = String(form.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
  const csrf = /name="_csrf" value="([^"]*)"/.exec(form.body.toString())?.[1] ?? '';
  const body = new URLSearchParams({ email: OWNER.email, password: OWNER.password, _csrf: csrf, next: '/' }).toString();
  const res = await request(
    base,
    'POST',
    '/sign-in',
    { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body,
  );
  const session = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0];
  if (res.status !== 303 || !session) throw new Error(`signing in answered ${res.status}`);
  return session;
}

interface Read {
  name: string;
  target: (ws: Workspace) => string;
  as: 'page' | 'api';
  /** One of the issue's reads (targets apply); the others are printed for information. */
  table: boolean;
  /** Done before each request, untimed: a change, so that the read builds its answer afresh. */
  before?: (ws: Workspace) => Promise<unknown>;
}

interface Figure {
  ms: number;
  bytes: number;
  failed: string | null;
}

const headersFor = (ws: Workspace, read: Read): Record<string, string> =>
  read.as === 'page' ? { cookie: ws.cookie, accept: 'text/html' } : { authorization: `Bearer ${ws.token}`, accept: 'application/json' };

/** One request of a read: its time and bytes, or what went wrong. */
async function once(ws: Workspace, read: Read): Promise<{ ms: number; bytes: number; failed: string | null }> {
  await read.before?.(ws);
  const started = performance.now();
  const res = await request(ws.server.base, 'GET', read.target(ws), headersFor(ws, read));
  const ms = performance.now() - started;
  return { ms, bytes: res.body.length, failed: res.status === 200 ? null : `${res.status}: ${res.body.toString().slice(0, 200)}` };
}

/**
 * A read measured on the small and the full workspace in turn, request by request: on a
 * machine shared with other work, the two medians then come from the same moments, and their
 * ratio says what the size costs, not what the neighbours did.
 */
async function measurePair(small: Workspace, full: Workspace, read: Read): Promise<[Figure, Figure]> {
  const figures = [small, full].map(() => ({ times: [] as number[], bytes: 0, failed: null as string | null }));
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    for (const [k, ws] of [small, full].entries()) {
      const one = await once(ws, read);
      const figure = figures[k] as (typeof figures)[number];
      if (i >= WARM_UP) figure.times.push(one.ms);
      figure.bytes = one.bytes;
      figure.failed ??= one.failed;
    }
  }
  return figures.map((f) => ({ ms: median(f.times), bytes: f.bytes, failed: f.failed })) as [Figure, Figure];
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  console.log(`bench:scale on ${os.cpus().length} cores, node ${process.version}; server: ${serverCommand()}`);
  console.log(`full size: ${FULL_RUNBOOKS} runbooks x 10 steps, ${FULL_RUNS} runs, a run with ${HEAVY_EVENTS} events\n`);
  // Two workspaces grown the same way; the second goes on to full size. Measured side by side.
  let grown = performance.now();
  const small = await Workspace.open('small');
  const full = await Workspace.open('full');
  for (const ws of [small, full]) {
    await ws.addRunbooks(SMALL_RUNBOOKS);
    await ws.addRuns(SMALL_RUNS);
  }
  // The small workspace's run under test: an ordinary run with 20 ticks.
  small.runUnderTest = small.runs[3] as number;
  for (let i = 0; i < 20; i++) {
    await small.api('POST', `/api/runs/${small.runUnderTest}/steps/3/checks/${i % 2}/${Math.floor(i / 2) % 2 ? 'untick' : 'tick'}`);
  }
  console.log(
    `grown two workspaces to ${SMALL_RUNBOOKS} runbooks and ${SMALL_RUNS} runs in ${((performance.now() - grown) / 1000).toFixed(1)} s`,
  );
  grown = performance.now();
  await full.addRunbooks(FULL_RUNBOOKS);
  console.log(`grown to ${FULL_RUNBOOKS} runbooks in ${((performance.now() - grown) / 1000).toFixed(1)} s`);
  grown = performance.now();
  await full.addRuns(FULL_RUNS);
  console.log(`grown to ${FULL_RUNS} runs in ${((performance.now() - grown) / 1000).toFixed(1)} s`);
  grown = performance.now();
  full.runUnderTest = await full.busyRun(HEAVY_EVENTS);
  console.log(`a run with ${HEAVY_EVENTS} events in ${((performance.now() - grown) / 1000).toFixed(1)} s\n`);

  for (const ws of [small, full]) {
    ws.calendar = new URL((await ws.json<{ url: string }>('POST', `/api/people/${ws.me}/calendar`)).url).pathname;
  }
  const note = (ws: Workspace) => ws.api('POST', `/api/runs/${ws.runUnderTest}/steps/1/note`, { note: 'still on it' });
  const member = (ws: Workspace) => ws.people.find((p) => p.level === 'member')?.id ?? ws.me;
  const reads: Read[] = [
    { name: 'GET / (home, owner)', target: () => '/', as: 'page', table: true },
    { name: 'GET /api/gaps', target: () => '/api/gaps', as: 'api', table: true },
    { name: 'GET /api/runs', target: () => '/api/runs', as: 'api', table: true },
    { name: 'GET /runs', target: () => '/runs', as: 'page', table: true },
    { name: 'GET /runbooks (library)', target: () => '/runbooks', as: 'page', table: true },
    { name: 'GET /api/runbooks?q=invoice', target: () => '/api/runbooks?q=invoice', as: 'api', table: true },
    { name: 'GET /runs/:id (20,000 events at full)', target: (ws) => `/runs/${ws.runUnderTest}`, as: 'page', table: true },
    { name: 'GET /api/runs/:id (same run)', target: (ws) => `/api/runs/${ws.runUnderTest}`, as: 'api', table: true },
    // The same two, each the first read after a change (a note): built afresh, not from the cache.
    { name: '  same page, first read after a change', target: (ws) => `/runs/${ws.runUnderTest}`, as: 'page', table: true, before: note },
    {
      name: '  same JSON, first read after a change',
      target: (ws) => `/api/runs/${ws.runUnderTest}`,
      as: 'api',
      table: true,
      before: note,
    },
    { name: 'GET /runbooks?q=invoice', target: () => '/runbooks?q=invoice', as: 'page', table: false },
    { name: 'GET /my-work', target: () => '/my-work', as: 'page', table: false },
    { name: 'GET /gaps', target: () => '/gaps', as: 'page', table: false },
    { name: 'GET /people', target: () => '/people', as: 'page', table: false },
    { name: 'GET /runs?status=open&overdue=true', target: () => '/runs?status=open&overdue=true', as: 'page', table: false },
    { name: 'GET /api/runs?assignee=(a member)', target: (ws) => `/api/runs?assignee=${member(ws)}`, as: 'api', table: false },
    { name: 'GET /api/runs/:id/events', target: (ws) => `/api/runs/${ws.runUnderTest}/events`, as: 'api', table: false },
    { name: 'GET /api/people/:id/assignments', target: (ws) => `/api/people/${ws.me}/assignments`, as: 'api', table: false },
    { name: 'GET /api/runs?overdue=true', target: () => '/api/runs?overdue=true', as: 'api', table: false },
    // Papers and the hand-off preview grow with a person's open steps: the owner holds the most.
    { name: 'GET /people/:id/sheet (the owner)', target: (ws) => `/people/${ws.me}/sheet`, as: 'page', table: false },
    { name: 'GET /my-work/packet (the owner)', target: () => '/my-work/packet', as: 'page', table: false },
    {
      name: 'GET /people/:id/handoff?to=(a member)',
      target: (ws) => `/people/${ws.me}/handoff?to=${member(ws)}`,
      as: 'page',
      table: false,
    },
    { name: 'GET /api/people/:id/handoff', target: (ws) => `/api/people/${ws.me}/handoff`, as: 'api', table: false },
    { name: 'GET /api/audit', target: () => '/api/audit', as: 'api', table: false },
    { name: 'GET /api/outbox', target: () => '/api/outbox', as: 'api', table: false },
    // The owner's calendar: their open steps with a due time (at most 500) and scheduled runs.
    { name: 'GET /calendar/:secret.ics (owner)', target: (ws) => ws.calendar, as: 'page', table: false },
  ];
  // One pass to warm both servers up (the first requests of a route compile its code), then the figures.
  for (const read of reads) await measurePair(small, full, read);
  const figures = new Map<string, [Figure, Figure]>();
  for (const read of reads) figures.set(read.name, await measurePair(small, full, read));
  const smallRss = treeRss(small.server.child.pid as number);
  const fullRss = treeRss(full.server.child.pid as number);

  let failures = 0;
  const header = `${'read'.padEnd(44)} ${'small'.padStart(9)} ${'bytes'.padStart(10)} ${'full'.padStart(9)} ${'bytes'.padStart(10)} ${'time x'.padStart(7)} ${'bytes x'.padStart(8)}  verdict`;
  const print = (read: Read) => {
    const [s, f] = figures.get(read.name) as [Figure, Figure];
    const ratio = f.ms / s.ms;
    const misses = [
      ratio > TIME_RATIO && `time x${ratio.toFixed(2)} > ${TIME_RATIO}`,
      f.bytes > MAX_BYTES && `${kB(f.bytes)} > 200 kB`,
    ].filter(Boolean);
    const failed = s.failed ?? f.failed;
    if (failed) failures++;
    const verdict = failed ? `FAILED (${failed})` : misses.length ? `MISSED: ${misses.join(', ')}` : 'met';
    console.log(
      `${read.name.padEnd(44)} ${`${s.ms.toFixed(1)} ms`.padStart(9)} ${kB(s.bytes).padStart(10)} ${`${f.ms.toFixed(1)} ms`.padStart(9)} ${kB(f.bytes).padStart(10)} ${`x${ratio.toFixed(2)}`.padStart(7)} ${`x${(f.bytes / s.bytes).toFixed(2)}`.padStart(8)}  ${read.table ? verdict : `(${verdict})`}`,
    );
  };
  console.log(`The issue's reads (targets: full at most x${TIME_RATIO} the small time and at most 200 kB):`);
  console.log(header);
  for (const read of reads.filter((r) => r.table)) print(read);
  console.log('\nOther lists (same targets, for information):');
  console.log(header);
  for (const read of reads.filter((r) => !r.table)) print(read);
  console.log(
    `\nserver RSS (process tree; largest process): small ${MB(smallRss.total)} (${MB(smallRss.largest)}), full ${MB(fullRss.total)} (${MB(fullRss.largest)})  target <= 150 MB: ${fullRss.total <= MAX_RSS ? 'met' : 'MISSED'}`,
  );
  await stopServer(small.server);
  await stopServer(full.server);

  // Start-up: 2,000 unchanged runbook files against 10, each on its own database, imported once before.
  const starts: Record<string, number[]> = {};
  for (const count of [10, FULL_RUNBOOKS]) {
    const dir = path.join(work, `files-${count}`);
    fs.mkdirSync(dir);
    for (let n = 1; n <= count; n++) {
      const { slug, markdown } = scaleRunbook(n);
      fs.writeFileSync(path.join(dir, `${slug}.md`), markdown);
    }
    const db = path.join(work, `start-${count}.sqlite`);
    const first = await startServer(db, dir);
    await request(first.base, 'GET', '/sign-in');
    await stopServer(first);
    starts[count] = [];
    for (let i = 0; i < 5; i++) {
      const again = await startServer(db, dir);
      starts[count]?.push(again.startMs);
      await stopServer(again);
    }
    console.log(
      `start with ${String(count).padStart(4)} runbook files: first (importing) ${first.startMs.toFixed(0)} ms, unchanged (median of 5) ${median(starts[count] as number[]).toFixed(0)} ms`,
    );
  }
  const startRatio = median(starts[FULL_RUNBOOKS] as number[]) / median(starts[10] as number[]);
  console.log(`start ratio ${FULL_RUNBOOKS} files / 10 files: x${startRatio.toFixed(2)}  target < 2: ${startRatio < 2 ? 'met' : 'MISSED'}`);

  if (process.env.BENCH_KEEP) console.log(`\nkept: ${path.join(work, 'full.sqlite')}`);
  else fs.rmSync(work, { recursive: true, force: true });
  agent.destroy();
  if (failures > 0) {
    console.error(`\n${failures} read(s) failed: the figures above are not valid.`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  for (const child of running) child.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
