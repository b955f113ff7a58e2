import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';

/**
 * An import never silently replaces an edit made in the app. When a runbook's current version
 * was made in the app (the editor or the API) and its text differs from the last version that
 * came from a file, importing a file over it would lose that edit: the import is refused for
 * that runbook, unless forced. Every way a file comes in goes through here: the start-up seed
 * from RUNBOOKS_DIR (never forced: an upgrade that ships new runbook files must not revert an
 * owner's edits), `import DIR` and `import --convert` on the command line, POST /api/import and
 * the import page.
 */

export interface AppEdit {
  slug: string;
  /** The number of the current version, made in the app. */
  version: number;
}

/**
 * The app's edit a file with text `incomingHash` would overwrite, or null when there is none:
 * no such runbook yet, the file holds the current text already, the current version came from
 * a file, or it is the same text as the last import (restored, say).
 */
export function appEditSinceImport(db: Db, slug: string, incomingHash: string): AppEdit | null {
  const current = sql(
    db,
    `SELECT v.number, v.origin, v.source_hash,
            (SELECT i.source_hash FROM runbook_versions i
              WHERE i.runbook_id = b.id AND i.origin = 'import' ORDER BY i.number DESC LIMIT 1) AS imported_hash
       FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id WHERE b.slug = ?`,
  ).get(slug) as { number: number; origin: string; source_hash: string; imported_hash: string | null } | undefined;
  if (!current || current.source_hash === incomingHash || current.origin === 'import') return null;
  if (current.imported_hash === current.source_hash) return null;
  return { slug, version: current.number };
}

/** How the refusal reads, after the file's path (or the runbook's file name): the same everywhere. */
export const appEditMessage = (edit: Pick<AppEdit, 'version'>) =>
  `changed in the app since the last import (version ${edit.version}); not imported`;

/** Refuses (409 changed-in-app) an import over an app edit, unless `force`. */
export function refuseAppEdit(db: Db, slug: string, incomingHash: string, force: boolean, name = `${slug}.md`): void {
  if (force) return;
  const edit = appEditSinceImport(db, slug, incomingHash);
  if (edit) {
    throw new ConflictError('changed-in-app', `${name}: ${appEditMessage(edit)}`, { field: 'slug', slug, version: edit.version });
  }
}
