import crypto from 'node:crypto';
import type { Db } from '../db/open';
import { effectiveOwner, type Income, type Runbook, type RunbookStep } from './format/model';
import type { FieldDef } from './format/fields';
import { ensureOwnerRoles } from '../people/owners';
import { sql } from '../db/statements';
import { queueWebhookEvent } from '../webhooks/events';
import { recordVersionReview } from './reviews';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 100;
/** Words the pages use in runbook addresses (/runbooks/new, /runbooks/import), so no runbook may be called that. */
export const RESERVED_SLUGS = new Set(['new', 'import']);

/** Why a slug cannot name a runbook, or null when it can. */
export function slugProblem(slug: string): string | null {
  if (!SLUG.test(slug) || slug.length > SLUG_MAX) return `"${slug}" is not a slug: use lowercase letters, digits and dashes`;
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is a reserved word; choose another name`;
  return null;
}

export interface VersionRow {
  id: number;
  runbook_id: number;
  number: number;
  source: string;
  source_hash: string;
  front_matter: string;
  title: string;
  category: string | null;
  owner: string | null;
  tags: string;
  income: Income | null;
  schedule: string | null;
  review: string | null;
  escalate: string | null;
  intro: string;
  intro_html: string | null;
  run_fields: string;
  run_title: string | null;
  origin: 'import' | 'api' | 'editor';
  created_by: number | null;
  created_at: string;
}

export interface StepRow {
  id: number;
  version_id: number;
  position: number;
  title: string;
  owner: string | null;
  estimate: string | null;
  estimate_minutes: number | null;
  due: string | null;
  income: Income | null;
  optional: number | null;
  body: string;
  body_html: string | null;
  checks: string;
  checks_html: string | null;
  fields: string;
  condition: string | null;
  approval: string | null;
}

export interface RunbookRow {
  id: number;
  slug: string;
  current_version_id: number;
  imported_hash: string | null;
  archived_at: string | null;
  created_at: string;
  /** The last review (a new version or "Mark reviewed"); see reviews.ts. */
  reviewed_at: string | null;
  /** When the next review is due; null when the current version asks for none. */
  review_due_at: string | null;
  review_notified_at: string | null;
  kept_at: string | null;
}

export const hashSource = (source: string) => crypto.createHash('sha256').update(source).digest('hex');

export function findRunbook(db: Db, slug: string): RunbookRow | undefined {
  return sql(db, 'SELECT * FROM runbooks WHERE slug = ?').get(slug) as RunbookRow | undefined;
}

export function findVersion(db: Db, id: number): VersionRow | undefined {
  return sql(db, 'SELECT * FROM runbook_versions WHERE id = ?').get(id) as VersionRow | undefined;
}

export function findVersionByNumber(db: Db, runbookId: number, number: number): VersionRow | undefined {
  return sql(db, 'SELECT * FROM runbook_versions WHERE runbook_id = ? AND number = ?').get(runbookId, number) as VersionRow | undefined;
}

export function listVersionSteps(db: Db, versionId: number): StepRow[] {
  return sql(db, 'SELECT * FROM runbook_steps WHERE version_id = ? ORDER BY position').all(versionId) as StepRow[];
}

export function listVersions(db: Db, runbookId: number) {
  return sql(
    db,
    `SELECT v.id, v.number, v.title, v.origin, v.created_at, v.created_by, p.name AS created_by_name,
              (SELECT count(*) FROM runbook_steps s WHERE s.version_id = v.id) AS step_count
         FROM runbook_versions v LEFT JOIN people p ON p.id = v.created_by
        WHERE v.runbook_id = ? ORDER BY v.number DESC`,
  ).all(runbookId) as {
    id: number;
    number: number;
    title: string;
    origin: string;
    created_at: string;
    created_by: number | null;
    created_by_name: string | null;
    step_count: number;
  }[];
}

/** Rebuilds the parsed runbook from a stored version, for export and for starting runs. */
export function toRunbook(version: VersionRow, steps: StepRow[]): Runbook {
  return {
    frontMatter: version.front_matter,
    title: version.title,
    category: version.category,
    owner: version.owner,
    tags: JSON.parse(version.tags) as string[],
    income: version.income,
    schedule: version.schedule,
    review: version.review,
    escalate: version.escalate,
    intro: version.intro,
    fields: JSON.parse(version.run_fields) as FieldDef[],
    runTitle: version.run_title,
    steps: steps.map((s): RunbookStep => ({
      title: s.title,
      owner: s.owner,
      estimate: s.estimate,
      estimateMinutes: s.estimate_minutes,
      due: s.due,
      income: s.income,
      optional: s.optional === null ? null : s.optional === 1,
      body: s.body,
      checks: JSON.parse(s.checks) as string[],
      fields: JSON.parse(s.fields) as FieldDef[],
      when: s.condition,
      approval: s.approval,
    })),
  };
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Stores `source` (already parsed as `runbook`) as the runbook's newest version: creates the
 * runbook if new, adds a version if the text differs from the current one, else changes
 * nothing. Owner names that match nobody become empty roles (visible gaps). One transaction.
 */
export function saveVersion(
  db: Db,
  slug: string,
  source: string,
  runbook: Runbook,
  meta: { origin: VersionRow['origin']; createdBy: number | null; importedHash?: string },
): { outcome: SaveOutcome; runbook: RunbookRow } {
  return db.transaction(() => {
    const hash = hashSource(source);
    const now = new Date().toISOString();
    let row = findRunbook(db, slug);
    if (row) {
      const current = findVersion(db, row.current_version_id);
      if (current?.source_hash === hash) {
        if (meta.importedHash) sql(db, 'UPDATE runbooks SET imported_hash = ? WHERE id = ?').run(meta.importedHash, row.id);
        return { outcome: 'unchanged' as const, runbook: findRunbook(db, slug) as RunbookRow };
      }
    } else {
      const { lastInsertRowid } = sql(db, 'INSERT INTO runbooks (slug, created_at) VALUES (?, ?)').run(slug, now);
      row = { id: Number(lastInsertRowid) } as RunbookRow;
    }
    const number =
      ((sql(db, 'SELECT max(number) AS n FROM runbook_versions WHERE runbook_id = ?').get(row.id) as { n: number | null }).n ?? 0) + 1;
    const { lastInsertRowid: versionId } = sql(
      db,
      `INSERT INTO runbook_versions (runbook_id, number, source, source_hash, front_matter, title, category, owner,
           tags, income, schedule, review, escalate, intro, run_fields, run_title, origin, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      number,
      source,
      hash,
      runbook.frontMatter,
      runbook.title,
      runbook.category,
      runbook.owner,
      JSON.stringify(runbook.tags),
      runbook.income,
      runbook.schedule,
      runbook.review,
      runbook.escalate,
      runbook.intro,
      JSON.stringify(runbook.fields),
      runbook.runTitle,
      meta.origin,
      meta.createdBy,
      now,
    );
    const insertStep = sql(
      db,
      `INSERT INTO runbook_steps (version_id, position, title, owner, estimate, estimate_minutes, due, income, optional, body, checks,
         fields, condition, approval)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    runbook.steps.forEach((step, i) => {
      insertStep.run(
        versionId,
        i + 1,
        step.title,
        step.owner,
        step.estimate,
        step.estimateMinutes,
        step.due,
        step.income,
        step.optional === null ? null : step.optional ? 1 : 0,
        step.body,
        JSON.stringify(step.checks),
        JSON.stringify(step.fields),
        step.when,
        step.approval,
      );
    });
    sql(db, 'UPDATE runbooks SET current_version_id = ?, imported_hash = coalesce(?, imported_hash) WHERE id = ?').run(
      versionId,
      meta.importedHash ?? null,
      row.id,
    );
    // A new version is a review: someone read the runbook and wrote what holds now.
    recordVersionReview(db, row.id, Number(versionId), meta.createdBy, now);
    // Approvers too: an Approval: that names nobody is a gap to see, not a step nobody can approve.
    ensureOwnerRoles(
      db,
      runbook.steps.flatMap((step) => [effectiveOwner(runbook, step), step.approval]).filter((name): name is string => name !== null),
    );
    const outcome = number === 1 ? ('created' as const) : ('updated' as const);
    queueWebhookEvent(db, 'runbook.changed', now, () => changedData(db, slug, outcome, meta.createdBy));
    return { outcome, runbook: findRunbook(db, slug) as RunbookRow };
  })();
}

/** Every runbook with a current version, archived ones too, by slug: what an export writes. */
export function listAllRunbooks(db: Db): RunbookRow[] {
  return sql(db, 'SELECT * FROM runbooks WHERE current_version_id IS NOT NULL ORDER BY slug').all() as RunbookRow[];
}

export function setArchived(db: Db, runbookId: number, archived: boolean, by: number | null = null): void {
  const now = new Date().toISOString();
  sql(db, 'UPDATE runbooks SET archived_at = ? WHERE id = ?').run(archived ? now : null, runbookId);
  queueWebhookEvent(db, 'runbook.changed', now, () => {
    const slug = (sql(db, 'SELECT slug FROM runbooks WHERE id = ?').get(runbookId) as { slug: string }).slug;
    return changedData(db, slug, archived ? 'archived' : 'restored', by);
  });
}

/** What runbook.changed tells: the runbook as it now is, what happened to it, and who did it. */
function changedData(db: Db, slug: string, change: 'created' | 'updated' | 'archived' | 'restored', by: number | null): object {
  const runbook = sql(
    db,
    `SELECT r.slug, v.title, v.number AS version, v.category, v.owner, r.archived_at AS archivedAt
       FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE r.slug = ?`,
  ).get(slug);
  const actor = by === null ? null : (sql(db, 'SELECT id, name FROM people WHERE id = ?').get(by) ?? null);
  return { runbook, change, actor };
}
