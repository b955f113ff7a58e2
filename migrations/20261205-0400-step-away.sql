-- Step away: the workload model, escalation of overdue steps, and the indexes their queries use.

-- A runbook's `escalate:` grace time (`4h`, `1 working day`), as written; NULL means one working day.
ALTER TABLE runbook_versions ADD COLUMN escalate TEXT;

-- When an overdue open step is escalated (its due time plus the runbook's grace time), set when
-- the run starts; escalated_at is set once the role's backup and the runbook's owner were told.
ALTER TABLE run_steps ADD COLUMN escalate_at TEXT;
ALTER TABLE run_steps ADD COLUMN escalated_at TEXT;

-- Open steps of runs started before this migration get the default: one working day after
-- their due time (a Friday's step escalates on Monday).
UPDATE run_steps
   SET escalate_at = strftime('%Y-%m-%dT%H:%M:%fZ', due_at,
         CASE strftime('%w', due_at, '+1 day') WHEN '6' THEN '+3 days' WHEN '0' THEN '+2 days' ELSE '+1 day' END)
 WHERE status = 'open' AND due_at IS NOT NULL;

-- Runs per month of a runbook without a schedule: the runs started in the last 90 days,
-- counted per runbook from a range of this index alone.
CREATE INDEX runs_started ON runs (started_at, runbook_id);

-- Who completed what and when, for the owner's monthly trend and the runbooks only the owner
-- works: person by person, a date range, read from the index alone (skipped steps are not in it).
CREATE INDEX run_steps_completed ON run_steps (completed_by, completed_at, estimate_minutes, run_id) WHERE status = 'complete';

-- The workload model reads every step of every current runbook; that list changes only when a
-- runbook is added, gets a new version, or is archived or restored, so it is kept in memory
-- until this revision moves.
INSERT INTO app_meta (key, value) VALUES ('catalog_revision', '0');
CREATE TRIGGER runbooks_insert_bumps_catalog AFTER INSERT ON runbooks
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'catalog_revision';
END;
CREATE TRIGGER runbooks_change_bumps_catalog AFTER UPDATE OF current_version_id, archived_at ON runbooks
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'catalog_revision';
END;
