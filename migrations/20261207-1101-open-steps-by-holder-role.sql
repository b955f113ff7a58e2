-- A person's open steps by role, then due time: the hand-off page asks which roles a person
-- holds open steps in (one probe per role, not a read of all their steps), and a hand-off of
-- one role's steps is previewed a page at a time in due order from this range.
CREATE INDEX run_steps_open_by_assignee_role ON run_steps (assignee_id, role_id, due_at) WHERE status = 'open';
