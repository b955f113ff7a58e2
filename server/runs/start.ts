import type { Db } from '../db/open';
import { ConflictError, NotFoundError } from '../http/errors';
import { DEFAULT_ESCALATE, dueAt, escalateAt, parseDue, parseEscalate } from '../runbooks/format/durations';
import { effectiveOwner } from '../runbooks/format/model';
import { findRunbook, findVersion, listVersionSteps, toRunbook } from '../runbooks/repo';
import { resolveOwner } from '../people/owners';
import { today } from '../people/absences';
import { ensureVersionHtml } from '../markdown/stored';
import { recordEvent } from './repo';
import { sql } from '../db/statements';
import { findPerson } from '../people/repo';
import { tellAssignedAtStart } from '../notify/compose';

/**
 * Starts a run of a runbook's current version. The run points at that version (versions are
 * immutable, so later edits do not change it), each step goes to its owner's primary person
 * (or the named person; nobody when the role is empty) and gets its due time.
 */
export function startRun(
  db: Db,
  input: { runbook: string; title: string; startedBy: number | null; scheduledFor?: string; now?: Date },
): number {
  return db.transaction(() => {
    const row = findRunbook(db, input.runbook);
    if (!row) throw new NotFoundError(`Runbook "${input.runbook}"`);
    if (row.archived_at) throw new ConflictError('runbook-archived', `Runbook "${input.runbook}" is archived; restore it to start runs`);
    const version = findVersion(db, row.current_version_id);
    if (!version) throw new NotFoundError(`Runbook "${input.runbook}"`);
    ensureVersionHtml(db, version.id); // the run page reads it straight from the database
    const stepRows = listVersionSteps(db, version.id);
    const runbook = toRunbook(version, stepRows);
    const now = input.now ?? new Date();
    const at = now.toISOString();

    const { lastInsertRowid } = sql(
      db,
      `INSERT INTO runs (runbook_id, version_id, title, status, started_at, started_by, scheduled_for)
         VALUES (?, ?, ?, 'open', ?, ?, ?)`,
    ).run(row.id, version.id, input.title, at, input.startedBy, input.scheduledFor ?? null);
    const runId = Number(lastInsertRowid);
    const insertStep = sql(
      db,
      `INSERT INTO run_steps (run_id, position, runbook_step_id, title, owner, role_id, assignee_id, optional,
         estimate_minutes, due_at, escalate_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
    );
    const insertCheck = sql(db, 'INSERT INTO run_checks (run_step_id, idx, text) VALUES (?, ?, ?)');
    const owners = new Map<string, ReturnType<typeof resolveOwner>>();

    const grace = (version.escalate === null ? null : parseEscalate(version.escalate)) ?? DEFAULT_ESCALATE;

    runbook.steps.forEach((step, i) => {
      const ownerName = effectiveOwner(runbook, step);
      const offset = step.due === null ? null : parseDue(step.due);
      const due = offset ? dueAt(offset, now) : null;
      // Someone away on the day the step is due does not get it (nor someone away today).
      const key = `${ownerName?.toLowerCase() ?? ''}\n${due ? today(due) : ''}`;
      const owner = owners.get(key) ?? resolveOwner(db, ownerName, now, { dueAt: due });
      owners.set(key, owner);
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
      );
      step.checks.forEach((text, index) => insertCheck.run(stepId, index, text));
    });
    const starter = input.startedBy === null ? undefined : findPerson(db, input.startedBy);
    tellAssignedAtStart(db, runId, starter ? { id: starter.id, name: starter.name } : null, now);
    recordEvent(db, {
      runId,
      runStepId: null,
      kind: 'run.started',
      actorId: input.startedBy,
      at,
      data: { version: version.number, ...(input.scheduledFor ? { scheduledFor: input.scheduledFor } : {}) },
    });
    return runId;
  })();
}
