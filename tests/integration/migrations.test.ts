import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/open';
import { migrate, MIGRATIONS_DIR, MigrationError } from '../../server/db/migrate';
import { makeRunbook, runbookMarkdown } from '../helpers/factories';

let dir: string;
let migrationsDir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-migrate-'));
  migrationsDir = path.join(dir, 'migrations');
  fs.cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = () => openDatabase(path.join(dir, 'db.sqlite'));

test('a fresh file gets every migration, in name order, and the pragmas the app relies on', () => {
  const db = open();
  const applied = migrate(db, migrationsDir);
  expect(applied).toEqual(
    fs
      .readdirSync(migrationsDir)
      .filter((f) => f.endsWith('.sql'))
      .sort(),
  );
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((r) => (r as { name: string }).name);
  expect(tables).toEqual(expect.arrayContaining(['people', 'roles', 'runbooks', 'runbook_versions', 'runs', 'run_steps', 'run_events']));
  db.close();
});

test('a second start applies nothing and changes nothing', () => {
  const first = open();
  migrate(first, migrationsDir);
  const before = first.prepare('SELECT * FROM schema_migrations').all();
  first.close();
  const second = open();
  expect(migrate(second, migrationsDir)).toEqual([]);
  expect(second.prepare('SELECT * FROM schema_migrations').all()).toEqual(before);
  second.close();
});

test('a new file is applied on the next start, after the ones already applied', () => {
  const db = open();
  migrate(db, migrationsDir);
  fs.writeFileSync(path.join(migrationsDir, '99999999-9999-extra.sql'), 'CREATE TABLE extra (id INTEGER PRIMARY KEY);');
  expect(migrate(db, migrationsDir)).toEqual(['99999999-9999-extra.sql']);
  db.close();
});

test('a failing migration leaves no half change and is not recorded', () => {
  const db = open();
  migrate(db, migrationsDir);
  fs.writeFileSync(path.join(migrationsDir, '99999999-9999-broken.sql'), 'CREATE TABLE half (id INTEGER);\nNOT SQL AT ALL;');
  expect(() => migrate(db, migrationsDir)).toThrow();
  expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  expect(db.prepare("SELECT 1 FROM schema_migrations WHERE name = '99999999-9999-broken.sql'").get()).toBeUndefined();
  db.close();
});

describe('a tampered history is refused, naming the file', () => {
  const first = () =>
    fs
      .readdirSync(migrationsDir)
      .filter((f) => f.endsWith('.sql'))
      .sort()[0] as string;

  test('when an applied file was edited', () => {
    const db = open();
    migrate(db, migrationsDir);
    fs.appendFileSync(path.join(migrationsDir, first()), '\n-- edited later\n');
    expect(() => migrate(db, migrationsDir)).toThrow(MigrationError);
    expect(() => migrate(db, migrationsDir)).toThrow(first());
    db.close();
  });

  test('when an applied file was renamed', () => {
    const db = open();
    migrate(db, migrationsDir);
    const name = first();
    fs.renameSync(path.join(migrationsDir, name), path.join(migrationsDir, `renamed-${name}`));
    expect(() => migrate(db, migrationsDir)).toThrow(new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    db.close();
  });

  test('when an applied file was removed', () => {
    const db = open();
    migrate(db, migrationsDir);
    const name = first();
    fs.rmSync(path.join(migrationsDir, name));
    expect(() => migrate(db, migrationsDir)).toThrow(`"${name}" was applied but no such file exists any more`);
    db.close();
  });
});

describe('the schema stays readable by older SQLite shells', () => {
  const SHELL = '/usr/bin/sqlite3';

  test('the search source gives the same text, steps in position order, after the view is rewritten for SQLite 3.40', () => {
    // Up to the migration before the rewrite, with runbooks whose steps were stored out of order.
    const rewrite = '20261205-0200-search-source-for-sqlite-3-40.sql';
    const before = path.join(dir, 'before');
    fs.mkdirSync(before);
    for (const name of fs.readdirSync(migrationsDir).filter((n) => n.endsWith('.sql') && n < rewrite)) {
      fs.copyFileSync(path.join(migrationsDir, name), path.join(before, name));
    }
    const db = open();
    migrate(db, before);
    makeRunbook(
      db,
      'ship',
      runbookMarkdown('Ship', [{ title: 'Pack', body: 'Box it.' }, { title: 'Label?' }, { title: 'Send', body: 'Post.' }]),
    );
    makeRunbook(db, 'bill', runbookMarkdown('Bill', [{ title: 'Invoice' }]));
    // Positions reversed in place: rowid order is no longer position order.
    db.exec('UPDATE runbook_steps SET position = -position');
    db.exec(
      'UPDATE runbook_steps SET position = (SELECT count(*) FROM runbook_steps t WHERE t.version_id = runbook_steps.version_id) + 1 + position',
    );
    const source = () => db.prepare('SELECT * FROM runbook_search_source ORDER BY id').all();
    const expected = source();
    expect(JSON.stringify(expected)).toContain('Send:\\nPost.\\n\\nLabel?\\n\\n\\nPack:\\nBox it.');

    expect(migrate(db, migrationsDir)).toContain(rewrite);
    expect(source()).toEqual(expected);
    // The triggers read the new view: a new version is indexed with it.
    makeRunbook(db, 'bill', runbookMarkdown('Bill', [{ title: 'Invoice' }, { title: 'Chase' }]));
    expect(db.prepare("SELECT steps FROM runbook_search WHERE rowid = (SELECT id FROM runbooks WHERE slug = 'bill')").pluck().get()).toBe(
      'Invoice:\n\n\nChase:\n',
    );
    db.close();
  });

  test(`Debian 12's sqlite3 (3.40) opens a migrated database and finds it sound`, () => {
    const db = open();
    migrate(db, migrationsDir);
    makeRunbook(db, 'ship', runbookMarkdown('Ship', [{ title: 'Pack' }]));
    db.close();
    const result = spawnSync(SHELL, [path.join(dir, 'db.sqlite'), 'PRAGMA integrity_check; SELECT count(*) FROM runbook_search_source;'], {
      encoding: 'utf8',
    });
    expect({ stderr: result.stderr, stdout: result.stdout }).toEqual({ stderr: '', stdout: 'ok\n1\n' });
  });
});
