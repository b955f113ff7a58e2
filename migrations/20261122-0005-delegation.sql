-- Delegation: people away (their roles' new steps go to the next backup), and notifications
-- kept in an outbox table, so that a message exists before anyone tries to email it.

-- Whole days, inclusive, as YYYY-MM-DD in UTC: "away from 2026-12-22 to 2026-12-31".
CREATE TABLE away_periods (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES people (id),
  created_at TEXT NOT NULL,
  CHECK (ends_on >= starts_on)
);
CREATE INDEX away_periods_person ON away_periods (person_id, ends_on);

-- 'each': an email per assignment; 'digest': one email a day with everything since the last.
ALTER TABLE people ADD COLUMN notify TEXT NOT NULL DEFAULT 'each' CHECK (notify IN ('each', 'digest'));

-- Set when the assignee was told the step is overdue; cleared when the step changes hands.
ALTER TABLE run_steps ADD COLUMN overdue_notified_at TEXT;
CREATE INDEX run_steps_overdue ON run_steps (due_at) WHERE status = 'open' AND overdue_notified_at IS NULL;

-- status: 'pending' waits for the mailer (or, with no SMTP configured, for someone to read it
-- in the outbox); 'digest' waits for the person's daily digest; 'digested' went out in one
-- (digest_id); 'sent'; 'failed' after the mailer gave up (kept, with the last error).
-- body holds {link} where the link goes: made at sending, because an outsourcer's link is a
-- secret that is never stored.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  kind TEXT NOT NULL CHECK (kind IN ('assigned', 'handed-off', 'overdue', 'digest')),
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link_path TEXT NOT NULL,
  run_id INTEGER REFERENCES runs (id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'digest', 'digested', 'sent', 'failed')),
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT,
  sent_at TEXT,
  digest_id INTEGER REFERENCES notifications (id)
);
CREATE INDEX notifications_status ON notifications (status, next_attempt_at);
CREATE INDEX notifications_person ON notifications (person_id, id);

-- Links made for one email, so a person's page can tell them from links made by hand.
ALTER TABLE access_links ADD COLUMN notification_id INTEGER REFERENCES notifications (id);
