-- The search index's source view, rewritten so that SQLite 3.40 (Debian 12's sqlite3, the
-- shell operators check and repair copies with) can read the schema: group_concat(... ORDER BY)
-- needs SQLite 3.44, and an older shell refuses the whole file over it ("malformed database
-- schema"). The steps are ordered in a subquery instead: SQLite feeds an aggregate the rows of
-- an ordered subquery in that order (the subquery is not flattened into an aggregate query).
-- Same columns, same text; the triggers read the view by name, so they need no change.
DROP VIEW runbook_search_source;

CREATE VIEW runbook_search_source AS
SELECT r.id AS id,
       replace(replace(v.title, char(2), ''), char(3), '') AS title,
       replace(replace(v.intro, char(2), ''), char(3), '') AS intro,
       replace(replace(coalesce(
         (SELECT group_concat(step, char(10) || char(10))
            FROM (SELECT CASE WHEN substr(s.title, -1) IN ('.', ':', '?', '!') THEN s.title ELSE s.title || ':' END
                           || char(10) || s.body AS step
                    FROM runbook_steps s WHERE s.version_id = v.id ORDER BY s.position)), ''), char(2), ''), char(3), '') AS steps
  FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id;
