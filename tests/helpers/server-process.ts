import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/open';
import { migrate } from '../../server/db/migrate';
import { createApiToken } from '../../server/auth/tokens';
import { makePerson, makeRunbook, runbookMarkdown } from './factories';

/**
 * The real server and CLI as separate processes, for what only a process shows: signals,
 * start-up, logs on standard output, backups taken while another process writes.
 * `compiled` runs dist/ (as `npm start` does); otherwise the TypeScript through tsx's loader,
 * in one process (`node --import tsx`), so the pid is the server's own.
 */

export const ROOT = path.join(__dirname, '..', '..');

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `runbooks-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A database that is set up (an owner with an API token) with one runbook, `ops`, to start runs of. */
export function preparedDatabase(dir: string): { file: string; token: string; runbooksDir: string } {
  const file = path.join(dir, 'runbooks.sqlite');
  const runbooksDir = path.join(dir, 'runbooks');
  fs.mkdirSync(runbooksDir, { recursive: true });
  const db = openDatabase(file);
  migrate(db);
  const owner = makePerson(db, { name: 'Olive Owner', email: 'owner@example.com', level: 'owner' });
  db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)").run(
    owner.id,
    new Date().toISOString(),
  );
  const { token } = createApiToken(db, owner.id, 'tests');
  makeRunbook(db, 'ops', runbookMarkdown('Weekly ops', [{ title: 'Check', owner: 'Olive Owner' }]));
  db.close();
  return { file, token, runbooksDir };
}

/**
 * The node flags `npm start` passes the server (package.json's start script: what comes between
 * `node` and `dist/main.js`). The Dockerfile and the systemd unit must pass the same ones.
 */
export function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const match = /^exec node ((?:--\S+ )*)dist\/main\.js$/.exec(start);
  if (!match) throw new Error(`the start script is not "exec node [flags] dist/main.js": ${start}`);
  return (match[1] as string).split(' ').filter(Boolean);
}

const command = (script: 'main' | 'cli/main', compiled: boolean) =>
  compiled
    ? [...(script === 'main' ? startFlags() : []), path.join(ROOT, 'dist', `${script}.js`)]
    : ['--import', 'tsx', path.join(ROOT, 'server', `${script}.ts`)];

/** Compiles dist/ if it is not up to date (what `npm start` does first). */
export function build(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything it printed so far (standard output, then standard error). */
  output: () => string;
  /** Sends the signal and resolves with the exit code and how long the exit took. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>;
}

export async function startServer(env: Record<string, string>, { compiled = false } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, command('main', compiled), {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address after 30 s:\n${stdout}\n${stderr}`)), 30_000);
    child.stdout.on('data', () => {
      const match = /open (http:\/\/localhost:\d+)\//.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    child,
    url,
    output: () => `${stdout}${stderr}`,
    stop: async (signal = 'SIGTERM') => {
      const sent = Date.now();
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - sent };
    },
  };
}

/**
 * Runs `npm run cli -- …` as its own process, without blocking this one (a load running here
 * goes on meanwhile); standard input is `stdin`.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  { compiled = false, stdin = '' } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...command('cli/main', compiled), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Writes as fast as `connections` clients can: each starts runs titled `<prefix>-<n>`, one after
 * another, until told to stop or the server stops answering. `acknowledged` holds the titles
 * the server answered 201 for, in order, with when the answer came.
 */
export function writeLoad(url: string, token: string, { connections = 8, prefix = 'load' } = {}) {
  const acknowledged: { title: string; at: number }[] = [];
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  const client = async () => {
    while (!stopped) {
      const title = `${prefix}-${++n}`;
      try {
        const res = await fetch(`${url}/api/runs`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ runbook: 'ops', title }),
        });
        await res.arrayBuffer();
        if (res.status === 201) acknowledged.push({ title, at: Date.now() });
        else failures.push(`${title}: ${res.status}`);
      } catch {
        // Refused or reset: the server has stopped listening.
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: connections }, client));
  return {
    acknowledged,
    failures,
    stop: async () => {
      stopped = true;
      await done;
    },
    /** Resolves once the clients end by themselves (the server went away). */
    ended: done,
  };
}
