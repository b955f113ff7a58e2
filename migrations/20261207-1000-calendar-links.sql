-- Calendar links: a secret address per person that a calendar program (Google Calendar, Apple
-- Calendar, Outlook) reads their open steps and upcoming scheduled runs from, without signing
-- in (server/auth/calendar-links.ts). Only the sha256 of the secret is stored, as for every
-- other secret; one live link per person (making a new one revokes the old).
CREATE TABLE calendar_links (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES people (id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX calendar_links_one_live ON calendar_links (person_id) WHERE revoked_at IS NULL;
