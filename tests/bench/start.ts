/**
 * `npm run bench:start [-- --tsx-tree DIR]`: how long the server takes from its process start
 * to listening, and its resident memory (RSS, the whole process tree) once it listens and after
 * 200 requests. Each way of starting is measured BENCH_STARTS times (default 5), interleaved,
 * each on a database it has already migrated (a restart, as a service manager does it); medians
 * are printed.
 *   compiled   node dist/main.js (what npm start runs; dist/ is built first if out of date)
 *   tsx        tsx server/main.ts, the way npm start ran before the compiled start (tsx starts
 *              a second node process that loads the TypeScript): of this tree, or of the tree
 *              named by --tsx-tree (e.g. a checkout of the commit before).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFlags } from '../helpers/server-process';

const ROOT = path.join(__dirname, '..', '..');
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const argAt = process.argv.indexOf('--tsx-tree');
const TSX_TREE = argAt > 0 ? path.resolve(process.argv[argAt + 1] as string) : ROOT;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-start-'));

interface Way {
  name: string;
  cwd: string;
  args: string[];
}
const ways: Way[] = [
  // With the node flags of `npm start` (package.json), as it runs it.
  { name: 'compiled (npm start: node dist/main.js)', cwd: ROOT, args: [...startFlags(), path.join(ROOT, 'dist', 'main.js')] },
  {
    name: `tsx (tsx server/main.ts${TSX_TREE === ROOT ? '' : `, in ${TSX_TREE}`})`,
    cwd: TSX_TREE,
    args: [path.join(TSX_TREE, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'server/main.ts'],
  },
];

/** RSS in kB of a process and all its descendants (tsx runs the server in a child process). */
function treeRss(pid: number): number {
  const children = (p: number): number[] => {
    try {
      const list = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      return list ? list.split(/\s+/).map(Number) : [];
    } catch {
      return [];
    }
  };
  const rss = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i] as number));
  return all.reduce((sum, p) => sum + rss(p), 0);
}

async function startOnce(way: Way, databasePath: string) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, way.args, {
    cwd: way.cwd,
    env: { ...process.env, PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /open (http:\/\/localhost:\d+)\//.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`${way.name} exited with ${code}: ${output}`)));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = treeRss(child.pid as number);
  for (let i = 0; i < 200; i++) await (await fetch(`${url}/sign-in`)).arrayBuffer();
  const used = treeRss(child.pid as number);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { ms, idle, used };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  console.log(`Start-up: ${os.cpus().length} cores, node ${process.version}, ${STARTS} starts of each, interleaved, medians`);
  const results = new Map<string, { ms: number; idle: number; used: number }[]>();
  for (const way of ways) {
    const db = path.join(work, `${ways.indexOf(way)}.sqlite`);
    // The first start migrates and imports: not measured.
    await startOnce(way, db);
    results.set(way.name, []);
  }
  for (let i = 0; i < STARTS; i++) {
    for (const way of ways) results.get(way.name)?.push(await startOnce(way, path.join(work, `${ways.indexOf(way)}.sqlite`)));
  }
  for (const [name, runs] of results) {
    const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
    console.log(
      `${name.padEnd(48)} listening after ${median(runs.map((r) => r.ms)).toFixed(0)} ms` +
        `   RSS ${mb(median(runs.map((r) => r.idle)))} when listening, ${mb(median(runs.map((r) => r.used)))} after 200 requests` +
        `   (starts: ${runs.map((r) => r.ms.toFixed(0)).join(' ')} ms)`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
