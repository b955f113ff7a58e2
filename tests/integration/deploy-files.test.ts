import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { startFlags } from '../helpers/server-process';

/**
 * The service files an operator copies: the systemd unit and the Dockerfile. This machine has
 * systemd-analyze but no Docker engine, so the unit is verified by systemd itself and the
 * Dockerfile is checked as far as can be without building it (.ci/run builds and runs it where
 * a Docker engine answers).
 */

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('the systemd unit', () => {
  const unit = read('deploy/runbook-manager.service');
  const setting = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];

  test('passes systemd-analyze verify without a warning', () => {
    const result = spawnSync('systemd-analyze', ['verify', path.join(ROOT, 'deploy', 'runbook-manager.service')], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  test('starts the server itself (node on dist/main.js, not npm, with the node flags of npm start), stops it with SIGTERM and gives it time to finish', () => {
    expect(setting('ExecStart')).toBe(['/usr/bin/node', ...startFlags(), '/opt/runbook-manager/dist/main.js'].join(' '));
    expect(setting('KillSignal')).toBe('SIGTERM');
    expect(Number(setting('TimeoutStopSec'))).toBeGreaterThan(10);
    expect(setting('DATABASE_PATH') ?? /DATABASE_PATH=(\S+)/.exec(unit)?.[1]).toBe('/var/lib/runbook-manager/runbooks.sqlite');
    expect(setting('StateDirectory')).toBe('runbook-manager');
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  // One instruction a line: continuation lines joined, comments dropped.
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: (keyword as string).toUpperCase(), args: rest.join(' ') };
    });
  const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim().replace(/\/$/, ''))
    .filter((line) => line !== '' && !line.startsWith('#'));

  test('has no syntax problem (the Docker language service’s validator)', () => {
    expect(validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  test('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const sources = all('COPY')
      .filter((args) => !args.startsWith('--from'))
      .flatMap((args) => args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect({ source, exists: fs.existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: ignored.includes(source.replace(/\/$/, '')) }).toEqual({ source, ignored: false });
    }
    // What the running server reads beside dist/.
    expect(sources).toEqual(expect.arrayContaining(['migrations', 'views', 'runbooks', 'package-lock.json']));
  });

  test('builds with npm ci (the lock file, prepare compiles dist/) and the tools better-sqlite3 may need', () => {
    expect(all('RUN').join('\n')).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(all('RUN').join('\n')).toContain('npm ci');
    expect(JSON.parse(read('package.json')).scripts.prepare).toBe('node scripts/build.mjs');
  });

  test('runs node on dist/main.js (with the node flags of npm start) as the server process, stopped by SIGTERM, with its health at /healthz and data in a volume', () => {
    expect(JSON.parse(all('CMD').at(-1) as string)).toEqual(['node', ...startFlags(), 'dist/main.js']);
    expect(all('STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(all('HEALTHCHECK').join(' ')).toContain('/healthz');
    expect(all('VOLUME')).toEqual(['["/data"]']);
    expect(all('ENV').join(' ')).toContain('DATABASE_PATH=/data/runbooks.sqlite');
    expect(all('USER')).toEqual(['node']);
    const major = (engines: string) => /(\d+)/.exec(engines)?.[1];
    expect(all('FROM').map((from) => /^node:(\d+)/.exec(from)?.[1])).toEqual([
      major(JSON.parse(read('package.json')).engines.node),
      major(JSON.parse(read('package.json')).engines.node),
    ]);
  });
});
