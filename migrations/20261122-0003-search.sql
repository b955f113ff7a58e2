-- Full-text search for the library: one row per runbook (rowid = runbooks.id) holding its
-- CURRENT version's title, intro, and every step's title and body. Triggers keep it in step
-- with runbooks.current_version_id, which saveVersion sets only after the version and its
-- steps are inserted. Archived runbooks stay indexed; the library filters them out.
-- porter: "invoices" finds "invoice" and "invoicing"; remove_diacritics: "cafe" finds "café".
CREATE VIRTUAL TABLE runbook_search USING fts5(
  title, intro, steps,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

-- What the index holds for each runbook. Steps read "Step title: body", so that a snippet
-- running from one into the next reads as sentences. \x02 and \x03 are taken out: snippet()
-- uses them to mark the matched words.
CREATE VIEW runbook_search_source AS
SELECT r.id AS id,
       replace(replace(v.title, char(2), ''), char(3), '') AS title,
       replace(replace(v.intro, char(2), ''), char(3), '') AS intro,
       replace(replace(coalesce(
         (SELECT group_concat(
                   CASE WHEN substr(s.title, -1) IN ('.', ':', '?', '!') THEN s.title ELSE s.title || ':' END
                     || char(10) || s.body,
                   char(10) || char(10) ORDER BY s.position)
            FROM runbook_steps s WHERE s.version_id = v.id), ''), char(2), ''), char(3), '') AS steps
  FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id;

CREATE TRIGGER runbook_search_on_insert AFTER INSERT ON runbooks WHEN NEW.current_version_id IS NOT NULL
BEGIN
  INSERT INTO runbook_search (rowid, title, intro, steps)
  SELECT id, title, intro, steps FROM runbook_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER runbook_search_on_new_version AFTER UPDATE OF current_version_id ON runbooks
BEGIN
  DELETE FROM runbook_search WHERE rowid = OLD.id;
  INSERT INTO runbook_search (rowid, title, intro, steps)
  SELECT id, title, intro, steps FROM runbook_search_source WHERE id = NEW.id;
END;

CREATE TRIGGER runbook_search_on_delete AFTER DELETE ON runbooks
BEGIN
  DELETE FROM runbook_search WHERE rowid = OLD.id;
END;

-- Runbooks stored before this migration.
INSERT INTO runbook_search (rowid, title, intro, steps)
SELECT id, title, intro, steps FROM runbook_search_source;
