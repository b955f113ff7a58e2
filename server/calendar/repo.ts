import type { Db } from '../db/open';
import { sql } from '../db/statements';

/**
 * What a person's calendar reads. Both reads are bounded whatever the history: open steps come
 * from the index of open steps by assignee and due time (run_steps_open_by_assignee), at most
 * STEP_LIMIT; scheduled runbooks are those of the current catalog (not the runs), at most
 * RUNBOOK_LIMIT.
 */
export const STEP_LIMIT = 500;
export const RUNBOOK_LIMIT = 100;

export interface DueStepRow {
  id: number;
  run_id: number;
  position: number;
  title: string;
  due_at: string;
  estimate_minutes: number | null;
  run_title: string;
}

/** The person's open steps that have a due time, earliest first. */
export function openDueSteps(db: Db, personId: number, limit = STEP_LIMIT): DueStepRow[] {
  return sql(
    db,
    `SELECT s.id, s.run_id, s.position, s.title, s.due_at, s.estimate_minutes, r.title AS run_title
       FROM run_steps s INDEXED BY run_steps_open_by_assignee JOIN runs r ON r.id = s.run_id
      WHERE s.assignee_id = ? AND s.status = 'open' AND s.due_at IS NOT NULL
      ORDER BY s.due_at, s.id
      LIMIT ?`,
  ).all(personId, limit) as DueStepRow[];
}

export interface ScheduledRunbookRow {
  id: number;
  slug: string;
  title: string;
  schedule: string;
  /** How many of its steps name the person or a role they are in. */
  steps: number;
  /** The estimates of those steps added up (minutes; 0 when none has one). */
  minutes: number;
}

/**
 * Scheduled runbooks (not archived) with a step the person owns: its Owner: (or the runbook's,
 * for a step without one) names a role they are in, primary or backup, or names them.
 */
export function scheduledRunbooksOf(db: Db, personId: number, limit = RUNBOOK_LIMIT): ScheduledRunbookRow[] {
  return sql(
    db,
    `SELECT b.id, b.slug, v.title, v.schedule, count(*) AS steps, coalesce(sum(s.estimate_minutes), 0) AS minutes
       FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
       JOIN runbook_steps s ON s.version_id = v.id
      WHERE b.archived_at IS NULL AND v.schedule IS NOT NULL
        AND (coalesce(s.owner, v.owner) IN (SELECT r.name FROM roles r JOIN role_members m ON m.role_id = r.id WHERE m.person_id = @person)
             OR (coalesce(s.owner, v.owner) = (SELECT name FROM people WHERE id = @person) COLLATE NOCASE
                 AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.name = coalesce(s.owner, v.owner))))
      GROUP BY b.id
      ORDER BY v.title COLLATE NOCASE, b.id
      LIMIT @limit`,
  ).all({ person: personId, limit }) as ScheduledRunbookRow[];
}
