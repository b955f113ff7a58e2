import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/cli/main';
import { openDatabase } from '../../server/db/open';

const ROOT = path.join(__dirname, '..', '..');
let dir: string;
const saved = { DATABASE_PATH: process.env.DATABASE_PATH, INIT_CWD: process.env.INIT_CWD };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-cli-'));
  process.env.DATABASE_PATH = path.join(dir, 'cli.sqlite');
  delete process.env.INIT_CWD;
});
afterAll(() => {
  Object.assign(process.env, saved);
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const GOOD = '---\ntitle: Good\nowner: Bookkeeper\n---\n\nIntro.\n\n## Only step\n\n- [ ] Done it\n';
const BAD = '---\ntitle: Bad\nincome: lots\n---\n\n## Pack\nEstimate: soon\n';

test('lint passes the shipped runbooks', () => {
  const { code, out } = run(['lint', path.join(ROOT, 'runbooks')]);
  expect(out).toEqual([]);
  expect(code).toBe(0);
});

test('lint prints one path:line: reason line per problem and exits 1', () => {
  const lintDir = path.join(dir, 'lint');
  fs.mkdirSync(lintDir);
  fs.writeFileSync(path.join(lintDir, 'good.md'), GOOD);
  fs.writeFileSync(path.join(lintDir, 'bad.md'), BAD);
  fs.writeFileSync(path.join(lintDir, 'Not A Slug.md'), GOOD);
  const { code, out } = run(['lint', lintDir]);
  expect(code).toBe(1);
  expect(out).toEqual([
    `${path.join(lintDir, 'Not A Slug.md')}:1: file name "Not A Slug" is not a slug: use lowercase letters, digits and dashes`,
    `${path.join(lintDir, 'bad.md')}:3: income "lots" must be one of direct, indirect, none`,
    `${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration (e.g. 5m, 1h30m, 90 min, 2 hours)`,
  ]);
});

test('import stores the good files, reports the bad, and a second import changes nothing', () => {
  const importDir = path.join(dir, 'import');
  fs.mkdirSync(importDir);
  fs.writeFileSync(path.join(importDir, 'good.md'), GOOD);
  fs.writeFileSync(path.join(importDir, 'bad.md'), BAD);
  const first = run(['import', importDir]);
  expect(first.code).toBe(1);
  expect(first.err.join('\n')).toContain('1 new, 0 updated, 0 unchanged, 2 problem(s)');
  const second = run(['import', importDir]);
  expect(second.err.join('\n')).toContain('0 new, 0 updated, 1 unchanged');
  fs.writeFileSync(path.join(importDir, 'good.md'), GOOD.replace('Done it', 'Done it twice'));
  expect(run(['import', importDir]).err.join('\n')).toContain('0 new, 1 updated');
  const db = openDatabase(process.env.DATABASE_PATH as string);
  expect(db.prepare("SELECT count(*) AS n FROM runbook_versions v JOIN runbooks b ON b.id = v.runbook_id WHERE b.slug = 'good'").get()).toEqual({ n: 2 });
  expect(db.prepare("SELECT 1 FROM runbooks WHERE slug = 'bad'").get()).toBeUndefined();
  db.close();
});

test('export writes each runbook back as Markdown that imports to the same text', () => {
  const exportDir = path.join(dir, 'export');
  const { code } = run(['export', exportDir]);
  expect(code).toBe(0);
  expect(fs.readFileSync(path.join(exportDir, 'good.md'), 'utf8')).toBe(GOOD.replace('Done it', 'Done it twice'));
});

test('an unknown command prints the usage and exits 2', () => {
  const { code, err } = run(['frobnicate']);
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('Usage: npm run cli');
});

test('npm run cli -- lint exits 1 from a real process when a file is bad', () => {
  const lintDir = path.join(dir, 'lint-process');
  fs.mkdirSync(lintDir);
  fs.writeFileSync(path.join(lintDir, 'bad.md'), BAD);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'server/cli/main.ts', 'lint', lintDir], {
    cwd: ROOT, encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(`${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration`);
});
