import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrationNames, MIGRATIONS_DIR } from './migrate';

/** A backup or restore that cannot be done; the message says why and what to do. */
export class BackupError extends Error {}

const sameFile = (a: string, b: string) => path.resolve(a) === path.resolve(b);

/** Makes a file's content (and its directory entry) durable before anything relies on it. */
function syncFile(file: string) {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir: string) {
  try {
    syncFile(dir);
  } catch {
    // Not every file system lets a directory be opened for fsync; the rename is still atomic.
  }
}

/** `PRAGMA integrity_check` of a database file, opened read-only: 'ok' or the first problems. */
function integrityOf(file: string): string {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
      .slice(0, 5)
      .map((row) => row.integrity_check)
      .join('; ');
  } catch (error) {
    return (error as Error).message;
  } finally {
    db?.close();
  }
}

/**
 * A consistent copy of the live database, taken while the server runs: VACUUM INTO reads one
 * snapshot (a read transaction: in WAL mode writers go on meanwhile) and writes it as a single
 * self-contained file, including what still sits in the -wal file. Written beside the target
 * and renamed into place once synced and checked, so a failed or interrupted backup never
 * leaves a half file under the name a restore would use.
 */
export function backupDatabase(databaseFile: string, target: string): { bytes: number } {
  if (!fs.existsSync(databaseFile)) throw new BackupError(`There is no database at ${databaseFile} (DATABASE_PATH) to back up`);
  if ([databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`].some((file) => sameFile(file, target))) {
    throw new BackupError(`${target} is the database itself: name a file elsewhere`);
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(databaseFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  try {
    // One file, no -wal beside it: a copy that any SQLite opens as it is.
    const copy = new Database(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const integrity = integrityOf(partial);
    if (integrity !== 'ok') throw new BackupError(`The copy failed its integrity check (${integrity}); nothing was written to ${target}`);
    syncFile(partial);
    fs.renameSync(partial, target);
    syncDirectory(path.dirname(path.resolve(target)));
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { bytes: fs.statSync(target).size };
}

/**
 * Whether another connection (a running server, a backup in progress) has the database open.
 * An exclusive lock cannot be had while any other connection holds the file in WAL mode, even
 * idle; it needs no lock file, so a server that was killed leaves nothing stale behind. On
 * success the lock is held until the returned connection is closed.
 */
function lockExclusively(databaseFile: string): Database.Database {
  const db = new Database(databaseFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('COMMIT');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new BackupError(
        `The database ${databaseFile} is in use: a server (or another command) has it open. ` +
          'Stop the server first (e.g. systemctl stop runbook-manager), then restore, then start it again.',
      );
    }
    throw error;
  }
}

/** Refuses a file that is not a sound database of this application, or one made by a newer version. */
function checkBackup(file: string, migrationsDir: string) {
  if (!fs.existsSync(file)) throw new BackupError(`There is no file ${file}`);
  if (fs.existsSync(`${file}-wal`)) {
    throw new BackupError(
      `${file} has a ${path.basename(file)}-wal file beside it, which holds part of its data: restore a copy made by "npm run cli -- backup"; nothing was changed`,
    );
  }
  const integrity = integrityOf(file);
  if (integrity !== 'ok') throw new BackupError(`${file} is not a sound SQLite database (${integrity}); nothing was changed`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasHistory = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasHistory) throw new BackupError(`${file} is not a runbook manager database (it has no migration history); nothing was changed`);
    const known = new Set(migrationNames(migrationsDir));
    const unknown = (db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[]).filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new BackupError(
        `${file} was made by a newer version (it has the migration ${unknown[0]}, which this one does not know): upgrade first; nothing was changed`,
      );
    }
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place of the database, which no server may have open (refused otherwise).
 * The database as it was is first copied to `<database>.before-restore-<time>`, so a restore
 * of the wrong file can itself be undone. Migrations newer than the backup are applied by the
 * next start, as after any upgrade.
 */
export function restoreDatabase(
  databaseFile: string,
  backup: string,
  { now = new Date(), migrationsDir = MIGRATIONS_DIR }: { now?: Date; migrationsDir?: string } = {},
): { keptAs: string | null } {
  if (sameFile(databaseFile, backup)) throw new BackupError(`${backup} is the database itself`);
  checkBackup(backup, migrationsDir);
  let keptAs: string | null = null;
  if (fs.existsSync(databaseFile)) {
    const db = lockExclusively(databaseFile);
    try {
      keptAs = `${databaseFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
      db.prepare('VACUUM INTO ?').run(keptAs);
    } finally {
      // Closing the last connection checkpoints the WAL into the file and removes it.
      db.close();
    }
  } else {
    fs.mkdirSync(path.dirname(path.resolve(databaseFile)), { recursive: true });
  }
  const incoming = `${databaseFile}.restoring`;
  fs.copyFileSync(backup, incoming);
  syncFile(incoming);
  // A -wal or -shm left beside the file belongs to the old database, never to the backup.
  for (const leftover of [`${databaseFile}-wal`, `${databaseFile}-shm`]) fs.rmSync(leftover, { force: true });
  fs.renameSync(incoming, databaseFile);
  syncDirectory(path.dirname(path.resolve(databaseFile)));
  return { keptAs };
}
