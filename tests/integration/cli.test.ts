import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runCli } from '../../server/cli/main';
import { createApp } from '../../server/app';
import { openDatabase, type Db } from '../../server/db/open';
import { migrate, migrationNames } from '../../server/db/migrate';
import { setArchived } from '../../server/runbooks/repo';
import { listAudit, COMMAND_LINE } from '../../server/audit/repo';
import { createSession } from '../../server/auth/sessions';

/**
 * `npm run cli`. Each test has a database of its own (DATABASE_PATH set for it), so none
 * depends on what another did before it.
 */

const ROOT = path.join(__dirname, '..', '..');
let root: string;
let dir: string;
const saved = { DATABASE_PATH: process.env.DATABASE_PATH, INIT_CWD: process.env.INIT_CWD };
let serial = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-cli-'));
  delete process.env.INIT_CWD;
});
beforeEach(() => {
  dir = path.join(root, `test-${++serial}`);
  fs.mkdirSync(dir);
  process.env.DATABASE_PATH = path.join(dir, 'cli.sqlite');
});
afterAll(() => {
  Object.assign(process.env, saved);
  fs.rmSync(root, { recursive: true, force: true });
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

/** This test's database, opened for a look (closed after `look`). */
function inDatabase<T>(look: (db: Db) => T): T {
  const db = openDatabase(process.env.DATABASE_PATH as string);
  try {
    return look(db);
  } finally {
    db.close();
  }
}

const GOOD = '---\ntitle: Good\nowner: Bookkeeper\n---\n\nIntro.\n\n## Only step\n\n- [ ] Done it\n';
const BAD = '---\ntitle: Bad\nincome: lots\n---\n\n## Pack\nEstimate: soon\n';
const PASSWORD = 'a long walk by the river';

function folder(name: string, files: Record<string, string>): string {
  const at = path.join(dir, name);
  fs.mkdirSync(at, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(at, file), text);
  return at;
}

test('lint passes the shipped runbooks', async () => {
  const { code, out } = await run(['lint', path.join(ROOT, 'runbooks')]);
  expect(out).toEqual([]);
  expect(code).toBe(0);
});

test('lint prints one path:line: reason line per problem and exits 1', async () => {
  const lintDir = folder('lint', { 'good.md': GOOD, 'bad.md': BAD, 'Not A Slug.md': GOOD });
  const { code, out } = await run(['lint', lintDir]);
  expect(code).toBe(1);
  expect(out).toEqual([
    `${path.join(lintDir, 'Not A Slug.md')}:1: file name "Not A Slug" is not a slug (lowercase letters, digits and dashes): rename the file to not-a-slug.md, or use Import to convert it, which names files for you`,
    `${path.join(lintDir, 'bad.md')}:3: income "lots" must be one of direct, indirect, none`,
    `${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration (e.g. 5m, 1h30m, 90 min, 2 hours)`,
  ]);
});

test('import stores the good files, reports the bad, and a second import changes nothing', async () => {
  const importDir = folder('import', { 'good.md': GOOD, 'bad.md': BAD });
  const first = await run(['import', importDir]);
  expect(first.code).toBe(1);
  expect(first.err.join('\n')).toContain('1 new, 0 updated, 0 unchanged, 2 problem(s)');
  const second = await run(['import', importDir]);
  expect(second.err.join('\n')).toContain('0 new, 0 updated, 1 unchanged');
  fs.writeFileSync(path.join(importDir, 'good.md'), GOOD.replace('Done it', 'Done it twice'));
  expect((await run(['import', importDir])).err.join('\n')).toContain('0 new, 1 updated');
  inDatabase((db) => {
    expect(
      db.prepare("SELECT count(*) AS n FROM runbook_versions v JOIN runbooks b ON b.id = v.runbook_id WHERE b.slug = 'good'").get(),
    ).toEqual({ n: 2 });
    expect(db.prepare("SELECT 1 FROM runbooks WHERE slug = 'bad'").get()).toBeUndefined();
  });
});

describe('export', () => {
  test('writes each runbook back as Markdown that imports to the same text', async () => {
    await run(['import', folder('import', { 'good.md': GOOD })]);
    const exportDir = path.join(dir, 'export');
    const { code, err } = await run(['export', exportDir]);
    expect(code).toBe(0);
    expect(err).toEqual([`1 runbook(s) written to ${exportDir}: 1 current, none archived`]);
    expect(fs.readFileSync(path.join(exportDir, 'good.md'), 'utf8')).toBe(GOOD);
  });

  test('writes archived runbooks too, into archived/, and says how many of each', async () => {
    await run(['import', folder('import', { 'good.md': GOOD, 'old.md': GOOD.replace('Good', 'Old') })]);
    inDatabase((db) => setArchived(db, db.prepare("SELECT id FROM runbooks WHERE slug = 'old'").pluck().get() as number, true));
    const exportDir = path.join(dir, 'export');
    const { code, err } = await run(['export', exportDir]);
    expect(code).toBe(0);
    expect(err).toEqual([`2 runbook(s) written to ${exportDir}: 1 current, 1 archived (in ${path.join(exportDir, 'archived')})`]);
    expect(fs.readdirSync(exportDir).sort()).toEqual(['archived', 'good.md']);
    expect(fs.readFileSync(path.join(exportDir, 'archived', 'old.md'), 'utf8')).toBe(GOOD.replace('Good', 'Old'));
  });
});

test('migrate --dry-run lists what would be applied and applies nothing; migrate applies it', async () => {
  inDatabase((db) => migrate(db));
  inDatabase((db) => db.prepare('DELETE FROM schema_migrations WHERE name = ?').run(migrationNames().at(-1)));
  const dry = await run(['migrate', '--dry-run']);
  expect(dry).toMatchObject({ code: 0, out: [`${process.env.DATABASE_PATH}: would apply 1:`, `  ${migrationNames().at(-1)}`] });
  expect(inDatabase((db) => db.prepare('SELECT count(*) FROM schema_migrations').pluck().get())).toBe(migrationNames().length - 1);
  expect(await run(['migrate', '--dry-run', '--now'])).toMatchObject({ code: 2 });
});

test('an unknown command prints the usage and exits 2', async () => {
  const { code, err } = await run(['frobnicate']);
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('Usage: npm run cli');
});

test('npm run cli -- lint exits 1 from a real process when a file is bad', async () => {
  const lintDir = folder('lint-process', { 'bad.md': BAD });
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'lint', lintDir], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(`${path.join(lintDir, 'bad.md')}:7: Estimate "soon" is not a duration`);
});

describe('accounts from the command line', () => {
  const person = (email: string) =>
    inDatabase(
      (db) =>
        db
          .prepare(
            'SELECT p.id, p.name, p.access_level, c.password_hash FROM people p LEFT JOIN credentials c ON c.person_id = p.id WHERE p.email = ?',
          )
          .get(email) as { id: number; name: string; access_level: string; password_hash: string | null } | undefined,
    );
  const olive = () => run(['user', 'create', '--email', 'Olive@Example.com', '--name', 'Olive', '--level', 'owner'], `${PASSWORD}\n`);

  test('user create makes an owner whose password is read from standard input and stored as argon2id', async () => {
    expect(await olive()).toMatchObject({ code: 0, out: ['Created owner account for olive@example.com'] });
    const row = person('olive@example.com');
    expect(row).toMatchObject({ name: 'Olive', access_level: 'owner' });
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.password_hash).not.toContain('river');
    expect(inDatabase((db) => listAudit(db, null, 50))[0]).toMatchObject({
      action: 'setup.owner-created',
      actor: { id: null, name: COMMAND_LINE },
    });
  });

  test('user create refuses an address that has an account, changes nothing, and says how to set a password instead', async () => {
    await olive();
    const before = person('olive@example.com');
    expect(
      await run(['user', 'create', '--email', 'olive@example.com', '--name', 'Someone Else', '--level', 'member'], 'another long password'),
    ).toEqual({
      code: 1,
      out: [],
      err: [
        'user: olive@example.com has an account already; nothing was changed. To give it a new password: npm run cli -- user set-password --email olive@example.com',
      ],
    });
    expect(person('olive@example.com')).toEqual(before);
  });

  test('user set-password gives an existing account a new password, ends its sessions, and the audit log names the command line', async () => {
    await olive();
    const { id, password_hash } = person('olive@example.com') as { id: number; password_hash: string };
    inDatabase((db) => createSession(db, { personId: id }));
    expect(await run(['user', 'set-password', '--email', 'OLIVE@example.com'], 'a brand new long password\n')).toEqual({
      code: 0,
      out: ['New password set for olive@example.com (their other sessions, personal links and API tokens have ended)'],
      err: [],
    });
    expect(person('olive@example.com')?.password_hash).not.toBe(password_hash);
    expect(inDatabase((db) => db.prepare('SELECT count(*) FROM sessions WHERE person_id = ?').pluck().get(id))).toBe(0);
    expect(inDatabase((db) => listAudit(db, null, 50))[0]).toMatchObject({
      action: 'password.changed',
      actor: { id: null, name: COMMAND_LINE },
      subject: { id, name: 'Olive' },
    });
    expect(await run(['user', 'set-password', '--email', 'nobody@example.com'], PASSWORD)).toMatchObject({
      code: 1,
      err: ['user: no account has the email nobody@example.com; create one with: npm run cli -- user create'],
    });
  });

  test('user create refuses a common password and a bad level, naming the problem', async () => {
    expect(await run(['user', 'create', '--email', 'a@example.com', '--name', 'A'], 'password123')).toMatchObject({
      code: 1,
      err: ['user: password is one of the most common passwords; choose another'],
    });
    expect(await run(['user', 'create', '--email', 'a@example.com', '--name', 'A', '--level', 'boss'], PASSWORD)).toMatchObject({
      code: 1,
      err: ['user: --level must be one of owner, editor, member, outsourcer'],
    });
    expect(person('a@example.com')).toBeUndefined();
  });

  test('token create prints a token that works as a Bearer token and is stored only as a hash', async () => {
    await olive();
    const { code, out } = await run(['token', 'create', '--email', 'olive@example.com', '--name', 'backup script']);
    expect(code).toBe(0);
    const token = out[0] as string;
    expect(token).toMatch(/^rbk_[\w-]{43}$/);
    const db = openDatabase(process.env.DATABASE_PATH as string);
    try {
      const stored = db.prepare('SELECT token_hash FROM api_tokens WHERE name = ?').get('backup script') as { token_hash: string };
      expect(stored.token_hash).not.toContain(token);
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
