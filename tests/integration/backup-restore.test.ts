import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { preparedDatabase, runCliProcess, startServer, tempDir, writeLoad, type ServerProcess } from '../helpers/server-process';
import { backupDatabase, BackupError, restoreDatabase } from '../../server/db/backup';
import { openDatabase } from '../../server/db/open';

/**
 * `npm run cli -- backup FILE` and `restore FILE` against the real server in another process,
 * under write load, as an operator's cron job meets it.
 */

const { dir, cleanup } = tempDir('backup');
let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.stop();
  cleanup();
});

const titlesIn = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(db.prepare('SELECT title FROM runs').pluck().all() as string[]);
  } finally {
    db.close();
  }
};

test('under write load: a backup opens, is sound (also to the system sqlite3), holds every write acknowledged before it; a restore is refused while the server runs and puts it back once stopped', async () => {
  const { file, token, runbooksDir } = preparedDatabase(path.join(dir, 'live'));
  const env = { DATABASE_PATH: file, RUNBOOKS_DIR: runbooksDir };
  server = await startServer(env);
  const load = writeLoad(server.url, token, { connections: 8 });
  while (load.acknowledged.length < 100) await new Promise((resolve) => setTimeout(resolve, 20));

  const copy = path.join(dir, 'copies', 'nightly.sqlite');
  const before = load.acknowledged.map((a) => a.title);
  const backup = await runCliProcess(['backup', copy], env);
  const writtenDuring = load.acknowledged.length - before.length;
  expect(backup).toMatchObject({ code: 0, stderr: expect.stringContaining(`written to ${copy}`) });
  expect(writtenDuring).toBeGreaterThan(0);

  // One self-contained file: no -wal beside it to forget.
  expect(fs.existsSync(`${copy}-wal`)).toBe(false);
  const inCopy = titlesIn(copy);
  expect(before.filter((title) => !inCopy.has(title))).toEqual([]);
  const opened = new Database(copy, { readonly: true });
  expect(opened.pragma('integrity_check', { simple: true })).toBe('ok');
  opened.close();
  const shell = spawnSync('/usr/bin/sqlite3', [copy, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
  expect({ stdout: shell.stdout, stderr: shell.stderr }).toEqual({ stdout: 'ok\n', stderr: '' });

  // Restoring over a running server is refused, with a message, and changes nothing.
  const refused = await runCliProcess(['restore', copy], env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('is in use: a server (or another command) has it open. Stop the server first');
  expect(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('before-restore'))).toEqual([]);

  await load.stop();
  expect((await server.stop()).code).toBe(0);
  server = null;
  const atStop = titlesIn(file);
  expect(atStop.size).toBeGreaterThan(inCopy.size);

  const restored = await runCliProcess(['restore', copy], env);
  expect(restored).toMatchObject({ code: 0, stderr: expect.stringContaining(`Restored ${file} from ${copy}`) });
  expect(titlesIn(file)).toEqual(inCopy);
  // The database as it was, kept beside it.
  const kept = fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith('runbooks.sqlite.before-restore-'));
  expect(kept).toHaveLength(1);
  expect(titlesIn(path.join(path.dirname(file), kept[0] as string))).toEqual(atStop);

  // And the server starts on it, healthy.
  server = await startServer(env);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await server.stop()).code).toBe(0);
  server = null;
}, 120_000);

describe('refusals, with nothing changed', () => {
  const live = () => {
    const { file } = preparedDatabase(fs.mkdtempSync(path.join(dir, 'case-')));
    return file;
  };

  test('a backup onto the database itself, or of a database that does not exist', () => {
    const file = live();
    expect(() => backupDatabase(file, file)).toThrow(new BackupError(`${file} is the database itself: name a file elsewhere`));
    expect(() => backupDatabase(`${file}-wal`.replace('-wal', ''), `${file}-wal`)).toThrow(BackupError);
    expect(() => backupDatabase(path.join(dir, 'none.sqlite'), path.join(dir, 'x.sqlite'))).toThrow(/There is no database at/);
  });

  test('a restore of a file that is not a database, of another application, or from a newer version', () => {
    const file = live();
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all');
    expect(() => restoreDatabase(file, junk)).toThrow(/is not a sound SQLite database/);

    const other = path.join(dir, 'other.sqlite');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => restoreDatabase(file, other)).toThrow(/is not a runbook manager database/);

    const newer = path.join(dir, 'newer.sqlite');
    backupDatabase(file, newer);
    const db = new Database(newer);
    db.prepare("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('99999999-9999-future.sql', '', '')").run();
    db.close();
    expect(() => restoreDatabase(file, newer)).toThrow(/was made by a newer version \(it has the migration 99999999-9999-future.sql/);
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('before-restore'))).toEqual([]);
  });

  test('a restore while another connection has the database open, even idle', () => {
    const file = live();
    const copy = path.join(dir, 'idle-copy.sqlite');
    backupDatabase(file, copy);
    const holder = openDatabase(file);
    try {
      expect(() => restoreDatabase(file, copy)).toThrow(/is in use/);
    } finally {
      holder.close();
    }
    expect(restoreDatabase(file, copy).keptAs).toMatch(/before-restore-/);
  });

  test('a restore where no database exists yet simply puts the copy there', () => {
    const file = live();
    const copy = path.join(dir, 'fresh-copy.sqlite');
    backupDatabase(file, copy);
    const target = path.join(dir, 'new-home', 'runbooks.sqlite');
    expect(restoreDatabase(target, copy)).toEqual({ keptAs: null });
    expect(titlesIn(target)).toEqual(titlesIn(copy));
  });
});
