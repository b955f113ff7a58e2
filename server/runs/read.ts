import type { Db } from '../db/open';
import { value } from '../db/statements';
import { bufferBytes, cachedForRun } from './cache';

/**
 * One field of a run as the API shows it (alias f: run_field_values): its value as stored —
 * text, a number, cents for money, "YYYY-MM-DD" for a date, true/false for yes/no — and who
 * set it when.
 */
const FIELD_OBJECT = `json_object(
  'name', f.name,
  'type', json_extract(f.definition, '$.type'),
  'required', CASE WHEN json_extract(f.definition, '$.required') THEN json('true') ELSE json('false') END,
  'options', json(json_extract(f.definition, '$.options')),
  'value', json(f.value),
  'setBy', CASE WHEN f.set_by IS NULL THEN NULL ELSE json_object('id', f.set_by, 'name', (SELECT name FROM people WHERE id = f.set_by)) END,
  'setAt', f.set_at)`;

/**
 * One run step as the API shows it; needs the aliases of STEP_JOINS (and, with text, rs for
 * its runbook step) and @now. Without text,
 * it is the step's state only (what an action answers: the client already has the text).
 */
const stepObject = (withText: boolean) => `json_object(
  'position', s.position,
  'title', s.title,
  'owner', s.owner,
  'role', CASE WHEN s.role_id IS NULL THEN NULL ELSE json_object('id', s.role_id, 'name', ro.name) END,
  'assignee', CASE WHEN s.assignee_id IS NULL THEN NULL ELSE json_object('id', s.assignee_id, 'name', a.name) END,
  'optional', CASE WHEN s.optional = 1 THEN json('true') ELSE json('false') END,
  'estimateMinutes', s.estimate_minutes,
  'dueAt', s.due_at,
  'dueFrom', CASE WHEN s.due_field IS NULL THEN NULL ELSE json_object('field', s.due_field, 'minutes', s.due_field_minutes) END,
  'overdue', CASE WHEN s.status = 'open' AND s.due_at < @now THEN json('true') ELSE json('false') END,
  -- A step closed when its run was finished is skipped by nobody: "not done" (server/runs/complete-run.ts).
  'status', CASE WHEN s.status = 'skipped' AND s.completed_by IS NULL THEN 'not-done' ELSE s.status END,
  'completedBy', CASE WHEN s.completed_by IS NULL THEN NULL ELSE json_object('id', s.completed_by, 'name', c.name) END,
  'completedAt', s.completed_at,
  'note', s.note,
  'waiting', CASE WHEN s.waiting_reason IS NULL OR s.status != 'open' THEN NULL ELSE json_object(
    'reason', s.waiting_reason, 'since', s.waiting_since,
    'by', CASE WHEN s.waiting_by IS NULL THEN NULL ELSE json_object('id', s.waiting_by, 'name', (SELECT name FROM people WHERE id = s.waiting_by)) END) END,
  'condition', s.condition,
  'approval', CASE WHEN s.approval IS NULL THEN NULL ELSE json_object(
    'by', s.approval,
    'approvedBy', CASE WHEN s.approved_by IS NULL THEN NULL ELSE json_object('id', s.approved_by, 'name', (SELECT name FROM people WHERE id = s.approved_by)) END,
    'approvedAt', s.approved_at) END,
  'fields', (SELECT json_group_array(${FIELD_OBJECT} ORDER BY f.position) FROM run_field_values f WHERE f.run_id = s.run_id AND f.run_step_id = s.id),
  ${withText ? `'body', rs.body, 'bodyHtml', rs.body_html, ${STEP_NOTES},` : ''}
  'checks', (
    SELECT json_group_array(json_object(
      'index', k.idx,
      'text', k.text,
      ${withText ? "'html', json_extract(rs.checks_html, '$[' || k.idx || ']')," : ''}
      'ticked', CASE WHEN k.ticked_at IS NULL THEN json('false') ELSE json('true') END,
      'tickedBy', CASE WHEN k.ticked_by IS NULL THEN NULL ELSE json_object('id', k.ticked_by, 'name', tp.name) END,
      'tickedAt', k.ticked_at) ORDER BY k.idx)
      FROM run_checks k LEFT JOIN people tp ON tp.id = k.ticked_by
     WHERE k.run_step_id = s.id)
)`;

/** How many of a step's notes its run carries (the newest); `noteCount` says how many there are. */
export const STEP_NOTES_SHOWN = 5;

/** A step's newest notes, oldest of them first, and how many it has, through the index of notes alone. */
const STEP_NOTES = `'notes', (
    SELECT json_group_array(json_object('at', n.at, 'by', CASE WHEN n.actor_id IS NULL THEN NULL ELSE json_object('id', n.actor_id, 'name', np.name) END,
                                        'note', json_extract(n.data, '$.note')) ORDER BY n.id)
      FROM (SELECT id, at, actor_id, data FROM run_events
             WHERE run_id = s.run_id AND run_step_id = s.id AND kind = 'step.noted' ORDER BY id DESC LIMIT ${STEP_NOTES_SHOWN}) n
      LEFT JOIN people np ON np.id = n.actor_id),
  'noteCount', (SELECT count(*) FROM run_events WHERE run_id = s.run_id AND run_step_id = s.id AND kind = 'step.noted')`;

const STEP_JOINS = `FROM run_steps s
      LEFT JOIN roles ro ON ro.id = s.role_id
      LEFT JOIN people a ON a.id = s.assignee_id
      LEFT JOIN people c ON c.id = s.completed_by`;

/** Counts for the progress bar of run `r` (of the viewer's own steps, when @viewer is set). */
const PROGRESS = `(SELECT json_object('steps', count(*), 'done', count(*) FILTER (WHERE status IN ('complete', 'skipped', 'not-needed')),
                                  'required', count(*) FILTER (WHERE optional = 0 AND status != 'not-needed'),
                                  'requiredDone', count(*) FILTER (WHERE optional = 0 AND status = 'complete'))
                 FROM run_steps WHERE run_id = r.id AND (@viewer IS NULL OR assignee_id = @viewer))`;

/** How many of its newest events a run carries; older ones are paged by GET /api/runs/:id/events. */
export const RUN_EVENTS = 50;

/** One run event as the API shows it, from `e` (run_events), `ep` (its actor), `es` (its step). */
export const EVENT_OBJECT = `json_object(
      'id', e.id, 'kind', e.kind, 'at', e.at,
      'actor', CASE WHEN e.actor_id IS NULL THEN NULL ELSE json_object('id', e.actor_id, 'name', ep.name) END,
      'step', es.position,
      'data', json(e.data))`;

/**
 * GET /api/runs/:id as one JSON string built by SQLite. A 40-step run is ~1,300 values;
 * materialising each as a JS value and stringifying it again cost five times the rest of
 * the request, so the document is assembled in C and sent as it comes. The shape is the
 * API's (see README): positions 1-based, check indexes 0-based, HTML already sanitised
 * (stored by server/markdown/stored.ts when the version was saved). JSON values pass
 * through CASE with their JSON type, so `json('true')` and nested objects need no re-parse.
 * Events: the newest RUN_EVENTS (oldest of them first), and `olderEvents`, the address of the
 * ones before, when there are more: a run ticked 20,000 times answers as fast as a fresh one.
 */
const RUN_JSON = `
WITH recent AS (
  SELECT e.id, ${EVENT_OBJECT} AS doc
    FROM run_events e LEFT JOIN people ep ON ep.id = e.actor_id LEFT JOIN run_steps es ON es.id = e.run_step_id
   WHERE e.run_id = @id AND (@viewer IS NULL OR es.assignee_id = @viewer)
   ORDER BY e.id DESC LIMIT ${RUN_EVENTS + 1}
)
SELECT json_object(
  'id', r.id,
  'title', r.title,
  'status', r.status,
  -- The introduction (purpose, warnings) of the version the run started from: for everyone who
  -- works a step of it, outsourcers too, who cannot open the runbook itself.
  'runbook', json_object('slug', b.slug, 'title', v.title, 'version', v.number, 'intro', v.intro, 'introHtml', coalesce(v.intro_html, '')),
  'startedAt', r.started_at,
  'startedBy', CASE WHEN r.started_by IS NULL THEN NULL ELSE json_object('id', r.started_by, 'name', sp.name) END,
  'completedAt', r.completed_at,
  'scheduledFor', r.scheduled_for,
  'progress', ${PROGRESS},
  -- Run fields; to an outsourcer only those their own steps' conditions name.
  'fields', (
    SELECT json_group_array(${FIELD_OBJECT} ORDER BY f.position) FROM run_field_values f
     WHERE f.run_id = r.id AND f.run_step_id IS NULL
       AND (@viewer IS NULL OR EXISTS (SELECT 1 FROM run_steps o, json_each(o.condition_fields) j
                                        WHERE o.run_id = r.id AND o.assignee_id = @viewer AND j.value = lower(f.name)))),
  'steps', (
    SELECT json_group_array(${stepObject(true)} ORDER BY s.position)
    ${STEP_JOINS} JOIN runbook_steps rs ON rs.id = s.runbook_step_id
     WHERE s.run_id = r.id AND (@viewer IS NULL OR s.assignee_id = @viewer)),
  'events', (
    SELECT json_group_array(json(doc) ORDER BY id)
      FROM (SELECT id, doc FROM recent ORDER BY id DESC LIMIT ${RUN_EVENTS})),
  'olderEvents', (
    SELECT CASE WHEN count(*) > ${RUN_EVENTS}
                THEN '/api/runs/' || r.id || '/events?before=' || (SELECT min(id) FROM (SELECT id FROM recent ORDER BY id DESC LIMIT ${RUN_EVENTS}))
           END
      FROM recent)
) AS json
  FROM runs r JOIN runbooks b ON b.id = r.runbook_id JOIN runbook_versions v ON v.id = r.version_id
  LEFT JOIN people sp ON sp.id = r.started_by
 WHERE r.id = @id
   AND (@viewer IS NULL OR EXISTS (SELECT 1 FROM run_steps v WHERE v.assignee_id = @viewer AND v.run_id = r.id))`;

/**
 * The run's JSON. With a viewer (an outsourcer), only as far as their own steps go: their
 * steps, their progress, their steps' events; undefined when they have no step in it.
 */
export function runJson(db: Db, id: number, viewer: number | null = null, now = new Date().toISOString()): string | undefined {
  return value(db, RUN_JSON).get({ id, viewer, now }) as string | undefined;
}

/**
 * The run's JSON as bytes, rebuilt only when the run changed, a name changed, or a due time
 * passed (see cache.ts). A read of an unchanged run costs one small query.
 */
export function runJsonBytes(db: Db, id: number, viewer: number | null = null, now = new Date().toISOString()): Buffer | undefined {
  return cachedForRun(
    db,
    id,
    `json:${viewer ?? ''}`,
    now,
    () => {
      const json = runJson(db, id, viewer, now);
      return json === undefined ? undefined : Buffer.from(json);
    },
    bufferBytes,
  );
}

/**
 * What a step action answers: the step's state as it now stands and the run's status and
 * progress, not the whole run nor the step's text (a tick must stay cheap; GET the run to
 * see everyone's changes).
 */
const STEP_RESULT_JSON = `
SELECT json_object(
  'run', json_object('id', r.id, 'status', r.status, 'completedAt', r.completed_at, 'progress', ${PROGRESS}),
  'step', ${stepObject(false)}
) AS json
${STEP_JOINS}
  JOIN runs r ON r.id = s.run_id
 WHERE s.run_id = @id AND s.position = @position`;

export function stepResultJson(
  db: Db,
  id: number,
  position: number,
  viewer: number | null = null,
  now = new Date().toISOString(),
): string | undefined {
  return value(db, STEP_RESULT_JSON).get({ id, position, viewer, now }) as string | undefined;
}
