-- Accounts, sign-in and access. Every account is a person; secrets are stored only as hashes
-- (argon2id for passwords, sha256 for random tokens, which are too long to guess).

ALTER TABLE people ADD COLUMN access_level TEXT NOT NULL DEFAULT 'member'
  CHECK (access_level IN ('owner', 'editor', 'member', 'outsourcer'));
UPDATE people SET access_level = 'outsourcer' WHERE kind = 'outsourcer';

CREATE TABLE credentials (
  person_id INTEGER PRIMARY KEY REFERENCES people (id),
  password_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- id_hash: sha256 of the cookie value. person_id is NULL for a visitor who has not signed in
-- yet (the session only carries the CSRF token of the sign-in form).
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  person_id INTEGER REFERENCES people (id),
  link_id INTEGER REFERENCES access_links (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES people (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT
);

-- Personal links for outsourcers who never make an account: they open only their assignments.
CREATE TABLE access_links (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES people (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

-- The one-time link that creates the owner account on a fresh install.
CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  used_at TEXT
);

-- Failed sign-ins, counted per account and per address to slow guessing.
CREATE TABLE sign_in_failures (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE,
  address TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES people (id),
  action TEXT NOT NULL,
  subject_id INTEGER REFERENCES people (id),
  address TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
