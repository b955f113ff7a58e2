import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open';

export const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

export class MigrationError extends Error {}

/** A migration that rebuilds a referenced table says so on a line of its own. */
const FOREIGN_KEYS_OFF = /^-- migrate: foreign keys off$/m;

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  return migrationNames(dir).map((name) => {
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
  });
}

/** The names of the migration files, in the order they apply. */
export function migrationNames(dir: string = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

/** The names of the migrations that have not been applied to this database yet (`migrate --dry-run`). */
export function pendingMigrations(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = new Set(hasTable ? (db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]) : []);
  return migrationNames(dir).filter((name) => !applied.has(name));
}

/**
 * Applies the `.sql` files of `dir` in name order, each in its own transaction, and records
 * them. The applied history must be a prefix of the files, unchanged: a file renamed, removed
 * or edited after it ran means the schema is no longer what the code expects, so we refuse.
 * Returns the names applied by this call.
 */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const files = readMigrations(dir);
  const applied = db.prepare('SELECT name, checksum FROM schema_migrations ORDER BY name').all() as { name: string; checksum: string }[];

  applied.forEach((row, i) => {
    const file = files[i];
    if (!file || file.name !== row.name) {
      const reason = files.some((f) => f.name === row.name)
        ? `a file now comes before it: "${file?.name}"`
        : 'no such file exists any more';
      throw new MigrationError(`Migration history does not match migrations/: "${row.name}" was applied but ${reason}`);
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Migration "${row.name}" was edited after it was applied`);
    }
  });

  const record = db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  const pending = files.slice(applied.length);
  for (const file of pending) {
    // Rebuilding a table that others reference (SQLite cannot change a column's CHECK in place)
    // needs foreign keys off for the length of it, as SQLite's own procedure says; they are
    // checked in full before the migration commits, and turned on again whatever happens.
    const rebuild = FOREIGN_KEYS_OFF.test(file.sql);
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(file.sql);
        if (rebuild) {
          const broken = db.prepare('PRAGMA foreign_key_check').all() as { table: string; parent: string }[];
          if (broken.length > 0) {
            throw new MigrationError(
              `Migration "${file.name}" leaves ${broken.length} broken reference(s), e.g. ${broken[0]?.table} → ${broken[0]?.parent}`,
            );
          }
        }
        record.run(file.name, file.checksum, new Date().toISOString());
      })();
    } finally {
      if (rebuild) db.pragma('foreign_keys = ON');
    }
  }
  return pending.map((f) => f.name);
}
