import type { Db } from '../db/open';
import { sql } from '../db/statements';

/** A person's assignments: the open steps of open runs that wait on them. */

/** A person's open steps across open runs, earliest due first (undated last). */
export function listAssignments(db: Db, personId: number) {
  return sql(
    db,
    `SELECT s.id, s.position, s.title, s.due_at, s.estimate_minutes, s.optional, r.id AS run_id, r.title AS run_title,
              b.slug AS runbook_slug, ro.name AS role_name,
              (SELECT count(*) FROM run_checks c WHERE c.run_step_id = s.id) AS check_count,
              (SELECT count(*) FROM run_checks c WHERE c.run_step_id = s.id AND c.ticked_at IS NOT NULL) AS ticked_count,
              EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = s.assignee_id
                       AND a.starts_on <= substr(s.due_at, 1, 10) AND a.ends_on >= substr(s.due_at, 1, 10)) AS due_while_away
         FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN runbooks b ON b.id = r.runbook_id
         LEFT JOIN roles ro ON ro.id = s.role_id
        WHERE s.assignee_id = ? AND s.status = 'open' AND r.status = 'open'
        ORDER BY s.due_at IS NULL, s.due_at, r.started_at, s.position`,
  ).all(personId) as {
    id: number;
    position: number;
    title: string;
    due_at: string | null;
    estimate_minutes: number | null;
    optional: number;
    run_id: number;
    run_title: string;
    runbook_slug: string;
    role_name: string | null;
    check_count: number;
    ticked_count: number;
    due_while_away: number;
  }[];
}

export function presentAssignment(a: ReturnType<typeof listAssignments>[number], now: string) {
  return {
    run: { id: a.run_id, title: a.run_title, runbook: a.runbook_slug },
    position: a.position,
    title: a.title,
    role: a.role_name,
    dueAt: a.due_at,
    overdue: a.due_at !== null && a.due_at < now,
    estimateMinutes: a.estimate_minutes,
    optional: a.optional === 1,
    checks: { total: a.check_count, ticked: a.ticked_count },
    /** Due on a day the assignee is away (an absence planned after the run started): hand it off. */
    dueWhileAway: a.due_while_away === 1,
  };
}

/** Steps waiting for approval by @person (named, or through a role), not completed by them. */
export const APPROVALS = `SELECT s.position, s.title, s.completed_at, r.id AS run_id, r.title AS run_title, c.name AS completed_by_name
       FROM (SELECT id FROM run_steps WHERE status = 'awaiting-approval' AND approver_id = @person
             UNION SELECT id FROM run_steps WHERE status = 'awaiting-approval'
               AND approver_role_id IN (SELECT role_id FROM role_members WHERE person_id = @person)) w
       -- From the few waiting steps outwards, never from every open run.
       CROSS JOIN run_steps s ON s.id = w.id
       JOIN runs r ON r.id = s.run_id LEFT JOIN people c ON c.id = s.completed_by
      WHERE r.status = 'open' AND s.completed_by IS NOT @person
      ORDER BY s.completed_at, s.id LIMIT @limit`;

/**
 * Steps completed by someone else that wait for this person's approval (their Approval: names
 * the person or a role they are in), oldest first. At most `limit`: a queue, not an archive.
 */
export function listApprovals(db: Db, personId: number, limit = 50) {
  return sql(db, APPROVALS).all({ person: personId, limit }) as {
    position: number;
    title: string;
    completed_at: string | null;
    run_id: number;
    run_title: string;
    completed_by_name: string | null;
  }[];
}
