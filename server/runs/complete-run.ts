import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { tellNotDone } from '../notify/compose';
import { recordEvent, type RunRow } from './repo';

/**
 * When a run completes, its required steps are done; optional steps still open then are closed
 * as "not done" rather than left "To do" in a run that can no longer change (and silently gone
 * from their assignee's My work). A step closed so is stored as skipped by nobody
 * (completed_by NULL: a person's skip always names them) and shown as "Not done". Each
 * assignee other than whoever finished the run is told, in one email listing their steps.
 */
function closeOptionalSteps(db: Db, runId: number, actorId: number | null, at: string): void {
  const open = sql(
    db,
    `SELECT s.id, s.position, s.title, s.due_at, s.assignee_id, p.name AS assignee_name, r.title AS run_title
       FROM run_steps s JOIN runs r ON r.id = s.run_id LEFT JOIN people p ON p.id = s.assignee_id
      WHERE s.run_id = ? AND s.status = 'open' ORDER BY s.position`,
  ).all(runId) as {
    id: number;
    position: number;
    title: string;
    due_at: string | null;
    assignee_id: number | null;
    assignee_name: string | null;
    run_title: string;
  }[];
  if (open.length === 0) return;
  const close = sql(db, "UPDATE run_steps SET status = 'skipped', completed_by = NULL, completed_at = ? WHERE id = ?");
  for (const step of open) {
    close.run(at, step.id);
    recordEvent(db, { runId, runStepId: step.id, kind: 'step.not-done', actorId, at });
  }
  const finisher = (sql(db, 'SELECT id, name FROM people WHERE id = ?').get(actorId) as { id: number; name: string } | undefined) ?? null;
  const byPerson = new Map<number, typeof open>();
  for (const step of open) {
    if (step.assignee_id === null || step.assignee_id === actorId) continue;
    byPerson.set(step.assignee_id, [...(byPerson.get(step.assignee_id) ?? []), step]);
  }
  for (const [personId, steps] of byPerson) {
    tellNotDone(
      db,
      {
        person: { id: personId, name: steps[0]?.assignee_name ?? '' },
        finishedBy: finisher,
        steps: steps.map((s) => ({ runId, runTitle: s.run_title, position: s.position, title: s.title, dueAt: s.due_at })),
      },
      new Date(at),
    );
  }
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
  closeOptionalSteps(db, run.id, actorId, at);
  recordEvent(db, { runId: run.id, runStepId: null, kind: 'run.completed', actorId, at });
}

/**
 * Steps left open in finished runs, closed as a finish closes them now ("Not done", by nobody,
 * at the finish): before 2026-12-06 a run could finish with optional steps open. An open step
 * then always belongs to an open run, which the counts of open steps rely on (they read their
 * index alone). Migration 20261208-0200 did this once for existing databases; a workspace
 * exported before it may still hold such steps, so its import calls this. Returns how many.
 */
export function closeStepsLeftOpen(db: Db): number {
  sql(
    db,
    `INSERT INTO run_events (run_id, run_step_id, kind, actor_id, at, data)
     SELECT s.run_id, s.id, 'step.not-done', NULL, COALESCE(r.completed_at, r.started_at), '{}'
       FROM run_steps s JOIN runs r ON r.id = s.run_id
      WHERE s.status = 'open' AND r.status = 'complete'`,
  ).run();
  return sql(
    db,
    `UPDATE run_steps
        SET status = 'skipped', completed_by = NULL,
            completed_at = (SELECT COALESCE(r.completed_at, r.started_at) FROM runs r WHERE r.id = run_steps.run_id)
      WHERE status = 'open' AND run_id IN (SELECT id FROM runs WHERE status = 'complete')`,
  ).run().changes;
}
