import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { parseRunbook } from '../runbooks/format/parse';
import { saveVersion } from '../runbooks/repo';
import { ensureVersionHtml } from '../markdown/stored';
import { closeStepsLeftOpen } from '../runs/complete-run';
import { FILES, FORMAT, FORMAT_VERSION, type Manifest } from './export';
import { readLines, WorkspaceError } from './lines';

type Row = Record<string, unknown>;

interface RunbookLine {
  slug: string;
  createdAt: string;
  archivedAt: string | null;
  importedHash: string | null;
  versions: { number: number; origin: string; createdBy: number | null; createdAt: string }[];
  /** Absent in a workspace exported before reviews existed: each version then counts as one. */
  review?: {
    reviewedAt: string | null;
    dueAt: string | null;
    notifiedAt: string | null;
    keptAt: string | null;
    history: { version: number; kind: string; note: string | null; reviewedBy: number | null; reviewedAt: string }[];
  };
}

/**
 * Restores a workspace written by exportWorkspace into an empty database, all or nothing (one
 * transaction): people keep their ids (so every "done by" and "assigned to" still points at
 * them), as do roles and runs; each runbook's versions are saved again in order from their own
 * text, with their authors and dates. A database that holds anything (people, roles, runbooks
 * or runs) is refused, never merged into.
 */
export function importWorkspace(db: Db, dir: string): { counts: Manifest['counts'] } {
  const manifest = readManifest(dir);
  refuseUnlessEmpty(db);
  const counts = { runbooks: 0, versions: 0, people: 0, roles: 0, runs: 0 };
  db.transaction(() => {
    // People, roles and runs point at each other in every direction: checked once all are in.
    db.pragma('defer_foreign_keys = ON');
    for (const { away, ...person } of readLines<Row & { away?: Row[] }>(file(dir, FILES.people))) {
      insert(db, 'people', person);
      for (const period of away ?? []) insert(db, 'away_periods', period);
      counts.people++;
    }
    for (const { members, ...role } of readLines<Row & { members?: Row[] }>(file(dir, FILES.roles))) {
      insert(db, 'roles', role);
      for (const member of members ?? []) insert(db, 'role_members', { ...member, role_id: role.id });
      counts.roles++;
    }
    for (const line of readLines<RunbookLine>(file(dir, FILES.runbookIndex))) {
      restoreRunbook(db, dir, line);
      counts.runbooks++;
      counts.versions += line.versions.length;
    }
    const runbookOf = db.prepare(
      'SELECT r.id AS runbookId, v.id AS versionId FROM runbooks r JOIN runbook_versions v ON v.runbook_id = r.id WHERE r.slug = ? AND v.number = ?',
    );
    const stepOf = db.prepare('SELECT id FROM runbook_steps WHERE version_id = ? AND position = ?').pluck();
    for (const { runbook, version, steps, events, ...run } of readLines<
      Row & { runbook: string; version: number; steps: (Row & { runbook_step_position: number; checks: Row[] })[]; events: Row[] }
    >(file(dir, FILES.runs))) {
      const ids = runbookOf.get(runbook, version) as { runbookId: number; versionId: number } | undefined;
      if (!ids)
        throw new WorkspaceError(
          `${FILES.runs}: run ${String(run.id)} is of version ${version} of "${runbook}", which is not in ${FILES.runbookIndex}`,
        );
      insert(db, 'runs', { ...run, runbook_id: ids.runbookId, version_id: ids.versionId });
      for (const { checks, runbook_step_position: position, ...step } of steps) {
        const runbookStepId = stepOf.get(ids.versionId, position);
        if (runbookStepId === undefined)
          throw new WorkspaceError(`${FILES.runs}: run ${String(run.id)} has a step ${position} its runbook version does not have`);
        insert(db, 'run_steps', { ...step, runbook_step_id: runbookStepId });
        for (const check of checks) insert(db, 'run_checks', { ...check, run_step_id: step.id });
      }
      for (const event of events) insert(db, 'run_events', event);
      counts.runs++;
    }
    closeStepsLeftOpen(db);
    // Run pages read a version's HTML straight from the database, as a run's start leaves it.
    for (const versionId of db.prepare('SELECT DISTINCT version_id FROM runs').pluck().all() as number[]) ensureVersionHtml(db, versionId);
  })();
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) {
    if (counts[key] !== manifest.counts[key]) {
      throw new WorkspaceError(`restored ${counts[key]} ${key} where ${FILES.manifest} says ${manifest.counts[key]}`);
    }
  }
  return { counts };
}

function readManifest(dir: string): Manifest {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new WorkspaceError(`${dir} is not a directory`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
  } catch {
    throw new WorkspaceError(`${dir} has no readable ${FILES.manifest}: it is not a folder written by "npm run cli -- export-all"`);
  }
  if (manifest.format !== FORMAT || manifest.version !== FORMAT_VERSION) {
    throw new WorkspaceError(
      `${path.join(dir, FILES.manifest)} is not a workspace export this version reads (format ${FORMAT} ${FORMAT_VERSION})`,
    );
  }
  return manifest;
}

/** The tables whose rows make a workspace: any row in one means the database is in use. */
const WORKSPACE_TABLES = ['people', 'roles', 'runbooks', 'runs'] as const;

function refuseUnlessEmpty(db: Db): void {
  const held = WORKSPACE_TABLES.map(
    (table) => [table, db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number] as const,
  ).filter(([, count]) => count > 0);
  if (held.length > 0) {
    throw new WorkspaceError(
      `the database is not empty (it holds ${held.map(([table, count]) => `${count} ${table}`).join(', ')}): ` +
        'import-all restores only into an empty database, never merges. Point DATABASE_PATH at a new file and run it again.',
    );
  }
}

function file(dir: string, name: string): string {
  const full = path.join(dir, name);
  if (!fs.existsSync(full)) throw new WorkspaceError(`${full} is missing`);
  return full;
}

/** Saves each version again from its own text, then gives it back its author, date and origin. */
function restoreRunbook(db: Db, dir: string, line: RunbookLine): void {
  for (const version of line.versions) {
    const where = path.join(FILES.history, line.slug, `${version.number}.md`);
    const source = fs.readFileSync(file(dir, where), 'utf8');
    const parsed = parseRunbook(source);
    if (!parsed.ok)
      throw new WorkspaceError(`${where}:${parsed.problems[0]?.line ?? 1}: ${parsed.problems[0]?.message ?? 'does not parse'}`);
    saveVersion(db, line.slug, source, parsed.runbook, { origin: version.origin as 'import', createdBy: version.createdBy });
    const saved = db
      .prepare(
        `UPDATE runbook_versions SET created_at = ?, created_by = ?, origin = ?
          WHERE number = ? AND runbook_id = (SELECT id FROM runbooks WHERE slug = ?)`,
      )
      .run(version.createdAt, version.createdBy, version.origin, version.number, line.slug);
    if (saved.changes !== 1)
      throw new WorkspaceError(`${where}: is not version ${version.number} (versions must follow each other, each different)`);
  }
  db.prepare('UPDATE runbooks SET created_at = ?, archived_at = ?, imported_hash = ? WHERE slug = ?').run(
    line.createdAt,
    line.archivedAt,
    line.importedHash,
    line.slug,
  );
  if (line.review) restoreReviews(db, line.slug, line.review);
}

/** The reviews as they were: saving each version above recorded one at today's date instead. */
function restoreReviews(db: Db, slug: string, review: NonNullable<RunbookLine['review']>): void {
  const runbookId = db.prepare('SELECT id FROM runbooks WHERE slug = ?').pluck().get(slug) as number;
  db.prepare('DELETE FROM runbook_reviews WHERE runbook_id = ?').run(runbookId);
  const versionId = db.prepare('SELECT id FROM runbook_versions WHERE runbook_id = ? AND number = ?').pluck();
  const add = db.prepare(
    'INSERT INTO runbook_reviews (runbook_id, version_id, kind, note, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const row of review.history) {
    const id = versionId.get(runbookId, row.version) as number | undefined;
    if (id === undefined)
      throw new WorkspaceError(`${FILES.runbookIndex}: a review of "${slug}" names version ${row.version}, which it does not have`);
    add.run(runbookId, id, row.kind, row.note, row.reviewedBy, row.reviewedAt);
  }
  db.prepare('UPDATE runbooks SET reviewed_at = ?, review_due_at = ?, review_notified_at = ?, kept_at = ? WHERE id = ?').run(
    review.reviewedAt,
    review.dueAt,
    review.notifiedAt,
    review.keptAt,
    runbookId,
  );
}

const columns = new Map<string, Set<string>>();

/** Inserts a row as exported, keeping the columns this database's table has. */
function insert(db: Db, table: string, row: Row): void {
  let known = columns.get(table);
  if (!known) {
    known = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
    columns.set(table, known);
  }
  const names = Object.keys(row).filter((name) => known.has(name));
  db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(
    ...names.map((name) => row[name]),
  );
}
