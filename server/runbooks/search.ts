import type { Db } from '../db/open';
import { countUpTo, sql } from '../db/statements';
import { BadRequestError } from '../http/errors';
import { MAX_LIMIT, type PageRequest } from '../http/paging';
import type { Income } from './format/model';
import { endOfMonth, unusedSince } from './reviews';

/** What the library is asked for; every field already trimmed and bounded (see pages.ts). */
export interface LibraryQuery {
  q: string | null;
  category: string | null;
  tag: string | null;
  owner: string | null;
  income: Income | null;
  /** Archived runbooks only (true), none (false), or both ('include', the API's archived=include). */
  archived: boolean | 'include';
  /** Review due by the end of this month (not yet passed), or overdue; null for any. */
  review?: 'due' | 'overdue' | null;
  /** Only runbooks nobody ran in 180 days (see reviews.ts, UNUSED_DAYS). */
  unused?: boolean;
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
  schedule: string | null;
  review: string | null;
  version: number;
  updated_at: string;
  step_count: number;
  estimate_minutes: number | null;
  created_at: string;
  reviewed_at: string | null;
  review_due_at: string | null;
  kept_at: string | null;
  last_run_at: string | null;
  /** With a search only: its rank (title matches first, then bm25), and the title, intro and steps with matched words between \x02 and \x03. */
  title_hit?: number;
  score?: number;
  title_marked?: string;
  intro_snippet?: string;
  steps_snippet?: string;
}

export const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 60;

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The singular of an English plural ("invoices" → "invoice", "deliveries" → "delivery"), or null. */
function singular(word: string): string | null {
  if (!/^\p{L}{3,}s$/u.test(word) || /(ss|us|is)$/i.test(word)) return null;
  return /ies$/i.test(word) ? `${word.slice(0, -3)}y` : word.slice(0, -1);
}

/**
 * Turns what someone typed into an FTS5 query that cannot fail to parse: each word becomes a
 * quoted string (inner quotes doubled, so AND, OR, NOT, NEAR, *, ^, :, brackets are plain
 * text) with a prefix match, and all words must match (AND). A word matches itself, words that
 * start with it, and its singular ("invoices" finds "invoice"), never a shared stem
 * ("receivables" does not find "received"). Words with no letter or digit match nothing the
 * tokenizer keeps, so they are dropped. Null when nothing searchable is left.
 */
export function ftsQuery(input: string): string | null {
  const terms = input
    .normalize('NFKC')
    .split(/\s+/)
    .filter((term) => /[\p{L}\p{N}]/u.test(term))
    .slice(0, MAX_TERMS)
    .map((term) => {
      const word = term.slice(0, MAX_TERM_LENGTH);
      const one = singular(word);
      return one === null ? `${quoted(word)}*` : `(${quoted(word)}* OR ${quoted(one)})`;
    });
  // An explicit AND: FTS5 refuses a bracketed group joined by a space.
  return terms.length > 0 ? terms.join(' AND ') : null;
}

const COLUMNS = `r.id, r.slug, r.archived_at, v.title, v.category, v.owner, v.tags, v.income, v.schedule, v.review,
       v.number AS version, v.created_at AS updated_at,
       (SELECT count(*) FROM runbook_steps s WHERE s.version_id = v.id) AS step_count,
       (SELECT sum(s.estimate_minutes) FROM runbook_steps s WHERE s.version_id = v.id) AS estimate_minutes,
       r.created_at, r.reviewed_at, r.review_due_at, r.kept_at,
       (SELECT max(x.started_at) FROM runs x WHERE x.runbook_id = r.id) AS last_run_at`;

// `owner` is the runbook's owner or any step's own owner (together: every step's effective owner).
const FILTERS = `(@archived = 2 OR @archived = (r.archived_at IS NOT NULL))
   AND (@category IS NULL OR v.category = @category COLLATE NOCASE)
   AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(v.tags) t WHERE t.value = @tag COLLATE NOCASE))
   AND (@owner IS NULL OR v.owner = @owner COLLATE NOCASE
        OR EXISTS (SELECT 1 FROM runbook_steps s WHERE s.version_id = v.id AND s.owner = @owner COLLATE NOCASE))
   AND (@income IS NULL OR v.income = @income)
   AND (@reviewBefore IS NULL OR (r.review_due_at >= @reviewFrom AND r.review_due_at < @reviewBefore))
   AND (@unusedSince IS NULL OR (r.created_at < @unusedSince AND coalesce(r.kept_at, '') < @unusedSince
        AND NOT EXISTS (SELECT 1 FROM runs x WHERE x.runbook_id = r.id AND x.started_at >= @unusedSince)))`;

/** The library by title, a page at a time: current versions read through their title index. */
export const LIBRARY_LIST = { name: 'library', key: ['text', 'text'] } as const;
const LIST = `SELECT ${COLUMNS}
  FROM runbook_versions v JOIN runbooks r ON r.current_version_id = v.id
 WHERE ${FILTERS}
   AND v.title >= @afterTitle COLLATE NOCASE AND (v.title COLLATE NOCASE, r.slug) > (@afterTitle, @afterSlug)
 ORDER BY v.title COLLATE NOCASE, r.slug
 LIMIT @limit`;

/**
 * A search, best match first: first the runbooks whose title has every word, best title match
 * first, then the others by relevance (bm25, the title weighing most), each then by id. The
 * two are ranked apart, each only when its page needs it: the first page of a common word
 * ranks the title matches alone, never every runbook that mentions it (and never any run).
 * Each match is scored once (MATERIALIZED) and sorted with no more than its score and, when a
 * filter needs it, its version; the page's rows alone get their columns, and (for the library
 * page) their snippets, which cost most (SNIPPETS).
 */
export const SEARCH_LIST = { name: 'library-search', key: ['int', 'number', 'id'] } as const;
const ARCHIVED = '(@archived = 2 OR @archived = (r.archived_at IS NOT NULL))';
const rankPhase = (withVersion: boolean) => `WITH hits AS MATERIALIZED (
  SELECT rowid AS id, bm25(runbook_search, 10.0, 4.0, 1.0) AS score FROM runbook_search WHERE runbook_search MATCH @phase
)
SELECT h.id, h.score
  FROM hits h JOIN runbooks r ON r.id = h.id ${withVersion ? 'JOIN runbook_versions v ON v.id = r.current_version_id' : ''}
 WHERE ${withVersion ? FILTERS : ARCHIVED} AND (h.score, h.id) > (@afterScore, @afterId)
 ORDER BY h.score, h.id
 LIMIT @limit`;

const PAGE_ROWS = `SELECT ${COLUMNS}
  FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id
 WHERE r.id IN (SELECT value FROM json_each(@ids))`;

const SNIPPETS = `SELECT rowid AS id, highlight(runbook_search, 0, char(2), char(3)) AS title_marked,
       snippet(runbook_search, 1, char(2), char(3), '…', 24) AS intro_snippet,
       snippet(runbook_search, 2, char(2), char(3), '…', 24) AS steps_snippet
  FROM runbook_search WHERE runbook_search MATCH @match AND rowid IN (SELECT value FROM json_each(@ids))`;

const COUNT_LIST = `SELECT 1 FROM runbook_versions v JOIN runbooks r ON r.current_version_id = v.id WHERE ${FILTERS}`;
const COUNT_SEARCH = `SELECT 1 FROM runbook_search h JOIN runbooks r ON r.id = h.rowid JOIN runbook_versions v ON v.id = r.current_version_id
  WHERE runbook_search MATCH @match AND ${FILTERS}`;

const filterParams = (query: LibraryQuery, now = new Date()) => ({
  archived: query.archived === 'include' ? 2 : query.archived ? 1 : 0,
  category: query.category,
  tag: query.tag,
  owner: query.owner,
  income: query.income,
  // Due: from now to the end of the month; overdue: any time up to now.
  reviewFrom: query.review === 'due' ? now.toISOString() : '',
  reviewBefore: query.review === 'due' ? endOfMonth(now) : query.review === 'overdue' ? now.toISOString() : null,
  unusedSince: query.unused ? unusedSince(now) : null,
});

/** The FTS5 query for a search, or null when there is nothing to search for (a plain list). */
const matchOf = (query: LibraryQuery) => (query.q === null ? null : ftsQuery(query.q));

/** Which list a query reads: by title, or ranked by a search. */
export const libraryList = (query: LibraryQuery) => (matchOf(query) === null ? LIBRARY_LIST : SEARCH_LIST);

/** The sort key of a row in its list (see libraryList). */
export const libraryKey = (row: LibraryRow) => (row.score === undefined ? [row.title, row.slug] : [row.title_hit ?? 0, row.score, row.id]);

function failSafe<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    // ftsQuery leaves nothing for FTS5 to reject; should that ever fail, say so rather than 500.
    if (error instanceof Error && /fts5/i.test(error.message)) {
      throw new BadRequestError('The search could not be understood: try plain words', 'q', 'invalid-search');
    }
    throw error;
  }
}

/**
 * The library's runbooks: by title, or with a search, best match first. Up to `page.limit + 1`
 * rows after `page.after` (a key of the list libraryList names).
 */
export function searchLibrary(
  db: Db,
  query: LibraryQuery,
  page: PageRequest = { limit: MAX_LIMIT, after: null },
  snippets = true,
): LibraryRow[] {
  const params = { ...filterParams(query), limit: page.limit + 1 };
  const match = matchOf(query);
  if (match === null) {
    const [afterTitle, afterSlug] = (page.after ?? ['', '']) as [string, string];
    return sql(db, LIST).all({ ...params, afterTitle, afterSlug }) as LibraryRow[];
  }
  const [afterHit, afterScore, afterId] = (page.after ?? [1, -Number.MAX_VALUE, 0]) as [number, number, number];
  const withVersion = Boolean(query.category || query.tag || query.owner || query.income || query.review || query.unused);
  const titleMatch = `{title} : (${match})`;
  return failSafe(() => {
    const rank = (phase: string, after: [number, number], limit: number) =>
      sql(db, rankPhase(withVersion)).all({ ...params, limit, phase, afterScore: after[0], afterId: after[1] }) as { id: number; score: number }[];
    // Title matches first (unless the cursor is past them), then the rest, until the page is full.
    const ranked: { id: number; score: number; title_hit: number }[] = [];
    if (afterHit === 1) {
      ranked.push(...rank(titleMatch, [afterScore, afterId], page.limit + 1).map((r) => ({ ...r, title_hit: 1 })));
    }
    if (ranked.length <= page.limit) {
      const after: [number, number] = afterHit === 0 ? [afterScore, afterId] : [-Number.MAX_VALUE, 0];
      const rest = rank(`(${match}) NOT (${titleMatch})`, after, page.limit + 1 - ranked.length);
      ranked.push(...rest.map((r) => ({ ...r, title_hit: 0 })));
    }
    const columns = new Map(
      (sql(db, PAGE_ROWS).all({ ids: JSON.stringify(ranked.map((r) => r.id)) }) as LibraryRow[]).map((row) => [row.id, row]),
    );
    const rows = ranked.map((r) => ({ ...(columns.get(r.id) as LibraryRow), title_hit: r.title_hit, score: r.score }));
    if (!snippets) return rows;
    const marks = new Map(
      (
        sql(db, SNIPPETS).all({ match, ids: JSON.stringify(rows.map((r) => r.id)) }) as Pick<
          LibraryRow,
          'id' | 'title_marked' | 'intro_snippet' | 'steps_snippet'
        >[]
      ).map((m) => [m.id, m]),
    );
    return rows.map((row) => ({ ...row, ...marks.get(row.id), id: row.id }));
  });
}

/** How many runbooks the query finds, counted up to COUNT_CAP. */
export function countLibrary(db: Db, query: LibraryQuery): number {
  const match = matchOf(query);
  if (match === null) return countUpTo(db, COUNT_LIST, filterParams(query));
  return failSafe(() => countUpTo(db, COUNT_SEARCH, { ...filterParams(query), match }));
}

/**
 * Runbooks chosen by name where a list is filtered by runbook (the runs page): the one whose
 * slug is the text, else those whose title has all its words, best match first. At most `limit`.
 */
export function findRunbooksByName(db: Db, text: string, limit = 8): { slug: string; title: string }[] {
  const exact = sql(db, 'SELECT r.slug, v.title FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE r.slug = ?').get(
    text,
  ) as { slug: string; title: string } | undefined;
  if (exact) return [exact];
  const match = ftsQuery(text);
  if (match === null) return [];
  return sql(
    db,
    `SELECT r.slug, v.title FROM runbook_search s JOIN runbooks r ON r.id = s.rowid JOIN runbook_versions v ON v.id = r.current_version_id
      WHERE runbook_search MATCH @match ORDER BY s.rank LIMIT @limit`,
  ).all({ match: `{title} : (${match})`, limit }) as { slug: string; title: string }[];
}
