-- Reviews: a runbook with `review: 6mo` is due for review that long after its last review. Every
-- new version counts as a review; so does "Mark reviewed". Both are rows of runbook_reviews.
-- runbooks.review_due_at is worked out in server/runbooks/reviews.ts (calendar months, as the
-- format says) whenever a review is recorded, so that the library can filter by it through an
-- index; NULL when the current version asks for no review. review_notified_at: the owner role
-- was emailed that this due date passed (cleared by the next review). kept_at: someone chose to
-- keep a runbook nobody had run for 180 days (it is not listed as unused again for 180 days).
ALTER TABLE runbooks ADD COLUMN reviewed_at TEXT;
ALTER TABLE runbooks ADD COLUMN review_due_at TEXT;
ALTER TABLE runbooks ADD COLUMN review_notified_at TEXT;
ALTER TABLE runbooks ADD COLUMN kept_at TEXT;

CREATE TABLE runbook_reviews (
  id INTEGER PRIMARY KEY,
  runbook_id INTEGER NOT NULL REFERENCES runbooks (id),
  -- the current version when reviewed; for kind 'version', the version saved
  version_id INTEGER NOT NULL REFERENCES runbook_versions (id),
  kind TEXT NOT NULL CHECK (kind IN ('marked', 'version')),
  note TEXT,
  reviewed_by INTEGER REFERENCES people (id),
  reviewed_at TEXT NOT NULL
);
CREATE INDEX runbook_reviews_runbook ON runbook_reviews (runbook_id, id);

-- Runbooks already stored: their current version is their last review. review_due_at is filled
-- in by backfillReviewDates at start-up (the interval's calendar arithmetic lives in TypeScript).
INSERT INTO runbook_reviews (runbook_id, version_id, kind, reviewed_by, reviewed_at)
SELECT r.id, v.id, 'version', v.created_by, v.created_at
  FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id;
UPDATE runbooks SET reviewed_at = (SELECT created_at FROM runbook_versions v WHERE v.id = runbooks.current_version_id);

-- Due (or overdue) reviews of runbooks in the library, by date: Home, the library filter, the sweep.
CREATE INDEX runbooks_review_due ON runbooks (review_due_at) WHERE review_due_at IS NOT NULL AND archived_at IS NULL;

-- The owner role is emailed once when a review falls due: a new kind of message. SQLite cannot
-- change a CHECK in place, so the table is made again with the same rows (ids kept, so that
-- access_links.notification_id and digest_id still point at the same messages; the foreign
-- keys are checked at commit, once the rows are back).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE notifications_copy AS SELECT * FROM notifications;
DROP TABLE notifications;
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  kind TEXT NOT NULL CHECK (kind IN ('assigned', 'handed-off', 'overdue', 'digest', 'review-due')),
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
INSERT INTO notifications SELECT * FROM notifications_copy ORDER BY id;
DROP TABLE notifications_copy;
CREATE INDEX notifications_status ON notifications (status, next_attempt_at);
CREATE INDEX notifications_person ON notifications (person_id, id);
CREATE INDEX notifications_status_id ON notifications (status, id);
