import type { Db } from '../db/open';
import { sql, value } from '../db/statements';

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
  status: 'open' | 'complete' | 'skipped' | 'not-needed' | 'awaiting-approval';
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
}

/**
 * Closes the run once every required step that applies is complete (an all-optional run once
 * nothing is open). A step that is not needed holds nothing open; one awaiting approval does.
 */
export function completeRunIfDone(db: Db, run: Pick<RunRow, 'id'>, actorId: number | null, at: string): void {
  const stillOpen = value(
    db,
    `SELECT 1 FROM run_steps WHERE run_id = @id
        AND (status = 'awaiting-approval'
          OR (status = 'open' AND optional = 0)
          OR (status = 'open' AND NOT EXISTS (SELECT 1 FROM run_steps WHERE run_id = @id AND optional = 0 AND status != 'not-needed')))
      LIMIT 1`,
  ).get({ id: run.id });
  if (stillOpen) return;
  sql(db, "UPDATE runs SET status = 'complete', completed_at = ? WHERE id = ?").run(at, run.id);
  recordEvent(db, { runId: run.id, runStepId: null, kind: 'run.completed', actorId, at });
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

export interface RunFilters {
  /** 'overdue': open runs with an open step past its due time. */
  status?: 'open' | 'complete' | 'overdue';
  runbook?: string;
  assignee?: number;
  /** Set for someone who may not see whole runs: only runs with their steps, counting only their steps. */
  viewer?: number | null;
}

export function listRuns(db: Db, filters: RunFilters = {}) {
  return sql(
    db,
    `SELECT r.*, b.slug AS runbook_slug, v.title AS runbook_title,
              (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id AND (@viewer IS NULL OR s.assignee_id = @viewer)) AS step_count,
              (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id AND s.status != 'open'
                  AND (@viewer IS NULL OR s.assignee_id = @viewer)) AS done_count,
              (SELECT min(due_at) FROM run_steps s WHERE s.run_id = r.id AND s.status = 'open'
                  AND (@viewer IS NULL OR s.assignee_id = @viewer)) AS next_due_at
         FROM runs r JOIN runbooks b ON b.id = r.runbook_id JOIN runbook_versions v ON v.id = r.version_id
        WHERE (@status IS NULL OR r.status = @status
               OR (@status = 'overdue' AND r.status = 'open'
                   AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.status = 'open' AND s.due_at < @now)))
          AND (@runbook IS NULL OR b.slug = @runbook)
          AND (@assignee IS NULL OR EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.assignee_id = @assignee))
          -- A viewer who sees only their own steps may ask only about themselves: asking about
          -- someone else answers as for nobody, not with the runs the two share.
          AND (@viewer IS NULL OR @assignee IS NULL OR @assignee = @viewer)
          AND (@viewer IS NULL OR EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.assignee_id = @viewer))
        ORDER BY r.started_at DESC, r.id DESC`,
  ).all({
    status: filters.status ?? null,
    runbook: filters.runbook ?? null,
    assignee: filters.assignee ?? null,
    viewer: filters.viewer ?? null,
    now: new Date().toISOString(),
  }) as (RunRow & {
    runbook_slug: string;
    runbook_title: string;
    step_count: number;
    done_count: number;
    next_due_at: string | null;
  })[];
}
