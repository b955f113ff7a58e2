-- The runbook store: people and roles, versioned runbooks, runs with their steps, checks and events.
-- Times are ISO-8601 UTC strings (they sort as text). Money is integer cents.

CREATE TABLE app_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('team', 'outsourcer')),
  hourly_cost_cents INTEGER CHECK (hourly_cost_cents IS NULL OR hourly_cost_cents >= 0),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL
);
CREATE INDEX people_name ON people (name COLLATE NOCASE);

CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

-- position orders the backups: when the primary cannot take a step, the next one does.
CREATE TABLE role_members (
  role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id),
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  position INTEGER NOT NULL,
  PRIMARY KEY (role_id, person_id)
);
CREATE UNIQUE INDEX role_members_one_primary ON role_members (role_id) WHERE is_primary = 1;
CREATE INDEX role_members_person ON role_members (person_id);

CREATE TABLE runbooks (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  current_version_id INTEGER REFERENCES runbook_versions (id),
  -- sha256 of the file last imported from RUNBOOKS_DIR: an unchanged file is not imported
  -- again even when the runbook has since been edited in the app.
  imported_hash TEXT,
  archived_at TEXT,
  created_at TEXT NOT NULL
);

-- A version is immutable: runs point at the version they started from.
CREATE TABLE runbook_versions (
  id INTEGER PRIMARY KEY,
  runbook_id INTEGER NOT NULL REFERENCES runbooks (id),
  number INTEGER NOT NULL,
  source TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  front_matter TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT,
  owner TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  income TEXT CHECK (income IS NULL OR income IN ('direct', 'indirect', 'none')),
  schedule TEXT,
  review TEXT,
  intro TEXT NOT NULL,
  -- HTML rendered by server/markdown/render.ts when first needed (NULL until then), kept
  -- because versions never change; cleared when the renderer's rules change
  intro_html TEXT,
  origin TEXT NOT NULL CHECK (origin IN ('import', 'api', 'editor')),
  created_by INTEGER REFERENCES people (id),
  created_at TEXT NOT NULL,
  UNIQUE (runbook_id, number)
);

CREATE TABLE runbook_steps (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES runbook_versions (id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  owner TEXT,
  estimate TEXT,
  estimate_minutes INTEGER,
  due TEXT,
  income TEXT CHECK (income IS NULL OR income IN ('direct', 'indirect', 'none')),
  optional INTEGER CHECK (optional IS NULL OR optional IN (0, 1)),
  body TEXT NOT NULL,
  body_html TEXT,
  checks TEXT NOT NULL DEFAULT '[]',
  checks_html TEXT,
  UNIQUE (version_id, position)
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  runbook_id INTEGER NOT NULL REFERENCES runbooks (id),
  version_id INTEGER NOT NULL REFERENCES runbook_versions (id),
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'complete')),
  started_at TEXT NOT NULL,
  started_by INTEGER REFERENCES people (id),
  completed_at TEXT,
  -- set for runs started by the schedule; unique so a restart never starts one twice
  scheduled_for TEXT,
  -- bumped by a trigger on every event (every change to a run records one): a cached copy of
  -- the run's JSON is good while its revision matches
  revision INTEGER NOT NULL DEFAULT 0,
  UNIQUE (runbook_id, scheduled_for)
);
CREATE INDEX runs_status ON runs (status, started_at);
CREATE INDEX runs_runbook ON runs (runbook_id);

CREATE TABLE run_steps (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  position INTEGER NOT NULL,
  runbook_step_id INTEGER NOT NULL REFERENCES runbook_steps (id),
  title TEXT NOT NULL,
  owner TEXT,
  role_id INTEGER REFERENCES roles (id),
  assignee_id INTEGER REFERENCES people (id),
  optional INTEGER NOT NULL CHECK (optional IN (0, 1)),
  estimate_minutes INTEGER,
  due_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'complete', 'skipped')),
  completed_by INTEGER REFERENCES people (id),
  completed_at TEXT,
  note TEXT,
  UNIQUE (run_id, position)
);
CREATE INDEX run_steps_assignee ON run_steps (assignee_id, status, due_at);

CREATE TABLE run_checks (
  run_step_id INTEGER NOT NULL REFERENCES run_steps (id),
  idx INTEGER NOT NULL,
  text TEXT NOT NULL,
  ticked_by INTEGER REFERENCES people (id),
  ticked_at TEXT,
  PRIMARY KEY (run_step_id, idx)
);

CREATE TABLE run_events (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  run_step_id INTEGER REFERENCES run_steps (id),
  kind TEXT NOT NULL,
  actor_id INTEGER REFERENCES people (id),
  at TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX run_events_run ON run_events (run_id, id);
CREATE INDEX run_events_step ON run_events (run_step_id, id);

CREATE TRIGGER run_events_bump_revision AFTER INSERT ON run_events
BEGIN
  UPDATE runs SET revision = revision + 1 WHERE id = NEW.run_id;
END;

-- Runs show people's and roles' names; renaming either makes every cached run stale.
INSERT INTO app_meta (key, value) VALUES ('names_revision', '0');
CREATE TRIGGER people_rename_bumps_names AFTER UPDATE OF name ON people
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
CREATE TRIGGER roles_rename_bumps_names AFTER UPDATE OF name ON roles
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
