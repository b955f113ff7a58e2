import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../server/db/open';
import { migrate } from '../../server/db/migrate';

/** A fresh, migrated database in its own temporary folder; call `cleanup` in afterAll. */
export function freshDb(): { db: Db; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-test-'));
  const db = openDatabase(path.join(dir, 'test.sqlite'));
  migrate(db);
  return {
    db,
    dir,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
