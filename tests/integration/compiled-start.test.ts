import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build, preparedDatabase, ROOT, runCliProcess, startFlags, startServer, tempDir } from '../helpers/server-process';
import { migrationNames } from '../../server/db/migrate';

/**
 * `npm start` runs the compiled JavaScript in dist/ with node: what it reads beside its own
 * files (migrations, templates, fonts) is found from there, and the process a service manager
 * starts is the server itself.
 */

const { dir, cleanup } = tempDir('compiled');
afterAll(cleanup);
beforeAll(build, 300_000);

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('npm start runs node on dist/, built first when out of date; tsx is only for development', () => {
  expect(pkg.scripts.prestart).toBe('node scripts/build.mjs');
  // With V8's young generation kept small (at most 1 MB a half): see server/memory.ts.
  expect(pkg.scripts.start).toBe('exec node --max-semi-space-size=1 dist/main.js');
  expect(startFlags()).toEqual(['--max-semi-space-size=1']);
  expect(pkg.scripts.prepare).toBe('node scripts/build.mjs');
  expect(pkg.dependencies.tsx).toBeUndefined();
  expect(pkg.devDependencies.tsx).toBeDefined();
  expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
});

test('the compiled server applies the migrations, renders pages from views/, makes PDFs with the fonts, and stops on SIGTERM', async () => {
  const { file, token, runbooksDir } = preparedDatabase(path.join(dir, 'server'));
  const server = await startServer({ DATABASE_PATH: file, RUNBOOKS_DIR: runbooksDir }, { compiled: true });
  try {
    expect(fs.readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0')).toEqual([
      process.execPath,
      ...startFlags(),
      path.join(ROOT, 'dist', 'main.js'),
      '',
    ]);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const auth = { Authorization: `Bearer ${token}` };
    const page = await fetch(`${server.url}/runbooks/ops`, { headers: { ...auth, Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Weekly ops');
    const pdf = await fetch(`${server.url}/runbooks/ops/print.pdf`, { headers: auth });
    expect(pdf.status).toBe(200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('DejaVuSans');
    const css = await fetch(`${server.url}/assets/app.css`);
    expect(css.status).toBe(200);
  } finally {
    expect((await server.stop('SIGTERM')).code).toBe(0);
  }
}, 60_000);

test('the compiled CLI lists what a migration would do', async () => {
  const fresh = path.join(dir, 'cli', 'runbooks.sqlite');
  const result = await runCliProcess(['migrate', '--dry-run'], { DATABASE_PATH: fresh }, { compiled: true });
  expect(result).toMatchObject({
    code: 0,
    stdout: `There is no database at ${fresh} yet: the first start creates it with every migration.\n`,
  });
  const applied = await runCliProcess(['migrate'], { DATABASE_PATH: fresh }, { compiled: true });
  expect(applied.stdout).toContain(`applied ${migrationNames().length}:`);
}, 60_000);

test('stopping npm start (a signal to npm, as to any process one started) stops the server: it is npm’s own child, not a shell’s', async () => {
  const { file, runbooksDir } = preparedDatabase(path.join(dir, 'npm'));
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_PATH: file, RUNBOOKS_DIR: runbooksDir },
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
  npm.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    npm.stdout.on('data', () => {
      const match = /open (http:\/\/localhost:\d+)\//.exec(output);
      if (match) resolve(match[1] as string);
    });
    void exited.then(() => reject(new Error(output)));
  });
  const pid = Number(/"pid":(\d+)/.exec(output)?.[1]);
  expect(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3]).toBe(String(npm.pid));
  npm.kill('SIGTERM');
  await exited;
  // The server went with it: nothing answers, and its process is gone.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  expect(output).toContain('SIGTERM: stopping');
}, 60_000);
