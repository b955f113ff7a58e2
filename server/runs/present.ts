import { renderInlineMarkdown, renderMarkdown } from '../markdown/render';
import type { RunDetail, listAssignments, listRuns } from './repo';

/** What goes over the wire for runs. Positions are 1-based; check indexes are 0-based. */

const ref = (id: number | null, name: string | null) => (id === null ? null : { id, name });
const isOverdue = (dueAt: string | null, status: string, now: string) => status === 'open' && dueAt !== null && dueAt < now;

export function presentRun({ run, steps, checks, events }: RunDetail, now = new Date().toISOString()) {
  const checksByPosition = new Map<number, typeof checks>();
  for (const check of checks) {
    const list = checksByPosition.get(check.position) ?? [];
    list.push(check);
    checksByPosition.set(check.position, list);
  }
  const required = steps.filter((s) => s.optional === 0);
  return {
    id: run.id,
    title: run.title,
    status: run.status,
    runbook: { slug: run.runbook_slug, title: run.runbook_title, version: run.version_number },
    startedAt: run.started_at,
    startedBy: ref(run.started_by, run.started_by_name),
    completedAt: run.completed_at,
    scheduledFor: run.scheduled_for,
    progress: {
      steps: steps.length,
      done: steps.filter((s) => s.status !== 'open').length,
      required: required.length,
      requiredDone: required.filter((s) => s.status === 'complete').length,
    },
    steps: steps.map((s) => ({
      position: s.position,
      title: s.title,
      owner: s.owner,
      role: ref(s.role_id, s.role_name),
      assignee: ref(s.assignee_id, s.assignee_name),
      optional: s.optional === 1,
      estimateMinutes: s.estimate_minutes,
      dueAt: s.due_at,
      overdue: isOverdue(s.due_at, s.status, now),
      status: s.status,
      completedBy: ref(s.completed_by, s.completed_by_name),
      completedAt: s.completed_at,
      note: s.note,
      body: s.body,
      bodyHtml: renderMarkdown(s.body),
      checks: (checksByPosition.get(s.position) ?? []).map((c) => ({
        index: c.idx,
        text: c.text,
        html: renderInlineMarkdown(c.text),
        ticked: c.ticked_at !== null,
        tickedBy: ref(c.ticked_by, c.ticked_by_name),
        tickedAt: c.ticked_at,
      })),
    })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: e.at,
      actor: ref(e.actor_id, e.actor_name),
      step: e.position,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
  };
}

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
