import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { endOfDay, isoDay, startOfDay } from '../http/validate';
import type { PageRequest, Paging } from '../http/paging';
import type { Actor } from '../access/actor';
import { runViewer } from '../access/policy';

/**
 * Runs, newest first, a page at a time. Each filter adds its condition to one statement whose
 * order is that of an index (started_at, then id), so a page reads about as many runs as it
 * shows whatever the number of runs: by status (runs_status), runbook (runs_runbook), dates
 * (runs_started); "has a step of this person" and "overdue" are probes per run.
 */

export const runFilters = z.object({
  status: z.enum(['open', 'complete']).optional(),
  runbook: z.string().trim().min(1).max(100).optional(),
  assignee: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Started on or after this day (the server's time zone). */
  from: isoDay.optional(),
  /** Started on or before this day. */
  to: isoDay.optional(),
});
export type RunFilters = z.infer<typeof runFilters>;

export const RUN_LIST = { name: 'runs', key: ['text', 'id'] } as const;

export interface RunListRow {
  id: number;
  title: string;
  status: 'open' | 'complete';
  started_at: string;
  completed_at: string | null;
  runbook_slug: string;
  runbook_title: string;
  step_count: number;
  done_count: number;
  next_due_at: string | null;
}

// The day bounds live with isoDay (http/validate.ts): other lists by day use them too.
export { startOfDay, endOfDay };

/**
 * One page of runs for `viewer` (an outsourcer: only runs with a step of theirs, counting only
 * their steps; null for the team). Returns up to `page.limit + 1` rows: the extra one says
 * there is a next page.
 */
export function listRuns(db: Db, filters: RunFilters, viewer: number | null, page: PageRequest, now: string): RunListRow[] {
  // An outsourcer asking for someone else's runs learns nothing, as for a person who does not exist.
  if (viewer !== null && filters.assignee !== undefined && filters.assignee !== viewer) return [];
  const where = ['(r.started_at, r.id) < (@afterAt, @afterId)'];
  if (filters.status) where.push('r.status = @status');
  if (filters.runbook) where.push('r.runbook_id = (SELECT id FROM runbooks WHERE slug = @runbook)');
  if (filters.from) where.push('r.started_at >= @from');
  if (filters.to) where.push('r.started_at < @to');
  if (filters.assignee !== undefined) where.push('EXISTS (SELECT 1 FROM run_steps s WHERE s.assignee_id = @assignee AND s.run_id = r.id)');
  if (viewer !== null) where.push('EXISTS (SELECT 1 FROM run_steps s WHERE s.assignee_id = @viewer AND s.run_id = r.id)');
  if (filters.overdue === 'true') {
    where.push(`r.status = 'open' AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id AND s.status = 'open' AND s.due_at < @now
                 ${viewer !== null ? 'AND s.assignee_id = @viewer' : ''})`);
  }
  const mine = viewer !== null ? 'AND s.assignee_id = @viewer' : '';
  const [afterAt, afterId] = page.after ?? ['9999-12-31T23:59:59.999Z', Number.MAX_SAFE_INTEGER];
  return sql(
    db,
    `SELECT r.id, r.title, r.status, r.started_at, r.completed_at, b.slug AS runbook_slug, v.title AS runbook_title,
            (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id ${mine}) AS step_count,
            (SELECT count(*) FROM run_steps s WHERE s.run_id = r.id AND s.status IN ('complete', 'skipped', 'not-needed') ${mine}) AS done_count,
            (SELECT min(s.due_at) FROM run_steps s WHERE s.run_id = r.id AND s.status = 'open' ${mine}) AS next_due_at
       FROM runs r JOIN runbooks b ON b.id = r.runbook_id JOIN runbook_versions v ON v.id = r.version_id
      WHERE ${where.join('\n        AND ')}
      ORDER BY r.started_at DESC, r.id DESC
      LIMIT @limit`,
  ).all({
    afterAt,
    afterId,
    limit: page.limit + 1,
    status: filters.status ?? null,
    runbook: filters.runbook ?? null,
    from: filters.from ? startOfDay(filters.from) : null,
    to: filters.to ? endOfDay(filters.to) : null,
    assignee: filters.assignee ?? null,
    viewer,
    now,
  }) as RunListRow[];
}

/** What goes over the wire for a run in a list (a single run: see read.ts). */
export function presentRunSummary(r: RunListRow, now: string) {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    runbook: { slug: r.runbook_slug, title: r.runbook_title },
    startedAt: r.started_at,
    completedAt: r.completed_at,
    progress: { steps: r.step_count, done: r.done_count },
    nextDueAt: r.next_due_at,
    overdue: r.status === 'open' && r.next_due_at !== null && r.next_due_at < now,
  };
}

/** A page of runs as the viewer may see them, with the address of the next page (API and page alike). */
export function runPage(db: Db, paging: Paging, actor: Actor, query: Record<string, unknown>, filters: RunFilters, path: string) {
  const now = new Date().toISOString();
  const request = paging.read(query, RUN_LIST, filters);
  const viewer = runViewer(actor);
  const rows = listRuns(db, filters, viewer, request, now);
  const { items, next, first } = paging.page(rows, request, { ...RUN_LIST, keyOf: (r) => [r.started_at, r.id] }, { path, filters });
  return { runs: items.map((r) => presentRunSummary(r, now)), next, first: request.after === null ? null : first };
}
