-- A step can wait on something outside the team ("waiting for the customer's address"): the
-- reason, since when and who said so. Its due time keeps counting; it only says why it stands.
ALTER TABLE run_steps ADD COLUMN waiting_reason TEXT;
ALTER TABLE run_steps ADD COLUMN waiting_since TEXT;
ALTER TABLE run_steps ADD COLUMN waiting_by INTEGER REFERENCES people (id);

-- Every note shows under its step (the newest few per step): read through an index of the
-- notes alone, so a run ticked 20,000 times costs its notes what a fresh one does.
CREATE INDEX run_events_notes ON run_events (run_id, run_step_id, id) WHERE kind = 'step.noted';

-- Home's "waiting on something" for those who run the team: the open steps that wait, longest
-- waiting first, from an index as small as the steps waiting now.
CREATE INDEX run_steps_waiting ON run_steps (status, waiting_since, id) WHERE waiting_reason IS NOT NULL;
