import type { Db } from '../db/open';
import { sql, value } from '../db/statements';

/** What a webhook may be told of (the README's Webhooks section describes each one's data). */
export const WEBHOOK_EVENTS = [
  'run.started',
  'run.completed',
  'step.completed',
  'step.overdue',
  'step.reassigned',
  'runbook.changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const isWebhookEvent = (kind: string): kind is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(kind);

/**
 * Queues `event` for every webhook that asked for it, in the caller's transaction: if the change
 * is saved, so is each delivery, and a receiver that is down loses nothing (the worker retries).
 * `data` is built only when some webhook listens, so a workspace without webhooks pays one
 * indexed lookup per event. Events a webhook cannot ask for are ignored.
 */
export function queueWebhookEvent(db: Db, event: string, at: string, data: () => object): void {
  if (!isWebhookEvent(event)) return;
  const listening = value(db, 'SELECT 1 FROM webhooks w WHERE EXISTS (SELECT 1 FROM json_each(w.events) e WHERE e.value = ?) LIMIT 1').get(
    event,
  );
  if (!listening) return;
  const body = JSON.stringify({ event, at, data: data() });
  sql(
    db,
    `INSERT INTO webhook_deliveries (webhook_id, event, body, status, created_at, next_attempt_at)
     SELECT w.id, @event, @body, 'pending', @now, @now FROM webhooks w
      WHERE EXISTS (SELECT 1 FROM json_each(w.events) e WHERE e.value = @event)`,
  ).run({ event, body, now: new Date().toISOString() });
}

/**
 * What a run event tells a receiver: the run (and its runbook), the step it is about, who did
 * it, and the event's own details (a note, a reassignment's from/to and reason).
 */
export function runEventData(db: Db, event: { runId: number; runStepId: number | null; actorId: number | null; data?: object }): object {
  const run = sql(
    db,
    `SELECT r.id, r.title, r.status, r.started_at AS startedAt, r.completed_at AS completedAt, b.slug AS runbook
       FROM runs r JOIN runbooks b ON b.id = r.runbook_id WHERE r.id = ?`,
  ).get(event.runId);
  const step =
    event.runStepId === null
      ? undefined
      : sql(
          db,
          `SELECT s.position, s.title, s.status, s.due_at AS dueAt, s.assignee_id AS assigneeId, p.name AS assigneeName
             FROM run_steps s LEFT JOIN people p ON p.id = s.assignee_id WHERE s.id = ?`,
        ).get(event.runStepId);
  const actor = event.actorId === null ? null : (sql(db, 'SELECT id, name FROM people WHERE id = ?').get(event.actorId) ?? null);
  return { run, ...(step ? { step } : {}), actor, ...(event.data ?? {}) };
}
