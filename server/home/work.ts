import type { Db } from '../db/open';
import { listApprovals, listAssignments, presentAssignment } from '../people/assignments';

type Assignment = ReturnType<typeof presentAssignment>;

/**
 * A person's open steps, earliest due first, in the three groups people plan by: overdue,
 * due today (by the end of today, server time), and the rest; and the steps waiting for their approval.
 */
export function groupedWork(db: Db, personId: number, now = new Date()) {
  const at = now.toISOString();
  const endOfDay = new Date(now);
  endOfDay.setHours(23, 59, 59, 999);
  const all = listAssignments(db, personId).map((a) => presentAssignment(a, at));
  const groups: { overdue: Assignment[]; today: Assignment[]; upcoming: Assignment[] } = { overdue: [], today: [], upcoming: [] };
  for (const item of all) {
    if (item.overdue) groups.overdue.push(item);
    else if (item.dueAt !== null && item.dueAt <= endOfDay.toISOString()) groups.today.push(item);
    else groups.upcoming.push(item);
  }
  // Approvals come first: someone else's finished work waits on them.
  const approvals = listApprovals(db, personId);
  return { ...groups, approvals, count: all.length + approvals.length, dueWhileAway: all.filter((a) => a.dueWhileAway).length };
}
