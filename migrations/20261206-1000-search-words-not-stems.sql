-- The library's search matches the words people type, not their stems: with the porter
-- stemmer "receivables" found "received" (both stem to "receiv"). The index is built again
-- without it; server/runbooks/search.ts still lets a word find its plural and singular
-- ("invoice" finds "invoices") and the start of a longer word ("bubble" finds "bubblewrap").
-- The triggers on runbooks write into the table by name and need no change.
DROP TABLE runbook_search;

CREATE VIRTUAL TABLE runbook_search USING fts5(
  title, intro, steps,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO runbook_search (rowid, title, intro, steps)
SELECT id, title, intro, steps FROM runbook_search_source;
