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

test('rebuilding run_steps for the new step states keeps every run, step, check and event, and every reference', () => {
  const db = open();
  // Every migration before the rebuild, then a run made the way the app made them then.
  const before = fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .filter((f) => f < '20261205-0600');
  const early = path.join(dir, 'early');
  fs.mkdirSync(early);
  for (const f of before) fs.copyFileSync(path.join(migrationsDir, f), path.join(early, f));
  migrate(db, early);
  db.exec(`
    INSERT INTO people (id, name, email, kind, access_level, created_at) VALUES (1, 'Vera', 'v@example.com', 'team', 'owner', '2026-01-01');
    INSERT INTO runbooks (id, slug, created_at) VALUES (1, 'ship', '2026-01-01');
    INSERT INTO runbook_versions (id, runbook_id, number, source, source_hash, front_matter, title, intro, origin, created_at)
      VALUES (1, 1, 1, 's', 'h', 'title: Ship', 'Ship', '', 'import', '2026-01-01');
    UPDATE runbooks SET current_version_id = 1 WHERE id = 1;
    INSERT INTO runbook_steps (id, version_id, position, title, body) VALUES (1, 1, 1, 'Pack', ''), (2, 1, 2, 'Post', '');
    INSERT INTO runs (id, runbook_id, version_id, title, status, started_at) VALUES (1, 1, 1, 'Order 1', 'open', '2026-01-02');
    INSERT INTO run_steps (id, run_id, position, runbook_step_id, title, assignee_id, optional, status, completed_by, completed_at, due_at)
      VALUES (10, 1, 1, 1, 'Pack', 1, 0, 'complete', 1, '2026-01-02T10:00:00Z', '2026-01-02T12:00:00Z'),
             (11, 1, 2, 2, 'Post', 1, 0, 'open', NULL, NULL, '2026-01-03T12:00:00Z');
    INSERT INTO run_checks (run_step_id, idx, text, ticked_by, ticked_at) VALUES (10, 0, 'Binder', 1, '2026-01-02T09:00:00Z');
    INSERT INTO run_events (run_id, run_step_id, kind, actor_id, at) VALUES (1, 10, 'step.completed', 1, '2026-01-02T10:00:00Z');
  `);
  const steps = db
    .prepare('SELECT id, run_id, position, title, assignee_id, status, completed_by, completed_at, due_at FROM run_steps ORDER BY id')
    .all();
  const columns = () => (db.prepare('PRAGMA table_info(run_steps)').all() as { name: string }[]).map((c) => c.name);
  const indexes = () =>
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'run_steps'").pluck().all() as string[];
  const [columnsBefore, indexesBefore] = [columns(), indexes()];
  migrate(db, migrationsDir);
  // Nothing the table had is lost in the rebuild: every column and every index is still there.
  expect(columns()).toEqual(expect.arrayContaining(columnsBefore));
  expect(indexes()).toEqual(expect.arrayContaining(indexesBefore));
  expect(
    db
      .prepare('SELECT id, run_id, position, title, assignee_id, status, completed_by, completed_at, due_at FROM run_steps ORDER BY id')
      .all(),
  ).toEqual(steps);
  expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  expect(db.prepare("SELECT count(*) AS n FROM run_checks JOIN run_steps s ON s.id = run_step_id WHERE s.title = 'Pack'").get()).toEqual({
    n: 1,
  });
  // The new states are allowed, and the open-steps index is back.
  db.prepare("UPDATE run_steps SET status = 'awaiting-approval' WHERE id = 11").run();
  expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'run_steps_open_by_assignee'").get()).toBeDefined();
  expect(() => db.prepare("UPDATE run_steps SET status = 'lost' WHERE id = 11").run()).toThrow(/CHECK constraint/);
  db.close();
});

test('the one-link-per-person migration ends the links the rules never allowed and the visitors’ sessions', () => {
  const mine = '20261205-0100-one-link-per-person.sql';
  const later = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql') && f >= mine);
  const held = path.join(dir, 'held');
  fs.mkdirSync(held);
  for (const file of later) fs.renameSync(path.join(migrationsDir, file), path.join(held, file));
  const db = open();
  migrate(db, migrationsDir);
  const at = new Date().toISOString();
  const person = (name: string, level: string) =>
    Number(
      db
        .prepare("INSERT INTO people (name, email, kind, access_level, active, created_at) VALUES (?, ?, 'team', ?, 1, ?)")
        .run(name, `${name}@example.com`, level, at).lastInsertRowid,
    );
  const [owner, editor, member, otto] = [
    person('owner', 'owner'),
    person('editor', 'editor'),
    person('member', 'member'),
    person('otto', 'outsourcer'),
  ];
  let n = 0;
  const link = (personId: number, by: number, created = at) =>
    Number(
      db
        .prepare('INSERT INTO access_links (person_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(personId, `hash-${++n}`, by, created, '2999-01-01T00:00:00.000Z').lastInsertRowid,
    );
  const session = (personId: number | null, linkId: number | null) =>
    db
      .prepare(
        "INSERT INTO sessions (id_hash, person_id, link_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, 'x', ?, ?, '2999-01-01')",
      )
      .run(`session-${++n}`, personId, linkId, at, at);
  const ownersLink = link(owner, editor);
  const membersByEditor = link(member, editor);
  const membersByOwner = link(member, owner);
  const ottoOld = link(otto, editor);
  const ottoNew = link(otto, editor);
  session(null, null);
  session(owner, ownersLink);
  session(otto, ottoOld);
  session(otto, ottoNew);
  for (const file of later) fs.renameSync(path.join(held, file), path.join(migrationsDir, file));
  expect(migrate(db, migrationsDir)).toEqual(later);
  const live = db.prepare('SELECT id FROM access_links WHERE revoked_at IS NULL ORDER BY id').pluck().all();
  expect(live).toEqual([membersByOwner, ottoNew]);
  expect(db.prepare('SELECT link_id FROM sessions ORDER BY link_id').pluck().all()).toEqual([ottoNew]);
  // Links now end 30 days after their last use, not 90 after they were made.
  const ends = db.prepare('SELECT created_at, expires_at FROM access_links WHERE id = ?').get(ottoNew) as {
    created_at: string;
    expires_at: string;
  };
  expect(Date.parse(ends.expires_at) - Date.parse(ends.created_at)).toBe(30 * 86_400_000);
  expect(() => link(otto, owner)).toThrow(/UNIQUE/);
  expect([membersByEditor, ottoOld, ownersLink].every((id) => typeof id === 'number')).toBe(true);
  db.close();
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
    // Stored as that schema held them (today's saveVersion writes columns later migrations add).
    const stored = (slug: string, title: string, steps: { title: string; body?: string }[]) => {
      const at = '2026-12-01T00:00:00.000Z';
      const runbook = Number(db.prepare('INSERT INTO runbooks (slug, created_at) VALUES (?, ?)').run(slug, at).lastInsertRowid);
      const version = Number(
        db
          .prepare(
            `INSERT INTO runbook_versions (runbook_id, number, source, source_hash, front_matter, title, intro, origin, created_at)
             VALUES (?, 1, '', '', '', ?, '', 'api', ?)`,
          )
          .run(runbook, title, at).lastInsertRowid,
      );
      steps.forEach((step, i) =>
        db
          .prepare('INSERT INTO runbook_steps (version_id, position, title, body) VALUES (?, ?, ?, ?)')
          .run(version, i + 1, step.title, step.body ?? ''),
      );
      db.prepare('UPDATE runbooks SET current_version_id = ? WHERE id = ?').run(version, runbook);
    };
    stored('ship', 'Ship', [{ title: 'Pack', body: 'Box it.' }, { title: 'Label?' }, { title: 'Send', body: 'Post.' }]);
    stored('bill', 'Bill', [{ title: 'Invoice' }]);
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
