import type { Db } from '../db/open';
import { ConflictError, NotFoundError } from '../http/errors';
import { DEFAULT_ESCALATE, dueAt, escalateAt, parseEscalate } from '../runbooks/format/durations';
import { effectiveOwner, type Runbook } from '../runbooks/format/model';
import { fieldKey, fieldValueText, type FieldDef, type FieldValue } from '../runbooks/format/fields';
import { parseCondition } from '../runbooks/format/conditions';
import { parseStepDue } from '../runbooks/format/due';
import { findRunbook, findVersion, listVersionSteps, toRunbook } from '../runbooks/repo';
import { resolveOwner } from '../people/owners';
import { today } from '../people/absences';
import { ensureVersionHtml } from '../markdown/stored';
import { recordEvent } from './repo';
import { completeRunIfDone } from './complete-run';
import { applyFieldValues, readStartFields, titleFromPattern } from './fields';
import { sql } from '../db/statements';
import { findPerson } from '../people/repo';
import { tellAssignedAtStart } from '../notify/compose';

export interface StartInput {
  runbook: string;
  /** The run's name; without it, the runbook's `run-title` with the run fields, or its title and the date. */
  title?: string | null;
  /** Run fields by name, as typed or sent: checked for their types, required ones enforced. */
  fields?: Record<string, unknown>;
  startedBy: number | null;
  scheduledFor?: string;
  now?: Date;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** A run's name when none is given: from `run-title`, else the runbook's title and the day it started. */
function defaultTitle(runbook: Runbook, values: Map<string, FieldValue | null>, now: Date): string {
  const fromPattern = runbook.runTitle === null ? '' : titleFromPattern(runbook.runTitle, runbook.fields, values, fieldValueText);
  return (fromPattern || `${runbook.title} (${dayFormat.format(now)})`).slice(0, 200);
}

/**
 * Starts a run of a runbook's current version. The run points at that version (versions are
 * immutable, so later edits do not change it), each step goes to its owner's primary person
 * (or the named person; nobody when the role is empty) and gets its due time. The run fields
 * are checked and stored first, and decide which steps apply and when date-counted steps fall due.
 */
export function startRun(db: Db, input: StartInput): number {
  return db.transaction(() => {
    const row = findRunbook(db, input.runbook);
    if (!row) throw new NotFoundError(`Runbook "${input.runbook}"`);
    if (row.archived_at) throw new ConflictError('runbook-archived', `Runbook "${input.runbook}" is archived; restore it to start runs`);
    const version = findVersion(db, row.current_version_id);
    if (!version) throw new NotFoundError(`Runbook "${input.runbook}"`);
    ensureVersionHtml(db, version.id); // the run page reads it straight from the database
    const stepRows = listVersionSteps(db, version.id);
    const runbook = toRunbook(version, stepRows);
    // The schedule cannot type run fields: its runs start with them empty, to be filled on the run page.
    const values = readStartFields(runbook.fields, input.fields ?? {}, { enforceRequired: input.startedBy !== null });
    const now = input.now ?? new Date();
    const at = now.toISOString();

    const { lastInsertRowid } = sql(
      db,
      `INSERT INTO runs (runbook_id, version_id, title, status, started_at, started_by, scheduled_for)
         VALUES (?, ?, ?, 'open', ?, ?, ?)`,
    ).run(row.id, version.id, input.title || defaultTitle(runbook, values, now), at, input.startedBy, input.scheduledFor ?? null);
    const runId = Number(lastInsertRowid);
    const insertStep = sql(
      db,
      `INSERT INTO run_steps (run_id, position, runbook_step_id, title, owner, role_id, assignee_id, optional,
         estimate_minutes, due_at, escalate_at, status, condition, condition_fields, approval, approver_role_id, approver_id,
         due_field, due_field_minutes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertCheck = sql(db, 'INSERT INTO run_checks (run_step_id, idx, text) VALUES (?, ?, ?)');
    const insertField = sql(
      db,
      'INSERT INTO run_field_values (run_id, name, position, run_step_id, definition, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let fieldPosition = 0;
    const addField = (def: FieldDef, stepId: number | null) => {
      const value = values.get(fieldKey(def.name)) ?? null;
      insertField.run(
        runId,
        def.name,
        fieldPosition++,
        stepId,
        JSON.stringify(def),
        value === null ? null : JSON.stringify(value),
        value === null ? null : input.startedBy,
        value === null ? null : at,
      );
    };
    runbook.fields.forEach((def) => addField(def, null));

    const grace = (version.escalate === null ? null : parseEscalate(version.escalate)) ?? DEFAULT_ESCALATE;
    const owners = new Map<string, ReturnType<typeof resolveOwner>>();
    // Someone away on the day the step is due does not get it (nor someone away today).
    const resolve = (name: string | null, due: Date | null) => {
      const key = `${name?.toLowerCase() ?? ''}\n${due ? today(due) : ''}`;
      const owner = owners.get(key) ?? resolveOwner(db, name, now, { dueAt: due });
      owners.set(key, owner);
      return owner;
    };
    const allFields = [...runbook.fields, ...runbook.steps.flatMap((s) => s.fields)];
    const visible: FieldDef[] = [...runbook.fields];
    runbook.steps.forEach((step, i) => {
      const ownerName = effectiveOwner(runbook, step);
      const parsedDue =
        step.due === null
          ? null
          : parseStepDue(
              step.due,
              [...visible, ...step.fields].filter((f) => f.type === 'date'),
            );
      // A due time counted from a date field is set once the field is (server/runs/fields.ts).
      const due = parsedDue?.ok && parsedDue.due.kind === 'start' ? dueAt(parsedDue.due.offset, now) : null;
      const dueField = parsedDue?.ok && parsedDue.due.kind === 'field' ? parsedDue.due : null;
      const owner = resolve(ownerName, due);
      const approver = step.approval === null ? null : resolve(step.approval, null);
      const condition = step.when === null ? null : parseCondition(step.when, visible, allFields);
      const conditionFields = condition?.ok ? [...new Set(condition.condition.map((c) => fieldKey(c.field)))] : [];
      const stepRow = stepRows[i];
      if (!stepRow) throw new Error(`step ${i + 1} of version ${version.id} is missing`);
      const { lastInsertRowid: stepId } = insertStep.run(
        runId,
        i + 1,
        stepRow.id,
        step.title,
        ownerName,
        owner.kind === 'role' ? owner.role.id : null,
        owner.kind === 'none' ? null : (owner.assignee?.id ?? null),
        step.optional ? 1 : 0,
        step.estimateMinutes,
        due ? due.toISOString() : null,
        due ? escalateAt(due, grace).toISOString() : null,
        step.when,
        JSON.stringify(conditionFields),
        step.approval,
        approver?.kind === 'role' ? approver.role.id : null,
        approver?.kind === 'person' ? approver.person.id : null,
        dueField?.field ?? null,
        dueField?.minutes ?? null,
      );
      step.checks.forEach((text, index) => insertCheck.run(stepId, index, text));
      step.fields.forEach((def) => addField(def, Number(stepId)));
      visible.push(...step.fields);
    });
    recordEvent(db, {
      runId,
      runStepId: null,
      kind: 'run.started',
      actorId: input.startedBy,
      at,
      data: { version: version.number, ...(input.scheduledFor ? { scheduledFor: input.scheduledFor } : {}) },
    });
    // The run fields given decide at once which steps apply and when date-counted ones fall due
    // (quietly: the run starts that way, nothing changed).
    applyFieldValues(db, runId, null, input.startedBy, now, { quiet: true });
    const starter = input.startedBy === null ? undefined : findPerson(db, input.startedBy);
    tellAssignedAtStart(db, runId, starter ? { id: starter.id, name: starter.name } : null, now);
    completeRunIfDone(db, { id: runId }, input.startedBy, at);
    return runId;
  })();
}
