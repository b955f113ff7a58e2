import type { Db } from '../db/open';
import { AppError, ConflictError } from '../http/errors';
import { sql, transaction } from '../db/statements';
import { tellRejected } from '../notify/compose-approvals';
import { recordEvent } from './repo';
import { completeRunIfDone } from './complete-run';
import { openStep, type StepActor } from './actions';

/**
 * Steps that need an approval (`Approval:` in the runbook): once completed they wait for a member
 * of the approving role (or the person named), who approves them (the step is complete, and the
 * run if it was the last) or sends them back with a reason. Each in one transaction.
 */

/** A step waiting for approval, for its approver; anyone else is refused as the policy says. */
function stepAwaitingApproval(db: Db, runId: number, position: number, by: StepActor) {
  const opened = openStep(db, runId, position, { actor: by.actor, rule: 'step.approve' });
  if (opened.step.status !== 'awaiting-approval') {
    throw new ConflictError('not-awaiting-approval', `"${opened.step.title}" is not waiting for approval`);
  }
  if (opened.step.completed_by === by.actor.id) {
    throw new AppError(403, 'own-step', `You completed "${opened.step.title}" yourself; someone else must approve it`);
  }
  return opened;
}

/** Approving completes the step (and the run, if it was the last). */
export function approveStep(db: Db, runId: number, position: number, by: StepActor): void {
  transaction(db, approveStepNow)(runId, position, by);
}

function approveStepNow(db: Db, runId: number, position: number, by: StepActor): void {
  const { run, step } = stepAwaitingApproval(db, runId, position, by);
  const at = new Date().toISOString();
  sql(db, "UPDATE run_steps SET status = 'complete', approved_by = ?, approved_at = ? WHERE id = ?").run(by.actor.id, at, step.id);
  recordEvent(db, { runId, runStepId: step.id, kind: 'step.approved', actorId: by.actor.id, at });
  completeRunIfDone(db, run, by.actor.id, at);
}

/** Rejecting (with a reason) reopens the step for its assignee, who is told why. */
export function rejectStep(db: Db, runId: number, position: number, by: StepActor, reason: string): void {
  transaction(db, rejectStepNow)(runId, position, by, reason);
}

function rejectStepNow(db: Db, runId: number, position: number, by: StepActor, reason: string): void {
  const { run, step } = stepAwaitingApproval(db, runId, position, by);
  const now = new Date();
  const at = now.toISOString();
  sql(db, "UPDATE run_steps SET status = 'open', completed_by = NULL, completed_at = NULL WHERE id = ?").run(step.id);
  recordEvent(db, {
    runId,
    runStepId: step.id,
    kind: 'step.rejected',
    actorId: by.actor.id,
    at,
    data: { reason, completedBy: step.completed_by },
  });
  const to = step.assignee_id ?? step.completed_by;
  if (to !== null && to !== by.actor.id) {
    tellRejected(
      db,
      { runId, runTitle: run.title, position, title: step.title, dueAt: step.due_at },
      to,
      { id: by.actor.id, name: by.actor.name },
      reason,
      now,
    );
  }
}
