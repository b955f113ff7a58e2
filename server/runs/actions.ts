import type { Db } from '../db/open';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../http/errors';
import type { ErrorCode } from '../http/error-codes';
import { formatDate } from '../views/helpers/format-date';
import { findPerson } from '../people/repo';
import type { Actor } from '../access/actor';
import { authorizeInRun, can } from '../access/policy';
import { findRun, recordEvent, type RunRow, type RunStepRow } from './repo';
import { completeRunIfDone } from './complete-run';
import { missingRequiredFields } from './fields';
import { tellReassigned } from '../notify/compose';
import { tellApprovalNeeded } from '../notify/compose-approvals';
import { sql, transaction } from '../db/statements';
import { stepRecipient } from '../people/owners';

/**
 * What people do to a run. Each action runs in one transaction, checks the current state
 * first and refuses (409, saying who did what when) rather than overwrite someone's work.
 * Ticking checks is in ticks.ts, approving and sending back in approvals.ts, waiting in waiting.ts,
 * filling a field in fill-field.ts.
 */

const personRef = (db: Db, id: number | null) => {
  const person = id === null ? undefined : findPerson(db, id);
  return person ? { id: person.id, name: person.name } : null;
};

/** Who acts, and the rule the step must pass for them (checked on the step as loaded). */
export interface StepActor {
  actor: Actor;
  rule: 'step.work' | 'step.reassign' | 'step.comment' | 'step.approve';
}

/** The step as an action needs it: its state, who may work it, and its run's state. */
export type OpenedStep = Pick<
  RunStepRow,
  'id' | 'title' | 'assignee_id' | 'optional' | 'status' | 'completed_by' | 'completed_at' | 'due_at'
> & {
  open_checks: number;
  approval: string | null;
};

/**
 * A member who sees the whole run but tries a colleague's step is told whose it is and how to
 * get it, not only that their level does not allow it. Outsourcers never see others' steps
 * (authorizeInRun answers 404 for them), so they never reach this.
 */
function refuseSomeoneElsesStep(
  db: Db,
  by: StepActor & { rule: Exclude<StepActor['rule'], 'step.approve'> },
  assigneeId: number | null,
): void {
  if (can(by.actor, { action: by.rule, assigneeId }) || !can(by.actor, { action: 'runs.read-all' })) return;
  const holder = personRef(db, assigneeId);
  const whose = holder ? `This step is ${holder.name}'s` : 'This step has nobody on it yet';
  const how = holder
    ? `ask ${holder.name} to hand it to you (Hand this step to someone else), or ask an owner or editor`
    : 'ask an owner or editor to give it to you';
  throw new AppError(403, 'forbidden', `${whose}: ${how}`, undefined, { assignee: holder });
}

export function openStep(db: Db, runId: number, position: number, by: StepActor): { run: Pick<RunRow, 'id' | 'title'>; step: OpenedStep } {
  // One lookup for the common case; the error cases look again to say which part is missing.
  // Only the columns used: each one more is a property on the row object better-sqlite3 builds.
  const found = sql(
    db,
    `SELECT s.id, s.title, s.assignee_id, s.optional, s.status, s.completed_by, s.completed_at, s.due_at, s.approval,
            r.title AS run_title, r.status AS run_status, r.completed_at AS run_completed_at,
            (SELECT count(*) FROM run_checks c WHERE c.run_step_id = s.id AND c.ticked_at IS NULL) AS open_checks
       FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = ? AND s.position = ?`,
  ).get(runId, position) as (OpenedStep & { run_title: string; run_status: RunRow['status']; run_completed_at: string | null }) | undefined;
  const what = `Step ${position} of run ${runId}`;
  if (!found) {
    // Only those who see whole runs may tell a missing run from a missing step.
    if (can(by.actor, { action: 'runs.read-all' }) && !findRun(db, runId)) throw new NotFoundError(`Run ${runId}`);
    throw new NotFoundError(what);
  }
  // Approving is not working the step: its rule is whether the actor approves it (see approveStep).
  if (by.rule === 'step.approve') {
    authorizeInRun(by.actor, { action: 'step.approve', isApprover: isApprover(db, found.id, by.actor.id) }, what);
  } else {
    refuseSomeoneElsesStep(db, { actor: by.actor, rule: by.rule }, found.assignee_id);
    authorizeInRun(by.actor, { action: by.rule, assigneeId: found.assignee_id }, what);
  }
  if (found.run_status === 'complete') {
    throw new ConflictError('run-complete', `Run "${found.run_title}" is complete; its steps can no longer change`, {
      completedAt: found.run_completed_at,
    });
  }
  return { run: { id: runId, title: found.run_title }, step: found };
}

export function refuseIfClosed(db: Db, step: OpenedStep): void {
  if (step.status === 'not-needed') {
    throw new ConflictError('step-not-needed', `"${step.title}" is not needed in this run: its condition does not hold`);
  }
  if (step.status === 'awaiting-approval') {
    throw doneFirst(
      db,
      'step-awaiting-approval',
      { by: step.completed_by, at: step.completed_at },
      ['completedBy', 'completedAt'],
      (who) => `"${step.title}" was completed by ${who} and waits for approval`,
    );
  }
  if (step.status === 'complete') {
    throw doneFirst(
      db,
      'step-already-complete',
      { by: step.completed_by, at: step.completed_at },
      ['completedBy', 'completedAt'],
      (who, when) => `"${step.title}" was already completed by ${who} at ${when}`,
    );
  }
  if (step.status === 'skipped') {
    throw doneFirst(
      db,
      'step-skipped',
      { by: step.completed_by, at: step.completed_at },
      ['skippedBy', 'skippedAt'],
      (who, when) => `"${step.title}" was skipped by ${who} at ${when}; reopen it first`,
    );
  }
}

/**
 * The 409 for work someone did first: who and when in the message, and under `keys` in the
 * body for programs (the person as { id, name }, the time as stored).
 */
export function doneFirst(
  db: Db,
  code: ErrorCode,
  done: { by: number | null; at: string | null },
  keys: [by: string, at: string],
  sentence: (who: string, when: string) => string,
): ConflictError {
  const by = personRef(db, done.by);
  // The time in words ("6 Dec 2026, 10:15"): the message is shown on the run page as it is.
  return new ConflictError(code, sentence(by?.name ?? 'someone', formatDate(done.at)), { [keys[0]]: by, [keys[1]]: done.at });
}

export function completeStep(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  transaction(db, completeStepNow)(runId, position, by, note);
}

function completeStepNow(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  const actorId = by.actor.id;
  const { run, step } = openStep(db, runId, position, by);
  refuseIfClosed(db, step);
  if (step.open_checks > 0) {
    const open = sql(db, 'SELECT idx, text FROM run_checks WHERE run_step_id = ? AND ticked_at IS NULL ORDER BY idx').all(step.id) as {
      idx: number;
      text: string;
    }[];
    throw new UnprocessableError(
      'checks-open',
      `"${step.title}" still has ${open.length} open check(s): ${open.map((c) => c.text).join('; ')}`,
      'checks',
      {
        openChecks: open.map((c) => ({ index: c.idx, text: c.text })),
      },
    );
  }
  const missing = missingRequiredFields(db, step.id);
  if (missing.length > 0) {
    throw new UnprocessableError(
      'fields-missing',
      `"${step.title}" needs ${missing.join(', ')} filled before it can be completed`,
      missing[0],
      {
        missingFields: missing,
      },
    );
  }
  const now = new Date();
  const at = now.toISOString();
  // A step with an approver is done only once approved: until then it waits, and holds the run open.
  const status = step.approval === null ? 'complete' : 'awaiting-approval';
  // A finished step waits on nothing any more.
  sql(
    db,
    'UPDATE run_steps SET status = ?, completed_by = ?, completed_at = ?, note = ?, waiting_reason = NULL, waiting_since = NULL, waiting_by = NULL WHERE id = ?',
  ).run(status, actorId, at, note, step.id);
  recordEvent(db, {
    runId,
    runStepId: step.id,
    kind: 'step.completed',
    actorId,
    at,
    data: { ...(note ? { note } : {}), ...(step.approval !== null ? { awaitingApproval: true } : {}) },
  });
  if (status === 'awaiting-approval')
    tellApprovalNeeded(db, { runId, runTitle: run.title, position, title: step.title, dueAt: step.due_at }, actorId, now);
  completeRunIfDone(db, run, actorId, at);
}

export function skipStep(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  transaction(db, skipStepNow)(runId, position, by, note);
}

function skipStepNow(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  const actorId = by.actor.id;
  const { run, step } = openStep(db, runId, position, by);
  refuseIfClosed(db, step);
  if (!step.optional) {
    throw new UnprocessableError('step-required', `"${step.title}" is not optional and cannot be skipped`, 'position');
  }
  const at = new Date().toISOString();
  sql(
    db,
    "UPDATE run_steps SET status = 'skipped', completed_by = ?, completed_at = ?, note = ?, waiting_reason = NULL, waiting_since = NULL, waiting_by = NULL WHERE id = ?",
  ).run(actorId, at, note, step.id);
  recordEvent(db, { runId, runStepId: step.id, kind: 'step.skipped', actorId, at, data: note ? { note } : {} });
  completeRunIfDone(db, run, actorId, at);
}

export function reopenStep(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  transaction(db, reopenStepNow)(runId, position, by, note);
}

function reopenStepNow(db: Db, runId: number, position: number, by: StepActor, note: string | null): void {
  const actorId = by.actor.id;
  const { step } = openStep(db, runId, position, by);
  if (step.status === 'open') throw new ConflictError('step-open', `"${step.title}" is already open`);
  const at = new Date().toISOString();
  if (step.status === 'not-needed') {
    throw new ConflictError('step-not-needed', `"${step.title}" is not needed in this run: its condition does not hold`);
  }
  sql(
    db,
    "UPDATE run_steps SET status = 'open', completed_by = NULL, completed_at = NULL, note = NULL, approved_by = NULL, approved_at = NULL WHERE id = ?",
  ).run(step.id);
  recordEvent(db, {
    runId,
    runStepId: step.id,
    kind: 'step.reopened',
    actorId,
    at,
    data: { was: step.status, by: step.completed_by, at: step.completed_at, ...(note ? { note } : {}) },
  });
}

export function reassignStep(db: Db, runId: number, position: number, by: StepActor, toId: number, reason: string): void {
  transaction(db, reassignStepNow)(runId, position, by, toId, reason);
}

function reassignStepNow(db: Db, runId: number, position: number, by: StepActor, toId: number, reason: string): void {
  const actorId = by.actor.id;
  const { run, step } = openStep(db, runId, position, by);
  refuseIfClosed(db, step);
  const now = new Date();
  if (step.assignee_id === toId)
    throw new ConflictError('already-assigned', `"${step.title}" is already assigned to ${personRef(db, toId)?.name}`);
  const to = stepRecipient(db, toId, 'to', now);
  const from = personRef(db, step.assignee_id);
  const at = now.toISOString();
  // The new assignee hears about it if it is (or becomes) overdue, as the last one did.
  sql(db, 'UPDATE run_steps SET assignee_id = ?, overdue_notified_at = NULL WHERE id = ?').run(to.id, step.id);
  recordEvent(db, {
    runId,
    runStepId: step.id,
    kind: 'step.reassigned',
    actorId,
    at,
    // Names as they were at the hand-off: the step's history reads the same after a rename.
    data: { from: step.assignee_id, fromName: from?.name ?? null, to: to.id, toName: to.name, reason },
  });
  tellReassigned(
    db,
    {
      step: { runId, runTitle: run.title, position, title: step.title, dueAt: step.due_at },
      from,
      to,
      by: { id: actorId, name: by.actor.name },
      reason,
    },
    now,
  );
}

/** A note on a step, open or done, without changing its state: "the courier comes at 3". */
export function addNote(db: Db, runId: number, position: number, by: StepActor, note: string): void {
  transaction(db, addNoteNow)(runId, position, by, note);
}

function addNoteNow(db: Db, runId: number, position: number, by: StepActor, note: string): void {
  const { step } = openStep(db, runId, position, by);
  recordEvent(db, { runId, runStepId: step.id, kind: 'step.noted', actorId: by.actor.id, at: new Date().toISOString(), data: { note } });
}

/** Who may approve a step: a member of the role its `Approval:` names, or the person it names. */
function isApprover(db: Db, stepId: number, actorId: number): boolean {
  return (
    sql(
      db,
      `SELECT 1 FROM run_steps s
        WHERE s.id = @step AND (s.approver_id = @actor
           OR EXISTS (SELECT 1 FROM role_members m WHERE m.role_id = s.approver_role_id AND m.person_id = @actor))`,
    ).get({ step: stepId, actor: actorId }) !== undefined
  );
}
