import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { BadRequestError } from '../http/errors';
import type { Income } from './format/model';

/** What the library is asked for; every field already trimmed and bounded (see pages.ts). */
export interface LibraryQuery {
  q: string | null;
  category: string | null;
  tag: string | null;
  owner: string | null;
  income: Income | null;
  archived: boolean;
}

export interface LibraryRow {
  id: number;
  slug: string;
  archived_at: string | null;
  title: string;
  category: string | null;
  owner: string | null;
  tags: string;
  income: Income | null;
  version: number;
  updated_at: string;
  step_count: number;
  estimate_minutes: number | null;
  /** With a search only: the title, intro and steps with matched words between \x02 and \x03. */
  title_marked?: string;
  intro_snippet?: string;
  steps_snippet?: string;
  title_hit?: number;
}

export const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 60;

/**
 * Turns what someone typed into an FTS5 query that cannot fail to parse: each word becomes a
 * quoted string (inner quotes doubled, so AND, OR, NOT, NEAR, *, ^, :, brackets are plain
 * text) with a prefix match, and all words must match. Words with no letter or digit match
 * nothing the tokenizer keeps, so they are dropped. Null when nothing searchable is left.
 */
export function ftsQuery(input: string): string | null {
  const terms = input
    .normalize('NFKC')
    .split(/\s+/)
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .slice(0, MAX_TERMS)
    .map((term) => `"${term.slice(0, MAX_TERM_LENGTH).replace(/"/g, '""')}"*`);
  return terms.length > 0 ? terms.join(' ') : null;
}

const COLUMNS = `r.id, r.slug, r.archived_at, v.title, v.category, v.owner, v.tags, v.income, v.number AS version,
       v.created_at AS updated_at,
       (SELECT count(*) FROM runbook_steps s WHERE s.version_id = v.id) AS step_count,
       (SELECT sum(s.estimate_minutes) FROM runbook_steps s WHERE s.version_id = v.id) AS estimate_minutes`;

// `owner` is the runbook's owner or any step's own owner (together: every step's effective owner).
const FILTERS = `(@archived = (r.archived_at IS NOT NULL))
   AND (@category IS NULL OR v.category = @category COLLATE NOCASE)
   AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(v.tags) t WHERE t.value = @tag COLLATE NOCASE))
   AND (@owner IS NULL OR v.owner = @owner COLLATE NOCASE
        OR EXISTS (SELECT 1 FROM runbook_steps s WHERE s.version_id = v.id AND s.owner = @owner COLLATE NOCASE))
   AND (@income IS NULL OR v.income = @income)`;

const LIST = `SELECT ${COLUMNS}
  FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id
 WHERE ${FILTERS}
 ORDER BY v.title COLLATE NOCASE, r.slug`;

// Title matches first (every word in the title), then bm25 with the title weighing most.
const SEARCH = `WITH hits AS (
  SELECT rowid AS id, bm25(runbook_search, 10.0, 4.0, 1.0) AS score,
         highlight(runbook_search, 0, char(2), char(3)) AS title_marked,
         snippet(runbook_search, 1, char(2), char(3), '…', 24) AS intro_snippet,
         snippet(runbook_search, 2, char(2), char(3), '…', 24) AS steps_snippet
    FROM runbook_search WHERE runbook_search MATCH @match
)
SELECT ${COLUMNS}, h.title_marked, h.intro_snippet, h.steps_snippet,
       h.id IN (SELECT rowid FROM runbook_search WHERE runbook_search MATCH @titleMatch) AS title_hit
  FROM hits h JOIN runbooks r ON r.id = h.id JOIN runbook_versions v ON v.id = r.current_version_id
 WHERE ${FILTERS}
 ORDER BY title_hit DESC, h.score, v.title COLLATE NOCASE, r.slug`;

/** The library's runbooks: by title, or with a search, best match first. One statement. */
export function searchLibrary(db: Db, query: LibraryQuery): LibraryRow[] {
  const params = {
    archived: query.archived ? 1 : 0,
    category: query.category,
    tag: query.tag,
    owner: query.owner,
    income: query.income,
  };
  const match = query.q === null ? null : ftsQuery(query.q);
  if (match === null) return sql(db, LIST).all(params) as LibraryRow[];
  try {
    return sql(db, SEARCH).all({ ...params, match, titleMatch: `{title} : (${match})` }) as LibraryRow[];
  } catch (error) {
    // ftsQuery leaves nothing for FTS5 to reject; should that ever fail, say so rather than 500.
    if (error instanceof Error && /fts5/i.test(error.message)) {
      throw new BadRequestError('The search could not be understood: try plain words', 'q', 'invalid-search');
    }
    throw error;
  }
}

export interface LibraryOptions {
  categories: string[];
  tags: string[];
  owners: string[];
  counts: { active: number; archived: number };
}

/** The values the filters offer: those used by the runbooks on this side of the archive. */
export function libraryOptions(db: Db, archived: boolean): LibraryOptions {
  const values = (text: string) => (sql(db, text).all({ archived: archived ? 1 : 0 }) as { value: string }[]).map((r) => r.value);
  const current = `runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE @archived = (r.archived_at IS NOT NULL)`;
  const counts = sql(
    db,
    `SELECT count(*) FILTER (WHERE archived_at IS NULL) AS active, count(*) FILTER (WHERE archived_at IS NOT NULL) AS archived
       FROM runbooks WHERE current_version_id IS NOT NULL`,
  ).get() as { active: number; archived: number };
  return {
    categories: values(`SELECT min(v.category) AS value FROM ${current} AND v.category IS NOT NULL
                         GROUP BY v.category COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    tags: values(`SELECT min(t.value) AS value
                    FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id, json_each(v.tags) t
                   WHERE @archived = (r.archived_at IS NOT NULL)
                   GROUP BY t.value COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    owners: values(`SELECT min(name) AS value FROM (
                      SELECT v.owner AS name FROM ${current}
                      UNION ALL
                      SELECT s.owner FROM runbook_steps s JOIN runbooks r ON r.current_version_id = s.version_id
                       WHERE @archived = (r.archived_at IS NOT NULL))
                    WHERE name IS NOT NULL GROUP BY name COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    counts,
  };
}
