import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { findVersion, listAllRunbooks, listVersionSteps, toRunbook } from './repo';
import { writeRunbook } from './format/write';

/**
 * Writes every runbook's current version to `dir`/<slug>.md, archived ones to
 * `dir`/archived/<slug>.md (`npm run cli -- export`, and the runbooks of `export-all`).
 */
export function writeRunbookFiles(db: Db, dir: string): { current: number; archived: number } {
  fs.mkdirSync(dir, { recursive: true });
  let current = 0;
  let archived = 0;
  for (const row of listAllRunbooks(db)) {
    const version = findVersion(db, row.current_version_id);
    if (!version) continue;
    // Archived runbooks apart, so that pointing RUNBOOKS_DIR at the export does not
    // mix them with the live ones unnoticed.
    const into = row.archived_at ? path.join(dir, 'archived') : dir;
    fs.mkdirSync(into, { recursive: true });
    fs.writeFileSync(path.join(into, `${row.slug}.md`), writeRunbook(toRunbook(version, listVersionSteps(db, version.id))));
    if (row.archived_at) archived++;
    else current++;
  }
  return { current, archived };
}
