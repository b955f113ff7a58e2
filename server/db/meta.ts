import crypto from 'node:crypto';
import type { Db } from './open';

/**
 * The key that signs list cursors (server/http/paging.ts), made by a migration and kept in the
 * database, so that a "next" link still works after a restart. Made here should a database
 * somehow lack it.
 */
export function cursorKey(db: Db): Buffer {
  const row = db.prepare("SELECT value FROM app_meta WHERE key = 'cursor_key'").get() as { value: string } | undefined;
  if (row) return Buffer.from(row.value, 'hex');
  const made = crypto.randomBytes(32);
  db.prepare("INSERT INTO app_meta (key, value) VALUES ('cursor_key', ?)").run(made.toString('hex'));
  return made;
}
