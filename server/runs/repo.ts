import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { queueWebhookEvent, runEventData } from '../webhooks/events';

export interface RunRow {
  id: number;
  runbook_id: number;
  version_id: number;
  title: string;
  status: 'open' | 'complete';
  started_at: string;
  started_by: number | null;
  completed_at: string | null;
  scheduled_for: string | null;
}

/** Where a run's step stands; the database's CHECK and the API's description list the same. */
export const STEP_STATUSES = ['open', 'complete', 'skipped', 'not-needed', 'awaiting-approval'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface RunStepRow {
  id: number;
  run_id: number;
  position: number;
  runbook_step_id: number;
  title: string;
  owner: string | null;
  role_id: number | null;
  assignee_id: number | null;
  optional: number;
  estimate_minutes: number | null;
  due_at: string | null;
  status: StepStatus;
  completed_by: number | null;
  completed_at: string | null;
  note: string | null;
}

export interface RunCheckRow {
  run_step_id: number;
  idx: number;
  text: string;
  ticked_by: number | null;
  ticked_at: string | null;
}

export function findRun(db: Db, id: number): RunRow | undefined {
  return sql(db, 'SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function findRunCheck(db: Db, runStepId: number, index: number): RunCheckRow | undefined {
  return sql(db, 'SELECT * FROM run_checks WHERE run_step_id = ? AND idx = ?').get(runStepId, index) as RunCheckRow | undefined;
}

export function recordEvent(
  db: Db,
  event: { runId: number; runStepId: number | null; kind: string; actorId: number | null; at: string; data?: object },
): void {
  sql(db, 'INSERT INTO run_events (run_id, run_step_id, kind, actor_id, at, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    event.runId,
    event.runStepId,
    event.kind,
    event.actorId,
    event.at,
    JSON.stringify(event.data ?? {}),
  );
  // Run events webhooks may ask for (run.started, step.completed…) go out in the same transaction.
  queueWebhookEvent(db, event.kind, event.at, () => runEventData(db, event));
}

/**
 * The steps of a run this person may approve: those waiting whose Approval: names them or a
 * role they are in. (Approving one's own completed step is refused separately.)
 */
export function approvableSteps(db: Db, runId: number, personId: number): Set<number> {
  const positions = value(
    db,
    `SELECT s.position FROM run_steps s
      WHERE s.run_id = @run AND s.status = 'awaiting-approval'
        AND (s.approver_id = @person OR EXISTS (SELECT 1 FROM role_members m WHERE m.role_id = s.approver_role_id AND m.person_id = @person))`,
  ).all({ run: runId, person: personId }) as number[];
  return new Set(positions);
}
