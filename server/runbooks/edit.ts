import type { Db } from '../db/open';
import { AppError } from '../http/errors';
import type { Runbook } from './format/model';
import { findVersion, saveVersion, type RunbookRow, type SaveOutcome } from './repo';
import { slugProblem } from './slugs';

/**
 * Saving a runbook edited in the app, whichever editor wrote the text (Markdown or the structured
 * form): the text has been parsed by the one parser; this checks nobody saved in between and
 * stores it as a new version. The page routes and their forms differ; this rule does not.
 */
export function saveEditedRunbook(
  db: Db,
  row: RunbookRow,
  edit: { source: string; runbook: Runbook; base: number | null; actorId: number },
): { outcome: SaveOutcome } {
  return db.transaction(() => {
    const current = findVersion(db, row.current_version_id);
    if (current && edit.base !== null && edit.base !== current.number) throw editConflict(edit.base, current.number);
    return saveVersion(db, row.slug, edit.source, edit.runbook, { origin: 'editor', createdBy: edit.actorId });
  })();
}

/** A runbook made in the app: the slug is checked again inside the transaction (two people creating it at once). */
export function createEditedRunbook(db: Db, edit: { slug: string; source: string; runbook: Runbook; actorId: number }): void {
  db.transaction(() => {
    const taken = slugProblem(db, edit.slug);
    if (taken) throw new AppError(422, 'invalid-slug', taken, 'slug');
    saveVersion(db, edit.slug, edit.source, edit.runbook, { origin: 'editor', createdBy: edit.actorId });
  })();
}

/** Someone saved version `to` while this text was edited from version `from`; saving again replaces it, knowingly. */
export function editConflict(from: number, to: number): AppError {
  return new AppError(
    409,
    'edit-conflict',
    `Version ${to} was saved while you were editing. Your text is kept below: compare the versions, then save again to replace it.`,
    'source',
    { from, to },
  );
}
