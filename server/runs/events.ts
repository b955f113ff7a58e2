import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import type { PageRequest, Paging } from '../http/paging';
import { EVENT_OBJECT } from './read';

/**
 * A run's record, beyond the newest events its JSON carries: the older events a page at a
 * time, and every hand-off (a step's own history on the run page), read through an index of
 * hand-offs alone, so neither costs more on a run ticked 20,000 times.
 */

/** `?before=` an event id: the events older than it, newest first. */
export const EVENT_LIST = { name: 'events', key: ['id'], param: 'before', plain: true } as const;

/** Whether the run exists for this viewer (an outsourcer: only with a step of theirs). */
export function runVisible(db: Db, runId: number, viewer: number | null): boolean {
  return (
    value(
      db,
      `SELECT 1 FROM runs r WHERE r.id = @id
          AND (@viewer IS NULL OR EXISTS (SELECT 1 FROM run_steps s WHERE s.assignee_id = @viewer AND s.run_id = r.id))`,
    ).get({ id: runId, viewer }) !== undefined
  );
}

/** Up to `page.limit + 1` of the run's events before `page.after`, newest first, each as its JSON. */
export function listEvents(db: Db, runId: number, viewer: number | null, page: PageRequest): { id: number; doc: string }[] {
  return sql(
    db,
    `SELECT e.id, ${EVENT_OBJECT} AS doc
       FROM run_events e LEFT JOIN people ep ON ep.id = e.actor_id LEFT JOIN run_steps es ON es.id = e.run_step_id
      WHERE e.run_id = @id AND e.id < @before AND (@viewer IS NULL OR es.assignee_id = @viewer)
      ORDER BY e.id DESC LIMIT @limit`,
  ).all({ id: runId, viewer, before: page.after?.[0] ?? Number.MAX_SAFE_INTEGER, limit: page.limit + 1 }) as { id: number; doc: string }[];
}

/**
 * GET /api/runs/:id/events as JSON text, the events as SQLite wrote them; undefined when the
 * run is not there for this viewer.
 */
export function eventPageJson(db: Db, paging: Paging, runId: number, viewer: number | null, query: Record<string, unknown>) {
  const request = paging.read(query, EVENT_LIST);
  if (!runVisible(db, runId, viewer)) return undefined;
  const rows = listEvents(db, runId, viewer, request);
  const { items, next } = paging.page(rows, request, { ...EVENT_LIST, keyOf: (e) => [e.id] }, { path: `/api/runs/${runId}/events` });
  return { json: `{"events":[${items.map((e) => e.doc).join(',')}],"next":${JSON.stringify(next)}}`, next };
}

export interface HandOffRow {
  step: number;
  at: string;
  actor_name: string | null;
  data: string;
}

/** Every hand-off of the run's steps (the viewer's steps only, for an outsourcer), oldest first. */
export function listHandOffs(db: Db, runId: number, viewer: number | null): HandOffRow[] {
  return sql(
    db,
    `SELECT es.position AS step, e.at, ep.name AS actor_name, e.data
       FROM run_events e JOIN run_steps es ON es.id = e.run_step_id LEFT JOIN people ep ON ep.id = e.actor_id
      WHERE e.run_id = @id AND e.kind = 'step.reassigned' AND (@viewer IS NULL OR es.assignee_id = @viewer)
      ORDER BY e.id`,
  ).all({ id: runId, viewer }) as HandOffRow[];
}
