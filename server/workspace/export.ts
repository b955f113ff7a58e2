import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { writeRunbookFiles } from '../runbooks/export';
import { LineWriter } from './lines';

/** What the export directory holds (the README's "Whole workspace" section describes it). */
export const FORMAT = 'runbooks-workspace';
export const FORMAT_VERSION = 1;

export const FILES = {
  manifest: 'manifest.json',
  runbooks: 'runbooks',
  runbookIndex: 'runbooks.jsonl',
  history: path.join('runbooks', 'history'),
  people: 'people.jsonl',
  roles: 'roles.jsonl',
  runs: 'runs.jsonl',
} as const;

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  exportedAt: string;
  /** The newest migration of the database it came from: a newer one cannot go into an older server. */
  schema: string | null;
  counts: { runbooks: number; versions: number; people: number; roles: number; runs: number };
}

/**
 * Writes the whole workspace to `dir`: every runbook's current version as Markdown in the
 * layout of `npm run cli -- export` (runbooks/<slug>.md, archived ones in runbooks/archived/),
 * every version's own text in runbooks/history/<slug>/<number>.md with who made it when in
 * runbooks.jsonl, and people (with their absences), roles (with their members in order) and
 * runs (with their steps, checks and events) as JSON lines, one record a line. Sign-in secrets
 * (passwords, sessions, tokens, links), the audit log, the outbox and webhooks are not part of
 * it. Reads in one transaction, so the files agree with each other even while the server runs.
 */
export function exportWorkspace(db: Db, dir: string, now = new Date()): Manifest {
  fs.mkdirSync(dir, { recursive: true });
  return db.transaction(() => {
    const runbookFiles = writeRunbookFiles(db, path.join(dir, FILES.runbooks));
    const counts = { runbooks: runbookFiles.current + runbookFiles.archived, versions: 0, people: 0, roles: 0, runs: 0 };

    const index = new LineWriter(path.join(dir, FILES.runbookIndex));
    try {
      const versions = db.prepare(
        'SELECT number, source, origin, created_by AS createdBy, created_at AS createdAt FROM runbook_versions WHERE runbook_id = ? ORDER BY number',
      );
      // Reviews name their version by number (ids are made again on import).
      const reviews = db.prepare(
        `SELECT v.number AS version, w.kind, w.note, w.reviewed_by AS reviewedBy, w.reviewed_at AS reviewedAt
           FROM runbook_reviews w JOIN runbook_versions v ON v.id = w.version_id WHERE w.runbook_id = ? ORDER BY w.id`,
      );
      for (const runbook of db
        .prepare(
          'SELECT id, slug, archived_at, imported_hash, created_at, reviewed_at, review_due_at, review_notified_at, kept_at FROM runbooks ORDER BY id',
        )
        .iterate() as Iterable<{
        id: number;
        slug: string;
        archived_at: string | null;
        imported_hash: string | null;
        created_at: string;
        reviewed_at: string | null;
        review_due_at: string | null;
        review_notified_at: string | null;
        kept_at: string | null;
      }>) {
        const historyDir = path.join(dir, FILES.history, runbook.slug);
        fs.mkdirSync(historyDir, { recursive: true });
        const list = (
          versions.all(runbook.id) as { number: number; source: string; origin: string; createdBy: number | null; createdAt: string }[]
        ).map(({ source, ...version }) => {
          fs.writeFileSync(path.join(historyDir, `${version.number}.md`), source);
          return version;
        });
        counts.versions += list.length;
        index.write({
          slug: runbook.slug,
          createdAt: runbook.created_at,
          archivedAt: runbook.archived_at,
          importedHash: runbook.imported_hash,
          versions: list,
          review: {
            reviewedAt: runbook.reviewed_at,
            dueAt: runbook.review_due_at,
            notifiedAt: runbook.review_notified_at,
            keptAt: runbook.kept_at,
            history: reviews.all(runbook.id),
          },
        });
      }
    } finally {
      index.close();
    }

    const people = new LineWriter(path.join(dir, FILES.people));
    try {
      const away = db.prepare('SELECT * FROM away_periods WHERE person_id = ? ORDER BY id');
      for (const person of db.prepare('SELECT * FROM people ORDER BY id').iterate() as Iterable<{ id: number }>) {
        people.write({ ...person, away: away.all(person.id) });
      }
      counts.people = people.count;
    } finally {
      people.close();
    }

    const roles = new LineWriter(path.join(dir, FILES.roles));
    try {
      const members = db.prepare('SELECT person_id, is_primary, position FROM role_members WHERE role_id = ? ORDER BY position, person_id');
      for (const role of db.prepare('SELECT * FROM roles ORDER BY id').iterate() as Iterable<{ id: number }>) {
        roles.write({ ...role, members: members.all(role.id) });
      }
      counts.roles = roles.count;
    } finally {
      roles.close();
    }

    const runs = new LineWriter(path.join(dir, FILES.runs));
    try {
      const steps = db.prepare(
        `SELECT s.*, b.position AS runbook_step_position FROM run_steps s JOIN runbook_steps b ON b.id = s.runbook_step_id
          WHERE s.run_id = ? ORDER BY s.position`,
      );
      const checks = db.prepare('SELECT idx, text, ticked_by, ticked_at FROM run_checks WHERE run_step_id = ? ORDER BY idx');
      const events = db.prepare('SELECT * FROM run_events WHERE run_id = ? ORDER BY id');
      const runRows = db.prepare(
        `SELECT r.*, b.slug AS runbook, v.number AS version FROM runs r
           JOIN runbooks b ON b.id = r.runbook_id JOIN runbook_versions v ON v.id = r.version_id ORDER BY r.id`,
      );
      for (const run of runRows.iterate() as Iterable<Record<string, unknown> & { id: number }>) {
        // Ids of the runbook side are the new database's own: runs name the runbook, version and step position.
        const { runbook_id: _runbook, version_id: _version, revision: _revision, ...kept } = run;
        runs.write({
          ...kept,
          steps: (steps.all(run.id) as (Record<string, unknown> & { id: number })[]).map(({ runbook_step_id: _step, ...step }) => ({
            ...step,
            checks: checks.all(step.id),
          })),
          events: events.all(run.id),
        });
      }
      counts.runs = runs.count;
    } finally {
      runs.close();
    }

    const schema = (db.prepare('SELECT max(name) AS name FROM schema_migrations').get() as { name: string | null }).name;
    const manifest: Manifest = { format: FORMAT, version: FORMAT_VERSION, exportedAt: now.toISOString(), schema, counts };
    fs.writeFileSync(path.join(dir, FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  })();
}
