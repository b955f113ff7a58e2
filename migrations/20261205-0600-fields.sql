-- Runs that record the work: run fields (front matter `fields:`), a run's title pattern
-- (`run-title`), and per step its fields (`Field:`), condition (`When:`) and approver (`Approval:`).
-- Field definitions are JSON arrays of { name, type, options, required, source }.
ALTER TABLE runbook_versions ADD COLUMN run_fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runbook_versions ADD COLUMN run_title TEXT;
ALTER TABLE runbook_steps ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runbook_steps ADD COLUMN condition TEXT;
ALTER TABLE runbook_steps ADD COLUMN approval TEXT;

-- A run's fields and their values, one row per field of the run's version, made when the run
-- starts (value NULL until filled). run_step_id is the step that asks for it; NULL for run fields.
-- value is JSON: text, a number, cents for money, "YYYY-MM-DD" for dates, true/false for yes/no.
CREATE TABLE run_field_values (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  name TEXT NOT NULL COLLATE NOCASE,
  position INTEGER NOT NULL,
  run_step_id INTEGER REFERENCES run_steps (id),
  definition TEXT NOT NULL,
  value TEXT,
  set_by INTEGER REFERENCES people (id),
  set_at TEXT,
  PRIMARY KEY (run_id, name)
);

-- Run steps gain two states, so the table is rebuilt (SQLite cannot change a CHECK in place):
-- 'not-needed' (its When: does not hold) and 'awaiting-approval' (completed, waiting for its
-- Approval:). And what a step needs to keep them: its condition and the fields it names, who
-- approves and who did, and the date field its due time is counted from.
-- migrate: foreign keys off
CREATE TABLE run_steps_new (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  position INTEGER NOT NULL,
  runbook_step_id INTEGER NOT NULL REFERENCES runbook_steps (id),
  title TEXT NOT NULL,
  owner TEXT,
  role_id INTEGER REFERENCES roles (id),
  assignee_id INTEGER REFERENCES people (id),
  optional INTEGER NOT NULL CHECK (optional IN (0, 1)),
  estimate_minutes INTEGER,
  due_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'complete', 'skipped', 'not-needed', 'awaiting-approval')),
  completed_by INTEGER REFERENCES people (id),
  completed_at TEXT,
  note TEXT,
  overdue_notified_at TEXT,
  escalate_at TEXT,
  escalated_at TEXT,
  condition TEXT,
  condition_fields TEXT NOT NULL DEFAULT '[]',
  approval TEXT,
  approver_role_id INTEGER REFERENCES roles (id),
  approver_id INTEGER REFERENCES people (id),
  approved_by INTEGER REFERENCES people (id),
  approved_at TEXT,
  due_field TEXT,
  due_field_minutes INTEGER,
  UNIQUE (run_id, position)
);
INSERT INTO run_steps_new (id, run_id, position, runbook_step_id, title, owner, role_id, assignee_id, optional,
    estimate_minutes, due_at, status, completed_by, completed_at, note, overdue_notified_at, escalate_at, escalated_at)
  SELECT id, run_id, position, runbook_step_id, title, owner, role_id, assignee_id, optional,
    estimate_minutes, due_at, status, completed_by, completed_at, note, overdue_notified_at, escalate_at, escalated_at
    FROM run_steps;
DROP TABLE run_steps;
ALTER TABLE run_steps_new RENAME TO run_steps;
-- The indexes it had (20261205-0400, 20261205-0500), then the new ones.
CREATE INDEX run_steps_open_by_assignee ON run_steps (assignee_id, due_at, run_id) WHERE status = 'open';
CREATE INDEX run_steps_completed ON run_steps (completed_by, completed_at, estimate_minutes, run_id) WHERE status = 'complete';
CREATE INDEX run_steps_people ON run_steps (assignee_id, run_id);
CREATE INDEX run_steps_unassigned ON run_steps (role_id, due_at, run_id) WHERE status = 'open' AND assignee_id IS NULL;
-- Approvals waiting, found by the role or the person who gives them.
CREATE INDEX run_steps_awaiting_role ON run_steps (approver_role_id) WHERE status = 'awaiting-approval';
CREATE INDEX run_steps_awaiting_person ON run_steps (approver_id) WHERE status = 'awaiting-approval';

-- A cached run page shows an Approve button to the approving role's members: a change of who is
-- in a role makes cached pages stale, as a rename does.
CREATE TRIGGER role_members_insert_bumps_names AFTER INSERT ON role_members
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
CREATE TRIGGER role_members_delete_bumps_names AFTER DELETE ON role_members
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
