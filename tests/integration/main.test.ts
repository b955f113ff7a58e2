import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-main-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a bad setting stops the server with a message naming it', () => {
  const result = spawnSync(process.execPath, [TSX, 'server/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PORT: 'eighty', DATABASE_PATH: path.join(dir, 'bad.sqlite') },
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('PORT="eighty"');
});

test("the server's young generation stays small under a burst of allocation (V8 sized for a small server, first thing in main)", () => {
  expect(fs.readFileSync(path.join(ROOT, 'server', 'main.ts'), 'utf8')).toMatch(/^(\/\/[^\n]*\n)*import '\.\/memory';/);
  const result = spawnSync(process.execPath, [TSX, 'tests/helpers/heap-probe.ts'], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status).toBe(0);
  // V8 left to itself grows it to 32 MB under this load.
  expect(Number(result.stdout.trim())).toBeLessThanOrEqual(16);
});

async function waitFor<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('the server migrates, imports the shipped runbooks, prints its address and a set-up link that works', async () => {
  const child = spawn(process.execPath, [TSX, 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_PATH: path.join(dir, 'main.sqlite') },
  });
  try {
    let output = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += String(chunk);
        const match = /open (http:\/\/localhost:\d+\/)/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(output).toMatch(/Runbooks from runbooks: \d+ new, 0 updated, 0 unchanged, 0 problem\(s\)/);
    // Nothing works before the owner exists...
    const blocked = await fetch(`${address}api/runbooks`);
    expect(blocked.status).toBe(503);
    // ...except the one-time set-up link the server printed.
    const setup = await waitFor(() => /(http:\/\/localhost:\d+\/setup\/[\w-]+)/.exec(output)?.[1]);
    const page = await fetch(setup);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create the owner account');
  } finally {
    child.kill('SIGTERM');
  }
}, 20_000);

test('a port already in use stops the start with a message naming it, not a server that is not there', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [TSX, 'server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), DATABASE_PATH: path.join(dir, 'taken.sqlite') },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
      child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot listen on PORT=${port}: the port is already in use`);
    expect(result.stdout).not.toContain('is running');
  } finally {
    taken.close();
  }
}, 20_000);
