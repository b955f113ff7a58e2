import type { Db } from '../db/open';
import { countUpTo, sql } from '../db/statements';
import { audit } from '../audit/repo';
import { nextReview, parseReviewInterval } from './format/durations';
import type { RunbookRow } from './repo';

/**
 * Reviews: a runbook whose current version says `review: 6mo` is due for review six calendar
 * months after its last review. A review is "Mark reviewed" (markReviewed) or a new version
 * (recordVersionReview, called by saveVersion in the same transaction). Each is a row of
 * runbook_reviews; the due date is kept on the runbook so lists can filter by it.
 */

export interface ReviewRow {
  id: number;
  kind: 'marked' | 'version';
  note: string | null;
  reviewed_at: string;
  reviewed_by: number | null;
  reviewer_name: string | null;
  version: number;
}

/** When a runbook reviewed at `at` under the interval `every` (as written) is next due; null for none or an unreadable one. */
export function reviewDueAt(every: string | null, at: string): string | null {
  const interval = every === null ? null : parseReviewInterval(every);
  return interval ? nextReview(interval, new Date(at)).toISOString() : null;
}

function record(
  db: Db,
  runbookId: number,
  versionId: number,
  review: { kind: 'marked' | 'version'; note: string | null; by: number | null; at: string },
): void {
  const every = (sql(db, 'SELECT review FROM runbook_versions WHERE id = ?').get(versionId) as { review: string | null }).review;
  sql(
    db,
    'INSERT INTO runbook_reviews (runbook_id, version_id, kind, note, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(runbookId, versionId, review.kind, review.note, review.by, review.at);
  sql(db, 'UPDATE runbooks SET reviewed_at = ?, review_due_at = ?, review_notified_at = NULL WHERE id = ?').run(
    review.at,
    reviewDueAt(every, review.at),
    runbookId,
  );
}

/** Saving a new version counts as a review (saveVersion calls this inside its transaction). */
export function recordVersionReview(db: Db, runbookId: number, versionId: number, by: number | null, at: string): void {
  record(db, runbookId, versionId, { kind: 'version', note: null, by, at });
}

/** "Mark reviewed": the current version was read and still holds. Recorded, and written to the audit log. */
export function markReviewed(
  db: Db,
  runbook: RunbookRow,
  by: { actorId: number; address: string | null },
  note: string | null,
  now = new Date(),
): ReviewRow {
  return db.transaction(() => {
    const at = now.toISOString();
    record(db, runbook.id, runbook.current_version_id, { kind: 'marked', note, by: by.actorId, at });
    const title = (sql(db, 'SELECT title FROM runbook_versions WHERE id = ?').get(runbook.current_version_id) as { title: string }).title;
    audit(db, {
      action: 'runbook.reviewed',
      actorId: by.actorId,
      address: by.address,
      data: { runbook: runbook.slug, title, ...(note ? { note } : {}) },
    });
    return listReviews(db, runbook.id, 1)[0] as ReviewRow;
  })();
}

/** The newest reviews of a runbook first, at most `limit`. */
export function listReviews(db: Db, runbookId: number, limit: number): ReviewRow[] {
  return sql(
    db,
    `SELECT w.id, w.kind, w.note, w.reviewed_at, w.reviewed_by, p.name AS reviewer_name, v.number AS version
       FROM runbook_reviews w JOIN runbook_versions v ON v.id = w.version_id LEFT JOIN people p ON p.id = w.reviewed_by
      WHERE w.runbook_id = ? ORDER BY w.id DESC LIMIT ?`,
  ).all(runbookId, limit) as ReviewRow[];
}

export const countReviews = (db: Db, runbookId: number) =>
  countUpTo(db, 'SELECT 1 FROM runbook_reviews WHERE runbook_id = @runbookId', { runbookId });

/**
 * Runbooks stored before reviews were kept (or whose due date was never worked out): their due
 * date from their last review and their current interval. Run at start-up; touches only those.
 */
export function backfillReviewDates(db: Db): number {
  const rows = sql(
    db,
    `SELECT r.id, coalesce(r.reviewed_at, v.created_at) AS at, v.review FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id
      WHERE r.review_due_at IS NULL AND v.review IS NOT NULL`,
  ).all() as { id: number; at: string; review: string }[];
  const update = sql(db, 'UPDATE runbooks SET reviewed_at = ?, review_due_at = ? WHERE id = ?');
  db.transaction(() => {
    for (const row of rows) update.run(row.at, reviewDueAt(row.review, row.at), row.id);
  })();
  return rows.length;
}

/** Where a review date stands: null (none asked, or more than this month away), 'due' (by the end of this month) or 'overdue'. */
export type ReviewState = 'due' | 'overdue' | null;

/** The first instant of next month in the server's time zone: "due this month" means before it. */
export function endOfMonth(now: Date): string {
  return new Date(now.getFullYear(), now.getMonth() + 1, 1).toISOString();
}

export function reviewState(dueAt: string | null, now = new Date()): ReviewState {
  if (dueAt === null) return null;
  if (dueAt <= now.toISOString()) return 'overdue';
  return dueAt < endOfMonth(now) ? 'due' : null;
}

/** The `review` of a runbook's JSON: the interval as written, the last review and the next due date. */
export function presentReview(every: string | null, row: { reviewed_at: string | null; review_due_at: string | null }) {
  return { every, lastReviewedAt: row.reviewed_at, dueAt: every === null ? null : row.review_due_at };
}

/** "6mo" → "every 6 months": the interval in words (as written when it cannot be read). */
export function reviewEveryLabel(every: string | null): string | null {
  if (every === null) return null;
  const interval = parseReviewInterval(every);
  if (!interval) return every;
  const { amount, unit } = interval;
  if (unit === 'month' && amount % 12 === 0) return amount === 12 ? 'every year' : `every ${amount / 12} years`;
  if (amount === 1) return `every ${unit}`;
  return `every ${amount} ${unit}s`;
}

/** Unused: in the library, older than this, and no run started within it (nor kept within it). */
export const UNUSED_DAYS = 180;

export const unusedSince = (now: Date) => new Date(now.getTime() - UNUSED_DAYS * 24 * 3600_000).toISOString();

/** "Keep" an unused runbook: it leaves the unused list for another 180 days. */
export function keepRunbook(db: Db, runbook: RunbookRow, by: { actorId: number; address: string | null }, now = new Date()): void {
  db.transaction(() => {
    sql(db, 'UPDATE runbooks SET kept_at = ? WHERE id = ?').run(now.toISOString(), runbook.id);
    const title = (sql(db, 'SELECT title FROM runbook_versions WHERE id = ?').get(runbook.current_version_id) as { title: string }).title;
    audit(db, { action: 'runbook.kept', actorId: by.actorId, address: by.address, data: { runbook: runbook.slug, title } });
  })();
}

export interface AttentionRow {
  slug: string;
  title: string;
  review_due_at: string | null;
  last_run_at: string | null;
}

/**
 * For Home: runbooks in the library whose review is due by the end of this month (overdue
 * first), counted up to COUNT_CAP, the first `limit` of them; read through runbooks_review_due.
 */
export function reviewsDueThisMonth(db: Db, limit: number, now = new Date()) {
  const where = 'FROM runbooks r WHERE r.review_due_at IS NOT NULL AND r.archived_at IS NULL AND r.review_due_at < @before';
  const before = endOfMonth(now);
  const top = sql(
    db,
    `SELECT r.slug, v.title, r.review_due_at, NULL AS last_run_at
       FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id
      WHERE r.review_due_at IS NOT NULL AND r.archived_at IS NULL AND r.review_due_at < @before
      ORDER BY r.review_due_at, r.id LIMIT @limit`,
  ).all({ before, limit }) as AttentionRow[];
  const at = now.toISOString();
  return {
    count: countUpTo(db, `SELECT 1 ${where}`, { before }),
    overdue: countUpTo(db, `SELECT 1 ${where} AND r.review_due_at <= @at`, { before, at }),
    top: top.map((r) => ({ slug: r.slug, title: r.title, dueAt: r.review_due_at, overdue: (r.review_due_at ?? '') <= at })),
  };
}

/**
 * For Home: runbooks in the library for 180 days that nobody ran in that time (nor chose to
 * keep), longest idle first, counted up to COUNT_CAP. Each runbook's newest run is one probe of
 * runs_runbook.
 */
export function unusedRunbooks(db: Db, limit: number, now = new Date()) {
  const since = unusedSince(now);
  const where = `FROM runbooks r WHERE r.archived_at IS NULL AND r.current_version_id IS NOT NULL
      AND r.created_at < @since AND coalesce(r.kept_at, '') < @since
      AND NOT EXISTS (SELECT 1 FROM runs x WHERE x.runbook_id = r.id AND x.started_at >= @since)`;
  const top = sql(
    db,
    `SELECT r.slug, v.title, NULL AS review_due_at, (SELECT max(x.started_at) FROM runs x WHERE x.runbook_id = r.id) AS last_run_at
       ${where.replace('FROM runbooks r', 'FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id')}
      ORDER BY coalesce(last_run_at, r.created_at), r.id LIMIT @limit`,
  ).all({ since, limit }) as AttentionRow[];
  return {
    count: countUpTo(db, `SELECT 1 ${where}`, { since }),
    top: top.map((r) => ({ slug: r.slug, title: r.title, lastRunAt: r.last_run_at })),
  };
}
