-- A year of history: every list that grows is read a page at a time, in the order of an index,
-- so that a page costs the same with 200 runs as with 20,000.

-- The key that signs list cursors (server/http/paging.ts): a cursor this server did not make,
-- or made for other filters, is refused instead of read.
INSERT INTO app_meta (key, value) VALUES ('cursor_key', lower(hex(randomblob(32))));

-- Runs newest first: all of them and between two dates through runs_started (made for the
-- dependence report in 0400, started_at first), of one runbook through this one (of one status: runs_status).
DROP INDEX runs_runbook;
CREATE INDEX runs_runbook ON runs (runbook_id, started_at);
-- "Is this step's run still open?", asked of every step a count or list of open work reads:
-- answered from the few open runs, not from the pages of every run there ever was.
CREATE INDEX runs_open ON runs (id) WHERE status = 'open';

-- "Runs this person has a step in" (the assignee filter, an outsourcer's own runs): one probe
-- per run instead of reading each of its steps. Steps never change run, and change assignee
-- only when handed on, so completing and ticking never touch this index.
CREATE INDEX run_steps_people ON run_steps (assignee_id, run_id);

-- Gaps by role: open steps nobody has, per role, counted and listed without reading the steps
-- themselves (run_id is in the index for the "is its run open" check).
CREATE INDEX run_steps_unassigned ON run_steps (role_id, due_at, run_id) WHERE status = 'open' AND assignee_id IS NULL;
-- Counting a person's open steps (home, My work, their page) reads the index alone, for the same reason.
DROP INDEX run_steps_open_by_assignee;
CREATE INDEX run_steps_open_by_assignee ON run_steps (assignee_id, due_at, run_id) WHERE status = 'open';

-- A run carries only its newest events; each step's hand-offs are read apart, through this
-- index of the few events that are hand-offs (ticks and completions are not in it).
CREATE INDEX run_events_handoffs ON run_events (run_id) WHERE kind = 'step.reassigned';

-- Repeated ticks of one check fold into one event, updated in place (server/runs/actions.ts):
-- cached copies of the run must see that too.
CREATE TRIGGER run_events_update_bumps_revision AFTER UPDATE ON run_events
BEGIN
  UPDATE runs SET revision = revision + 1 WHERE id = NEW.run_id;
END;

-- The library by title: current versions found from their title, their runbook from its version.
CREATE INDEX runbook_versions_title ON runbook_versions (title COLLATE NOCASE);
CREATE INDEX runbooks_current ON runbooks (current_version_id);

-- Steps that name a role (gaps, the role's page), directly or through the runbook's owner.
CREATE INDEX runbook_steps_owner ON runbook_steps (owner COLLATE NOCASE) WHERE owner IS NOT NULL;
CREATE INDEX runbook_versions_owner ON runbook_versions (owner COLLATE NOCASE) WHERE owner IS NOT NULL;
-- Steps with no owner at all are found among runbooks with no owner of their own, by title.
CREATE INDEX runbook_versions_unowned ON runbook_versions (title COLLATE NOCASE) WHERE owner IS NULL;
-- Steps that name no owner of their own (they take the runbook's), by version.
CREATE INDEX runbook_steps_unowned ON runbook_steps (version_id, position) WHERE owner IS NULL;

-- The library's filter choices (categories, tags, owner roles) are worked out once per change
-- of the library, not once per page: this revision says when they changed.
INSERT INTO app_meta (key, value) VALUES ('library_revision', '0');
CREATE TRIGGER runbooks_insert_bumps_library AFTER INSERT ON runbooks
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'library_revision';
END;
CREATE TRIGGER runbooks_change_bumps_library AFTER UPDATE OF current_version_id, archived_at ON runbooks
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'library_revision';
END;

-- The outbox filtered by status, newest first.
CREATE INDEX notifications_status_id ON notifications (status, id);

-- Purging old emails keeps those a live personal link was made for (server/notify/outbox.ts).
CREATE INDEX access_links_notification ON access_links (notification_id) WHERE notification_id IS NOT NULL;
