import type { Db } from '../db/open';
import { sql } from '../db/statements';

/**
 * Open steps of open runs past their due time, across the team (Home, for owners and editors):
 * person by person through run_steps_open_by_assignee, then those nobody has, so only overdue
 * steps are read.
 */
export const OVERDUE_ACROSS_TEAM = `
SELECT s.run_id, r.title AS run_title, s.position, s.title, s.due_at, s.assignee_id, p.name AS assignee_name, s.escalated_at
  FROM people p CROSS JOIN run_steps s ON s.assignee_id = p.id AND s.status = 'open' AND s.due_at < @now
  JOIN runs r ON r.id = s.run_id
 WHERE r.status = 'open'
UNION ALL
SELECT s.run_id, r.title, s.position, s.title, s.due_at, NULL, NULL, s.escalated_at
  FROM run_steps s JOIN runs r ON r.id = s.run_id
 WHERE s.assignee_id IS NULL AND s.status = 'open' AND s.due_at < @now AND r.status = 'open'
 ORDER BY 5, 1, 3`;

export function overdueAcrossTeam(db: Db, now: Date = new Date()) {
  return sql(db, OVERDUE_ACROSS_TEAM).all({ now: now.toISOString() }) as {
    run_id: number;
    run_title: string;
    position: number;
    title: string;
    due_at: string;
    assignee_id: number | null;
    assignee_name: string | null;
    escalated_at: string | null;
  }[];
}
