-- Runs that record the work: run fields (front matter `fields:`), a run's title pattern
-- (`run-title`), and per step its fields (`Field:`), condition (`When:`) and approver (`Approval:`).
-- Field definitions are JSON arrays of { name, type, options, required, source }.
ALTER TABLE runbook_versions ADD COLUMN run_fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runbook_versions ADD COLUMN run_title TEXT;
ALTER TABLE runbook_steps ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runbook_steps ADD COLUMN condition TEXT;
ALTER TABLE runbook_steps ADD COLUMN approval TEXT;
