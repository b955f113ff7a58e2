import type { listAssignments, listRuns } from './repo';

/** What goes over the wire for run lists and assignments (a single run: see read.ts). */

const isOverdue = (dueAt: string | null, status: string, now: string) => status === 'open' && dueAt !== null && dueAt < now;

export function presentRunSummary(r: ReturnType<typeof listRuns>[number]) {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    runbook: { slug: r.runbook_slug, title: r.runbook_title },
    startedAt: r.started_at,
    completedAt: r.completed_at,
    progress: { steps: r.step_count, done: r.done_count },
    nextDueAt: r.next_due_at,
  };
}

export function presentAssignment(a: ReturnType<typeof listAssignments>[number], now: string) {
  return {
    run: { id: a.run_id, title: a.run_title, runbook: a.runbook_slug },
    position: a.position,
    title: a.title,
    role: a.role_name,
    dueAt: a.due_at,
    overdue: isOverdue(a.due_at, 'open', now),
    estimateMinutes: a.estimate_minutes,
    optional: a.optional === 1,
    checks: { total: a.check_count, ticked: a.ticked_count },
  };
}
