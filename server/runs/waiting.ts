import type { Db } from '../db/open';
import { ConflictError } from '../http/errors';
import { sql, transaction } from '../db/statements';
import { openStep, refuseIfClosed, type StepActor } from './actions';
import { recordEvent } from './repo';

/**
 * A step that stands still for a reason outside the team ("waiting for the customer's
 * address"): said by whoever works the step (its assignee, owners and editors), shown on the
 * run, My work and Home, and lifted by them again. Its due time keeps counting: a waiting step
 * that passes its due time is overdue like any other (the reason says why, it does not excuse).
 */
export function setWaiting(db: Db, runId: number, position: number, by: StepActor, reason: string): void {
  transaction(db, setWaitingNow)(runId, position, by, reason);
}

function setWaitingNow(db: Db, runId: number, position: number, by: StepActor, reason: string): void {
  const { step } = openStep(db, runId, position, by);
  refuseIfClosed(db, step);
  const at = new Date().toISOString();
  // Saying it again with another reason replaces the reason (and is recorded like the first).
  sql(db, 'UPDATE run_steps SET waiting_reason = ?, waiting_since = coalesce(waiting_since, ?), waiting_by = ? WHERE id = ?').run(
    reason,
    at,
    by.actor.id,
    step.id,
  );
  recordEvent(db, { runId, runStepId: step.id, kind: 'step.waiting', actorId: by.actor.id, at, data: { reason } });
}

export function liftWaiting(db: Db, runId: number, position: number, by: StepActor): void {
  transaction(db, liftWaitingNow)(runId, position, by);
}

function liftWaitingNow(db: Db, runId: number, position: number, by: StepActor): void {
  const { step } = openStep(db, runId, position, by);
  refuseIfClosed(db, step);
  const waiting = sql(db, 'SELECT waiting_reason FROM run_steps WHERE id = ?').get(step.id) as { waiting_reason: string | null };
  if (waiting.waiting_reason === null) throw new ConflictError('step-not-waiting', `"${step.title}" is not waiting on anything`);
  const at = new Date().toISOString();
  sql(db, 'UPDATE run_steps SET waiting_reason = NULL, waiting_since = NULL, waiting_by = NULL WHERE id = ?').run(step.id);
  recordEvent(db, { runId, runStepId: step.id, kind: 'step.resumed', actorId: by.actor.id, at, data: { reason: waiting.waiting_reason } });
}
