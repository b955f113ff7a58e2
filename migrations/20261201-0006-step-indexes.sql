-- Steps are only ever looked up by assignee while they are open (My work, sheets, hand-offs,
-- who is away, gaps, the overdue sweep): an index of just the open ones stays as small as the
-- work still to do, and completing a step only removes its entry instead of moving it.
DROP INDEX run_steps_assignee;
CREATE INDEX run_steps_open_by_assignee ON run_steps (assignee_id, due_at) WHERE status = 'open';

-- The overdue sweep (every 30 s) now reads each active person's open steps due by now through
-- the index above, so every completion no longer pays for keeping a second index of open steps.
DROP INDEX run_steps_overdue;

-- No query looks events up by step: a step's history is read with its run's events, by run
-- (run_events_run). Every tick and completion paid for keeping this one up to date.
DROP INDEX run_events_step;
