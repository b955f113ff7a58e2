-- The open steps of each run by due time. "Overdue" on the runs list asks, for each run it
-- passes (newest first), whether an open step is past due; with this index that is one seek
-- into the run's open steps (run_id = ? AND due_at < ?) instead of reading every step of the
-- run, and the list's "next due" is the first entry of the same range. A year of runs whose
-- newest ones are on time is then passed at the cost of an index probe each.
CREATE INDEX run_steps_open_due ON run_steps (run_id, due_at) WHERE status = 'open';
