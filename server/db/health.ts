import type { Db } from './open';
import { migrationNames, MIGRATIONS_DIR } from './migrate';

/**
 * Whether the database answers and holds exactly the migrations this code was built with (for
 * GET /healthz). The files are read once: the code and its migrations change together, at a
 * restart. Any failure (the file gone read-only, the connection closed, a restore of an older
 * copy) is "not healthy", never an exception.
 */
export function databaseHealth(db: Db, dir: string = MIGRATIONS_DIR): () => boolean {
  const expected = migrationNames(dir).join('\n');
  return () => {
    try {
      const applied = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
      return applied.join('\n') === expected;
    } catch {
      return false;
    }
  };
}
