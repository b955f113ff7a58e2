-- Before 2026-12-06 a run could finish with optional steps still open; a run that finishes now
-- closes them as "Not done" (skipped by nobody, at the finish, with a step.not-done event).
-- Those left from before are closed the same way, so that an open step always belongs to an
-- open run and the counts of open steps read their own index, never the runs.
INSERT INTO run_events (run_id, run_step_id, kind, actor_id, at, data)
SELECT s.run_id, s.id, 'step.not-done', NULL, COALESCE(r.completed_at, r.started_at), '{}'
  FROM run_steps s JOIN runs r ON r.id = s.run_id
 WHERE s.status = 'open' AND r.status = 'complete';

UPDATE run_steps
   SET status = 'skipped', completed_by = NULL,
       completed_at = (SELECT COALESCE(r.completed_at, r.started_at) FROM runs r WHERE r.id = run_steps.run_id)
 WHERE status = 'open' AND run_id IN (SELECT id FROM runs WHERE status = 'complete');
