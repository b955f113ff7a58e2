import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { AppError, ConflictError, UnprocessableError } from '../http/errors';
import { fieldKey, readFieldValue, type FieldDef, type FieldValue } from '../runbooks/format/fields';
import { conditionHolds, parseCondition } from '../runbooks/format/conditions';
import { dueFromDate } from '../runbooks/format/due';
import { DEFAULT_ESCALATE, escalateAt, parseEscalate } from '../runbooks/format/durations';
import { recordEvent } from './repo';
import { tellNeededAgain } from '../notify/compose';

/**
 * A run's record: its fields and their values (server/runbooks/format/fields.ts says what a
 * value of each type is), and what the values decide: which steps apply (`When:`) and when
 * steps counted from a date field fall due.
 */

export interface RunField {
  name: string;
  definition: FieldDef;
  /** The step that asks for it; null for run fields. */
  runStepId: number | null;
  value: FieldValue | null;
}

/** Every field of a run, run fields first, then each step's, in file order. */
interface FieldRow {
  name: string;
  definition: string;
  run_step_id: number | null;
  value: string | null;
}

const readFieldRow = (row: FieldRow): RunField => ({
  name: row.name,
  definition: JSON.parse(row.definition) as FieldDef,
  runStepId: row.run_step_id,
  value: row.value === null ? null : (JSON.parse(row.value) as FieldValue),
});

export function listRunFields(db: Db, runId: number): RunField[] {
  return (
    sql(db, 'SELECT name, definition, run_step_id, value FROM run_field_values WHERE run_id = ? ORDER BY position').all(runId) as FieldRow[]
  ).map(readFieldRow);
}

/**
 * One field of a run by name, compared as fieldKey compares: found by the primary key (its
 * NOCASE folds ASCII letters only), else among all of them, for a name with other capitals.
 * Filling a field reads one definition, not every field's (it costs no more than a tick).
 */
export function findRunField(db: Db, runId: number, name: string): RunField | undefined {
  const row = sql(db, 'SELECT name, definition, run_step_id, value FROM run_field_values WHERE run_id = ? AND name = ?').get(
    runId,
    name.trim(),
  ) as FieldRow | undefined;
  return row ? readFieldRow(row) : listRunFields(db, runId).find((f) => fieldKey(f.name) === fieldKey(name));
}

/**
 * Reads the run fields given when a run starts (`{ "Order number": "1042" }`): each checked
 * for its type, required ones present, no name the runbook does not have. Nothing is stored
 * unless all are right; the error names the field.
 */
export function readStartFields(
  defs: FieldDef[],
  input: Record<string, unknown>,
  { enforceRequired = true }: { enforceRequired?: boolean } = {},
): Map<string, FieldValue | null> {
  const byKey = new Map(defs.map((d) => [fieldKey(d.name), d]));
  const values = new Map<string, FieldValue | null>();
  for (const [name, raw] of Object.entries(input)) {
    const def = byKey.get(fieldKey(name));
    if (!def) {
      throw new UnprocessableError('unknown-field', `fields: "${name}" is not a run field of this runbook`, `fields.${name}`);
    }
    const read = readFieldValue(def, raw);
    if (!read.ok) throw new UnprocessableError('invalid-field', `fields: ${read.message}`, `fields.${def.name}`);
    values.set(fieldKey(def.name), read.value);
  }
  for (const def of enforceRequired ? defs : []) {
    if (def.required && (values.get(fieldKey(def.name)) ?? null) === null) {
      throw new UnprocessableError('field-required', `fields: ${def.name} is required to start this run`, `fields.${def.name}`);
    }
  }
  return values;
}

/** A run title from `run-title`: `{Field}` replaced by the value as people read it. */
export function titleFromPattern(
  pattern: string,
  defs: FieldDef[],
  values: Map<string, FieldValue | null>,
  text: (def: FieldDef, value: FieldValue | null) => string,
): string {
  const byKey = new Map(defs.map((d) => [fieldKey(d.name), d]));
  // A title with a hole in it ("Refund for order ") says less than the default: none then.
  const named = [...pattern.matchAll(/\{([^{}]*)\}/g)].map((m) => fieldKey(m[1] as string));
  if (named.some((key) => (values.get(key) ?? null) === null)) return '';
  return pattern
    .replace(/\{([^{}]*)\}/g, (_, name: string) => {
      const def = byKey.get(fieldKey(name));
      return def ? text(def, values.get(fieldKey(name)) ?? null) : '';
    })
    .replace(/\s+/g, ' ')
    .trim();
}

interface StepState {
  id: number;
  position: number;
  title: string;
  status: string;
  condition: string | null;
  assignee_id: number | null;
  due_field: string | null;
  due_field_minutes: number | null;
}

/**
 * The steps of a run whose condition or due time names the field @changed (every such step
 * when null), read through run_steps_named_fields: only steps that name some field at all.
 */
export const STEPS_NAMING_FIELD = `SELECT id, position, title, status, condition, assignee_id, due_field, due_field_minutes FROM run_steps
  WHERE run_id = @run AND (condition_fields <> '[]' OR due_field IS NOT NULL)
    AND (@changed IS NULL OR EXISTS (SELECT 1 FROM json_each(condition_fields) WHERE value = @changed) OR due_field = @changed COLLATE NOCASE)
  ORDER BY position`;

/**
 * Brings the run's steps in line with its values: a step whose condition stops holding is
 * "not needed" (if it was still open), one whose condition holds again is open again (and its
 * assignee is told); a step counted from a date field gets its due time from the value.
 * `changed` limits the work to the steps that name that field (null: every step).
 */
export function applyFieldValues(
  db: Db,
  runId: number,
  changed: string | null,
  actorId: number | null,
  now: Date,
  { quiet = false }: { quiet?: boolean } = {},
): void {
  const steps = sql(db, STEPS_NAMING_FIELD).all({ run: runId, changed: changed === null ? null : fieldKey(changed) }) as StepState[];
  // Most fields are named by no condition and no due time: then nothing more is read.
  if (steps.length === 0) return;
  const fields = listRunFields(db, runId);
  const valueOf = new Map(fields.map((f) => [fieldKey(f.name), f.value]));
  const stepIds = new Map<number, number>(); // run_step_id -> position, for the fields each step may name
  for (const s of sql(db, 'SELECT id, position FROM run_steps WHERE run_id = ?').all(runId) as { id: number; position: number }[]) {
    stepIds.set(s.id, s.position);
  }
  const at = now.toISOString();
  for (const step of steps) {
    if (step.condition !== null && (step.status === 'open' || step.status === 'not-needed')) {
      // The runbook was checked when saved: the fields a condition names are the run's and earlier steps'.
      const visible = fields
        .filter((f) => f.runStepId === null || (stepIds.get(f.runStepId) ?? Infinity) < step.position)
        .map((f) => f.definition);
      const parsed = parseCondition(
        step.condition,
        visible,
        fields.map((f) => f.definition),
      );
      const holds = parsed.ok && conditionHolds(parsed.condition, (name) => valueOf.get(fieldKey(name)) ?? null);
      const next = holds ? 'open' : 'not-needed';
      if (next !== step.status) {
        sql(db, 'UPDATE run_steps SET status = ? WHERE id = ?').run(next, step.id);
        if (quiet) continue;
        recordEvent(db, {
          runId,
          runStepId: step.id,
          kind: holds ? 'step.needed' : 'step.not-needed',
          actorId,
          at,
          data: { condition: step.condition },
        });
        if (holds && step.assignee_id !== null && step.assignee_id !== actorId)
          tellNeededAgain(db, runId, step.position, step.assignee_id, now);
      }
    }
    if (step.due_field !== null) {
      const day = valueOf.get(fieldKey(step.due_field)) ?? null;
      const due = typeof day === 'string' ? dueFromDate(day, step.due_field_minutes ?? 0) : null;
      // A new due time: overdue and escalation start over from it.
      sql(
        db,
        'UPDATE run_steps SET due_at = ?, escalate_at = ?, overdue_notified_at = NULL, escalated_at = NULL WHERE id = ? AND due_at IS NOT ?',
      ).run(
        due?.toISOString() ?? null,
        due ? escalateAt(due, graceOf(db, runId)).toISOString() : null,
        step.id,
        due?.toISOString() ?? null,
      );
    }
  }
}

/** How long a run's overdue steps wait before they are escalated: its runbook's `escalate:`, or the default. */
function graceOf(db: Db, runId: number) {
  const text = value(db, 'SELECT v.escalate FROM runs r JOIN runbook_versions v ON v.id = r.version_id WHERE r.id = ?').get(runId) as
    string | null;
  return (text === null ? null : parseEscalate(text)) ?? DEFAULT_ESCALATE;
}

/** The fields of a step still empty that must be filled before it can be completed. */
export function missingRequiredFields(db: Db, runStepId: number): string[] {
  return value(db, MISSING_REQUIRED_FIELDS).all(runStepId) as string[];
}

/** Every completion asks it: read through run_field_values_step, never the whole table. */
export const MISSING_REQUIRED_FIELDS =
  "SELECT name FROM run_field_values WHERE run_step_id = ? AND value IS NULL AND json_extract(definition, '$.required') = 1 ORDER BY position";

/** Who may see and fill a field: the answer for one actor and one field of a run. */
export interface FieldAccess {
  /** The team sees every field of a run; an outsourcer only their steps' and the run fields those steps' conditions name. */
  seesAll: boolean;
  /** May fill run fields: managers, whoever started the run, team members with a step in it. */
  team: boolean;
  actorId: number;
  /** May the actor work the step that asks for the field (step.work on it), given who it is assigned to? */
  mayWorkStep: (assigneeId: number | null) => boolean;
}

/**
 * Fills (or empties) one field of a run: checked for its type, stored typed, recorded as an
 * event with who and when, and applied to the steps whose condition or due time names it.
 * A field the actor may not fill answers like a field that does not exist.
 */
export function setFieldValue(db: Db, runId: number, name: string, raw: unknown, access: FieldAccess, now: Date = new Date()): RunField {
  const run = sql(db, 'SELECT status, title FROM runs WHERE id = ?').get(runId) as { status: string; title: string } | undefined;
  const field = findRunField(db, runId, name);
  const unknown = () => new UnprocessableError('unknown-field', `${name}: this run has no such field`, name);
  const refused = () => new AppError(403, 'forbidden', `${field?.name ?? name} is filled in by whoever works its step`);
  if (!run || !field) throw unknown();
  if (field.runStepId === null) {
    const namedByOwnStep =
      value(
        db,
        `SELECT 1 FROM run_steps s, json_each(s.condition_fields) j
          WHERE s.run_id = ? AND s.assignee_id = ? AND j.value = ? LIMIT 1`,
      ).get(runId, access.actorId, fieldKey(field.name)) !== undefined;
    if (!access.team && !namedByOwnStep) throw access.seesAll ? refused() : unknown();
  } else {
    const step = sql(db, 'SELECT status, title, assignee_id FROM run_steps WHERE id = ?').get(field.runStepId) as {
      status: string;
      title: string;
      assignee_id: number | null;
    };
    if (!access.mayWorkStep(step.assignee_id)) throw access.seesAll ? refused() : unknown();
    if (step.status !== 'open') {
      throw new ConflictError(
        'step-not-open',
        `${field.name} belongs to "${step.title}", which is no longer open; reopen it to change the field`,
        {
          field: field.name,
        },
      );
    }
  }
  if (run.status === 'complete') {
    throw new ConflictError('run-complete', `Run "${run.title}" is complete; its fields can no longer change`, { field: field.name });
  }
  const read = readFieldValue(field.definition, raw);
  if (!read.ok) throw new UnprocessableError('invalid-field', `${field.name}: ${read.message}`, field.name);
  const at = now.toISOString();
  sql(db, 'UPDATE run_field_values SET value = ?, set_by = ?, set_at = ? WHERE run_id = ? AND name = ?').run(
    read.value === null ? null : JSON.stringify(read.value),
    access.actorId,
    at,
    runId,
    field.name,
  );
  recordEvent(db, {
    runId,
    runStepId: field.runStepId,
    kind: 'field.set',
    actorId: access.actorId,
    at,
    data: { name: field.name, type: field.definition.type, value: read.value, was: field.value },
  });
  applyFieldValues(db, runId, field.name, access.actorId, now);
  return { ...field, value: read.value };
}
