import type { Db } from '../db/open';
import { countUpTo, sql } from '../db/statements';
import { NotFoundError } from '../http/errors';
import { findRunbook, RESERVED_SLUGS, SLUG, SLUG_MAX, type RunbookRow } from './repo';

export { RESERVED_SLUGS };

/** Slugs the library's own addresses use: /runbooks/new is the form, not a runbook. */

/** A runbook by its slug, or the 404 a missing one gets. */
export function loadRunbook(db: Db, slug: string): RunbookRow {
  const row = SLUG.test(slug) ? findRunbook(db, slug) : undefined;
  if (!row || row.current_version_id === null) throw new NotFoundError(`Runbook "${slug}"`);
  return row;
}

/** What is wrong with a slug for a new runbook, or null. */
export function slugProblem(db: Db, slug: string): string | null {
  if (slug === '') return 'Enter a slug, or a title in the text to make one from';
  if (slug.length > SLUG_MAX) return `Use at most ${SLUG_MAX} characters`;
  if (!SLUG.test(slug)) return 'Use lowercase letters, digits and single dashes between them (e.g. ship-order)';
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is used by the library itself: choose another`;
  if (findRunbook(db, slug)) return `"${slug}" is already taken by another runbook: choose another`;
  return null;
}

/** A slug made from a title: "Ship a physical order" → "ship-a-physical-order". */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length <= SLUG_MAX ? slug : slug.slice(0, SLUG_MAX).replace(/-[^-]*$/, '');
}

export interface RecentRun {
  id: number;
  title: string;
  status: 'open' | 'complete';
  started_at: string;
  completed_at: string | null;
  version: number;
  done: number;
  steps: number;
}

/** The newest runs of a runbook with their progress, and how many it has in all (up to COUNT_CAP). */
export function recentRuns(db: Db, runbookId: number, limit = 10): { runs: RecentRun[]; total: number } {
  const runs = sql(
    db,
    `SELECT r.id, r.title, r.status, r.started_at, r.completed_at, v.number AS version,
            (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id AND s.status <> 'open') AS done,
            (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id) AS steps
       FROM runs r JOIN runbook_versions v ON v.id = r.version_id
      WHERE r.runbook_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
  ).all(runbookId, limit) as RecentRun[];
  return { runs, total: countUpTo(db, 'SELECT 1 FROM runs WHERE runbook_id = @runbookId', { runbookId }) };
}
