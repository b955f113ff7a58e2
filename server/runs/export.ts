import type { Response } from 'express';
import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { csvTime as stamp, sendCsv } from '../http/csv';
import type { FieldDef, FieldValue } from '../runbooks/format/fields';

/** How many runs one chunk of the export reads. */
const CHUNK = 500;

/** A field's value as a spreadsheet cell: money as 1042.50 (no thousands separator), yes/no, dates as YYYY-MM-DD. */
function cell(type: string, value: FieldValue | null): string {
  if (value === null) return '';
  if (type === 'money') {
    const cents = Number(value);
    return `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  }
  if (type === 'yes/no') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * The runs of one runbook as a CSV download: one row per run with its fields, status, start
 * and completion, and who completed each step. Columns are the fields and steps of every
 * version that has runs (a field a version did not have is empty in its runs' rows).
 */
export async function sendRunbookRunsCsv(db: Db, res: Response, runbook: { id: number; slug: string }): Promise<void> {
  const versions = value(db, 'SELECT DISTINCT version_id FROM runs WHERE runbook_id = ?').all(runbook.id) as number[];
  const fields = new Map<string, string>(); // lowercased name -> name as defined (first version wins)
  const steps = new Map<string, string>();
  for (const versionId of versions.sort((a, b) => b - a)) {
    const version = sql(db, 'SELECT run_fields FROM runbook_versions WHERE id = ?').get(versionId) as { run_fields: string };
    const stepRows = sql(db, 'SELECT title, fields FROM runbook_steps WHERE version_id = ? ORDER BY position').all(versionId) as {
      title: string;
      fields: string;
    }[];
    for (const def of [...(JSON.parse(version.run_fields) as FieldDef[]), ...stepRows.flatMap((s) => JSON.parse(s.fields) as FieldDef[])]) {
      if (!fields.has(def.name.toLowerCase())) fields.set(def.name.toLowerCase(), def.name);
    }
    for (const step of stepRows) if (!steps.has(step.title.toLowerCase())) steps.set(step.title.toLowerCase(), step.title);
  }
  const header = [
    'Run',
    'Title',
    'Status',
    'Started',
    'Started by',
    'Completed',
    ...fields.values(),
    ...[...steps.values()].map((title) => `${title}: done by`),
  ];
  const runsAfter = sql(
    db,
    `SELECT r.id, r.title, r.status, r.started_at, sp.name AS started_by, r.completed_at
       FROM runs r LEFT JOIN people sp ON sp.id = r.started_by
      WHERE r.runbook_id = ? AND r.id > ? ORDER BY r.id LIMIT ${CHUNK}`,
  );
  const valuesOf = sql(
    db,
    `SELECT f.run_id, f.name, json_extract(f.definition, '$.type') AS type, f.value
       FROM run_field_values f WHERE f.run_id IN (SELECT value FROM json_each(?))`,
  );
  const doneOf = sql(
    db,
    `SELECT s.run_id, s.title, s.status, p.name, s.completed_at
       FROM run_steps s LEFT JOIN people p ON p.id = s.completed_by WHERE s.run_id IN (SELECT value FROM json_each(?))`,
  );
  await sendCsv<number>(res, `${runbook.slug}-runs.csv`, header, (after) => {
    const runs = runsAfter.all(runbook.id, after ?? 0) as {
      id: number;
      title: string;
      status: string;
      started_at: string;
      started_by: string | null;
      completed_at: string | null;
    }[];
    const ids = JSON.stringify(runs.map((r) => r.id));
    const values = new Map<string, string>();
    for (const v of valuesOf.all(ids) as { run_id: number; name: string; type: string; value: string | null }[]) {
      values.set(`${v.run_id}:${v.name.toLowerCase()}`, cell(v.type, v.value === null ? null : (JSON.parse(v.value) as FieldValue)));
    }
    const done = new Map<string, string>();
    for (const s of doneOf.all(ids) as {
      run_id: number;
      title: string;
      status: string;
      name: string | null;
      completed_at: string | null;
    }[]) {
      const who = s.status === 'complete' ? `${s.name ?? 'someone'} ${stamp(s.completed_at)}` : s.status === 'open' ? '' : s.status;
      done.set(`${s.run_id}:${s.title.toLowerCase()}`, who);
    }
    const rows = runs.map((r) => [
      r.id,
      r.title,
      r.status,
      stamp(r.started_at),
      r.started_by ?? 'the schedule',
      stamp(r.completed_at),
      ...[...fields.keys()].map((key) => values.get(`${r.id}:${key}`) ?? ''),
      ...[...steps.keys()].map((key) => done.get(`${r.id}:${key}`) ?? ''),
    ]);
    return { rows, last: runs.length === CHUNK ? (runs.at(-1)?.id ?? null) : null };
  });
}
