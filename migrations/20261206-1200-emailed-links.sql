-- Invitations and password resets go out by email (issue 13 items 8 and 9), and an email may
-- wait in the outbox to be forwarded by hand: the outbox must show the working link. So, as
-- for personal links, their secret is made from a random salt (stored) and the server's key
-- (not in the database); the database still holds only the secret's hash. Invitations made
-- before have no salt: their emails (there were none) and links work as before.
ALTER TABLE invitations ADD COLUMN salt TEXT;

-- A "forgot password" link: works once, for 30 minutes; a newer one, a new password or
-- deactivation ends it (revoked_at).
CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  token_hash TEXT NOT NULL UNIQUE,
  salt TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX password_resets_person ON password_resets (person_id, created_at);

-- Requests for a reset, by address and by email, for the rate limit (kept a day; see retention).
CREATE TABLE password_reset_requests (
  email TEXT NOT NULL,
  address TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX password_reset_requests_email ON password_reset_requests (email, at);
CREATE INDEX password_reset_requests_address ON password_reset_requests (address, at);

-- What an email is about when its kind cannot say: 'invitation' or 'password-reset' (their
-- kind is stored as 'assigned', as notifications.kind's CHECK cannot grow without rebuilding
-- the table, which the foreign keys to it forbid inside a migration). NULL: as its kind says.
ALTER TABLE notifications ADD COLUMN topic TEXT;
