import type { Db } from '../db/open';
import { countUpTo, sql } from '../db/statements';
import type { PageRequest } from '../http/paging';

/** A person's assignments: the open steps of open runs that wait on them. */

/** A step `s` falls due within absence `a` (its days, both included): a range the open-steps index reads. */
const DUE_IN_ABSENCE = `s.due_at >= a.starts_on AND s.due_at < date(a.ends_on, '+1 day')`;

/** Whether a step falls due on a day its assignee is away (an absence planned after the run started). */
const DUE_WHILE_AWAY = `EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = s.assignee_id AND ${DUE_IN_ABSENCE})`;

const COLUMNS = `s.id, s.position, s.title, s.owner, s.due_at, s.estimate_minutes, s.optional, s.role_id, r.id AS run_id, r.title AS run_title,
       b.slug AS runbook_slug, ro.name AS role_name, s.waiting_reason,
       (SELECT count(*) FROM run_checks c WHERE c.run_step_id = s.id) AS check_count,
       (SELECT count(*) FROM run_checks c WHERE c.run_step_id = s.id AND c.ticked_at IS NOT NULL) AS ticked_count,
       ${DUE_WHILE_AWAY} AS due_while_away`;
const FROM = `FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN runbooks b ON b.id = r.runbook_id
  LEFT JOIN roles ro ON ro.id = s.role_id`;

export interface AssignmentRow {
  id: number;
  position: number;
  title: string;
  owner: string | null;
  due_at: string | null;
  estimate_minutes: number | null;
  optional: number;
  role_id: number | null;
  run_id: number;
  run_title: string;
  runbook_slug: string;
  role_name: string | null;
  check_count: number;
  ticked_count: number;
  due_while_away: number;
  waiting_reason: string | null;
}

/** A person's open steps across open runs, earliest due first (undated last). All of them: for print. */
export function listAssignments(db: Db, personId: number): AssignmentRow[] {
  return sql(
    db,
    `SELECT ${COLUMNS} ${FROM}
        WHERE s.assignee_id = ? AND s.status = 'open' AND r.status = 'open'
        ORDER BY s.due_at IS NULL, s.due_at, s.id`,
  ).all(personId) as AssignmentRow[];
}

/** The sort key of an assignment in its list: due time (undated last), then step id. */
export const ASSIGNMENT_LIST = { name: 'assignments', key: ['text?', 'id'] } as const;
export const assignmentKey = (a: AssignmentRow) => [a.due_at, a.id];

/**
 * Up to `page.limit + 1` of the open steps of open runs held by `holder` (a person's id, or
 * null for steps nobody holds) after `page.after`, in the order of listAssignments. Dated steps
 * come from the open-steps index in due order, then the undated ones in id order: two index
 * ranges, so a page costs the same with ten thousand steps.
 */
export function openStepRows(db: Db, holder: number | null, page: PageRequest, roleId: number | null = null): AssignmentRow[] {
  const want = page.limit + 1;
  const [afterDue, afterId] = (page.after ?? ['', 0]) as [string | null, number];
  // Only those of one role (a hand-off of one role's steps): a condition on the same index range.
  const who = `${holder === null ? 's.assignee_id IS NULL' : 's.assignee_id = @holder'}${roleId === null ? '' : ' AND s.role_id = @role'}`;
  const rows: AssignmentRow[] = [];
  if (afterDue !== null) {
    rows.push(
      ...(sql(
        db,
        `SELECT ${COLUMNS} ${FROM}
          WHERE ${who} AND s.status = 'open' AND s.due_at IS NOT NULL AND (s.due_at, s.id) > (@due, @id) AND r.status = 'open'
          ORDER BY s.due_at, s.id LIMIT @limit`,
      ).all({ holder, role: roleId, due: afterDue, id: afterId, limit: want }) as AssignmentRow[]),
    );
  }
  if (rows.length < want) {
    rows.push(
      ...(sql(
        db,
        `SELECT ${COLUMNS} ${FROM}
          WHERE ${who} AND s.status = 'open' AND s.due_at IS NULL AND s.id > @id AND r.status = 'open'
          ORDER BY s.id LIMIT @limit`,
      ).all({ holder, role: roleId, id: afterDue === null ? afterId : 0, limit: want - rows.length }) as AssignmentRow[]),
    );
  }
  return rows;
}

/** A person's open steps, a page at a time (see openStepRows). */
export const assignmentRows = (db: Db, personId: number, page: PageRequest) => openStepRows(db, personId, page);

/** Orders rows as openStepRows gives them: due time, undated last, then id. */
export function byDueThenId(a: AssignmentRow, b: AssignmentRow): number {
  if (a.due_at !== b.due_at) {
    if (a.due_at === null) return 1;
    if (b.due_at === null) return -1;
    return a.due_at < b.due_at ? -1 : 1;
  }
  return a.id - b.id;
}

/** How many open steps wait on a person, how many of them are overdue, how many due while they are away (each at most COUNT_CAP). */
export function assignmentCounts(db: Db, personId: number, now: string): { open: number; overdue: number; dueWhileAway: number } {
  const count = (extra: string) =>
    countUpTo(
      db,
      // From the step index alone: an open step always belongs to an open run (see closeStepsLeftOpen).
      `SELECT 1 FROM run_steps s WHERE s.assignee_id = @person AND s.status = 'open' ${extra}`,
      { person: personId, now },
    );
  // Due while away: from the person's few absences to the steps due within each (a range of the
  // open-steps index), not from every open step to its absences: most people have none at all.
  const dueWhileAway = countUpTo(
    db,
    `SELECT DISTINCT s.id FROM away_periods a CROSS JOIN run_steps s
      WHERE a.person_id = @person AND s.assignee_id = @person AND s.status = 'open'
        AND ${DUE_IN_ABSENCE}`,
    { person: personId },
  );
  return { open: count(''), overdue: count('AND s.due_at < @now'), dueWhileAway };
}

export function presentAssignment(a: AssignmentRow, now: string) {
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
    /** What the step waits for, as its assignee said ("the customer's address"); it stays due all the same. */
    waiting: a.waiting_reason,
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
