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

async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
    async () => stdin,
  );
  return { code, out, err };
}

const GOOD = '---\ntitle: Good\nowner: Bookkeeper\n---\n\nIntro.\n\n## Only step\n\n- [ ] Done it\n';
const BAD = '---\ntitle: Bad\nincome: lots\n---\n\n## Pack\nEstimate: soon\n';

test('lint passes the shipped runbooks', async () => {
  const { code, out } = await run(['lint', path.join(ROOT, 'runbooks')]);
  expect(out).toEqual([]);
  expect(code).toBe(0);
});

test('lint prints one path:line: reason line per problem and exits 1', async () => {
  const lintDir = path.join(dir, 'lint');
  fs.mkdirSync(lintDir);
  fs.writeFileSync(path.join(lintDir, 'good.md'), GOOD);
  fs.writeFileSync(path.join(lintDir, 'bad.md'), BAD);
  fs.writeFileSync(path.join(lintDir, 'Not A Slug.md'), GOOD);
  const { code, out } = await run(['lint', lintDir]);
  expect(code).toBe(1);
  expect(out).toEqual([
    `${path.join(lintDir, 'Not A Slug.md')}:1: file name "Not A Slug" is not a slug (lowercase letters, digits and dashes): rename the file to not-a-slug.md, or use Import to convert it, which names files for you`,
    `${path.join(lintDir, 'bad.md')}:3: income "lots" must be one of direct, indirect, none`,
    `${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration (e.g. 5m, 1h30m, 90 min, 2 hours)`,
  ]);
});

test('import stores the good files, reports the bad, and a second import changes nothing', async () => {
  const importDir = path.join(dir, 'import');
  fs.mkdirSync(importDir);
  fs.writeFileSync(path.join(importDir, 'good.md'), GOOD);
  fs.writeFileSync(path.join(importDir, 'bad.md'), BAD);
  const first = await run(['import', importDir]);
  expect(first.code).toBe(1);
  expect(first.err.join('\n')).toContain('1 new, 0 updated, 0 unchanged, 2 problem(s)');
  const second = await run(['import', importDir]);
  expect(second.err.join('\n')).toContain('0 new, 0 updated, 1 unchanged');
  fs.writeFileSync(path.join(importDir, 'good.md'), GOOD.replace('Done it', 'Done it twice'));
  expect((await run(['import', importDir])).err.join('\n')).toContain('0 new, 1 updated');
  const db = openDatabase(process.env.DATABASE_PATH as string);
  expect(
    db.prepare("SELECT count(*) AS n FROM runbook_versions v JOIN runbooks b ON b.id = v.runbook_id WHERE b.slug = 'good'").get(),
  ).toEqual({ n: 2 });
  expect(db.prepare("SELECT 1 FROM runbooks WHERE slug = 'bad'").get()).toBeUndefined();
  db.close();
});

test('export writes each runbook back as Markdown that imports to the same text', async () => {
  const exportDir = path.join(dir, 'export');
  const { code } = await run(['export', exportDir]);
  expect(code).toBe(0);
  expect(fs.readFileSync(path.join(exportDir, 'good.md'), 'utf8')).toBe(GOOD.replace('Done it', 'Done it twice'));
});

test('an unknown command prints the usage and exits 2', async () => {
  const { code, err } = await run(['frobnicate']);
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('Usage: npm run cli');
});

test('npm run cli -- lint exits 1 from a real process when a file is bad', async () => {
  const lintDir = path.join(dir, 'lint-process');
  fs.mkdirSync(lintDir);
  fs.writeFileSync(path.join(lintDir, 'bad.md'), BAD);
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'server/cli/main.ts', 'lint', lintDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(`${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration`);
});

describe('accounts from the command line', () => {
  const person = (email: string) => {
    const db = openDatabase(process.env.DATABASE_PATH as string);
    try {
      return db
        .prepare(
          'SELECT p.name, p.access_level, c.password_hash FROM people p LEFT JOIN credentials c ON c.person_id = p.id WHERE p.email = ?',
        )
        .get(email) as { name: string; access_level: string; password_hash: string | null } | undefined;
    } finally {
      db.close();
    }
  };

  test('user create makes an owner whose password is read from standard input and stored as argon2id', async () => {
    const result = await run(
      ['user', 'create', '--email', 'Olive@Example.com', '--name', 'Olive', '--level', 'owner'],
      'a long walk by the river\n',
    );
    expect(result).toMatchObject({ code: 0, out: ['Created owner account for olive@example.com'] });
    const olive = person('olive@example.com');
    expect(olive).toMatchObject({ name: 'Olive', access_level: 'owner' });
    expect(olive?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(olive?.password_hash).not.toContain('river');
  });

  test('user create refuses a common password and a bad level, naming the problem', async () => {
    expect(await run(['user', 'create', '--email', 'a@example.com', '--name', 'A'], 'password123')).toMatchObject({
      code: 1,
      err: ['user: password is one of the most common passwords; choose another'],
    });
    expect(
      await run(['user', 'create', '--email', 'a@example.com', '--name', 'A', '--level', 'boss'], 'a long walk by the river'),
    ).toMatchObject({
      code: 1,
      err: ['user: --level must be one of owner, editor, member, outsourcer'],
    });
    expect(person('a@example.com')).toBeUndefined();
  });

  test('token create prints a token that works as a Bearer token and is stored only as a hash', async () => {
    const { code, out } = await run(['token', 'create', '--email', 'olive@example.com', '--name', 'backup script']);
    expect(code).toBe(0);
    const token = out[0] as string;
    expect(token).toMatch(/^rbk_[\w-]{43}$/);
    const db = openDatabase(process.env.DATABASE_PATH as string);
    try {
      const stored = db.prepare('SELECT token_hash FROM api_tokens WHERE name = ?').get('backup script') as { token_hash: string };
      expect(stored.token_hash).not.toContain(token);
      const { createApp } = await import('../../server/app');
      const request = (await import('supertest')).default;
      const app = createApp({ db, config: { runbooksDir: dir, baseUrl: 'https://runbooks.test' }, log: () => {} });
      const me = await request(app).get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(me.body).toMatchObject({ email: 'olive@example.com', level: 'owner', via: 'token' });
    } finally {
      db.close();
    }
  });

  test('token create for an unknown email exits 1 with the reason', async () => {
    expect(await run(['token', 'create', '--email', 'nobody@example.com'])).toMatchObject({
      code: 1,
      err: ['token: no active person has the email nobody@example.com'],
    });
  });
});
