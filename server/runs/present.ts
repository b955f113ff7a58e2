import type { listRuns } from './repo';

/** What goes over the wire for run lists (a single run: see read.ts; a person's open steps: people/assignments.ts). */

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
