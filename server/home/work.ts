import type { Db } from '../db/open';
import type { PageRequest, Paging } from '../http/paging';
import { ASSIGNMENT_LIST, assignmentCounts, assignmentKey, assignmentRows, listApprovals, presentAssignment } from '../people/assignments';

type Assignment = ReturnType<typeof presentAssignment>;

/**
 * A page of a person's open steps, earliest due first, in the three groups people plan by:
 * overdue, due today (by the end of today, server time), and the rest; with how many wait on
 * them in all (counted up to COUNT_CAP); and, on the first page, the steps waiting for their
 * approval (the oldest 50: someone else's finished work waits on them).
 */
export function groupedWork(db: Db, personId: number, request: PageRequest, now = new Date()) {
  const at = now.toISOString();
  const endOfDay = new Date(now);
  endOfDay.setHours(23, 59, 59, 999);
  const rows = assignmentRows(db, personId, request);
  const page = rows.slice(0, request.limit).map((a) => presentAssignment(a, at));
  const groups: { overdue: Assignment[]; today: Assignment[]; upcoming: Assignment[] } = { overdue: [], today: [], upcoming: [] };
  for (const item of page) {
    if (item.overdue) groups.overdue.push(item);
    else if (item.dueAt !== null && item.dueAt <= endOfDay.toISOString()) groups.today.push(item);
    else groups.upcoming.push(item);
  }
  const counts = assignmentCounts(db, personId, at);
  const approvals = request.after === null ? listApprovals(db, personId) : [];
  return {
    ...groups,
    approvals,
    count: page.length + approvals.length,
    total: counts.open,
    overdueTotal: counts.overdue,
    dueWhileAway: counts.dueWhileAway,
    more: rows.length > request.limit,
    rows,
  };
}

/** My work, a page at a time (its next link is /my-work?cursor=…). */
export function workPage(db: Db, paging: Paging, personId: number, query: Record<string, unknown>) {
  const request = paging.read(query, ASSIGNMENT_LIST);
  const work = groupedWork(db, personId, request);
  const { next, first } = paging.page(work.rows, request, { ...ASSIGNMENT_LIST, keyOf: assignmentKey }, { path: '/my-work' });
  return { ...work, next, start: request.after === null ? null : first };
}
