import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { NotFoundError } from '../http/errors';
import { requireActor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { INCOMES, type Income } from './format/model';
import { findVersion, findVersionByNumber, listVersions, setArchived } from './repo';
import { readableBy } from './access';
import { lineDiff } from './diff';
import { editorPages } from './editor-pages';
import { formEditorPages } from './form/pages';
import { INCOME_OPTIONS, presentLibraryRow, runbookPage } from './page-model';
import { loadRunbook } from './slugs';
import { countLibrary, ftsQuery, libraryKey, libraryList, searchLibrary, type LibraryQuery } from './search';
import { libraryOptions } from './library-options';

const LIBRARY_PAGE = 20;
import type { Paging } from '../http/paging';
import { formPage, readForm } from '../http/forms';
import { keepRunbook, markReviewed } from './reviews';

const reviewForm = z.object({ note: z.string().trim().max(2000, 'Keep the note under 2,000 characters').default('') });

/** One query-string value as bounded text: a repeated key takes its first value; blank is none. */
function text(value: unknown, max: number): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return null;
  const trimmed = first.trim().slice(0, max).trim();
  return trimmed === '' ? null : trimmed;
}

/** The library's query string, read leniently: a search or filter is never an error. */
function libraryQuery(query: Request['query']): LibraryQuery {
  const income = text(query.income, 20);
  const review = text(query.review, 20);
  return {
    q: text(query.q, 200),
    category: text(query.category, 100),
    tag: text(query.tag, 100),
    owner: text(query.owner, 200),
    income: INCOMES.includes(income as Income) ? (income as Income) : null,
    archived: text(query.status, 20) === 'archived',
    review: review === 'due' || review === 'overdue' ? review : null,
    unused: review === 'unused',
  };
}

/** The library's "Needs attention" choices (?review=). */
const ATTENTION = [
  { value: 'due', label: 'Review due this month' },
  { value: 'overdue', label: 'Overdue for review' },
  { value: 'unused', label: 'Not run in 180 days' },
];

/** Notices after a redirect, by a fixed key: nothing from the address is shown as it came. */
const NOTICES: Record<string, (version: number) => string> = {
  created: () => 'Runbook created.',
  imported: () => 'Imported. Check its steps and owners here; Edit changes anything else.',
  saved: (n) => `Saved as version ${n}. A new version counts as a review.`,
  reviewed: () => 'Marked reviewed.',
  kept: () => 'Kept: it will not be listed as unused for another 180 days.',
  unchanged: (n) => `Nothing to save: the text is the same as version ${n}, so no version was added.`,
  archived: () => 'Archived: it has left the library. Its page, history and runs stay.',
  restored: () => 'Restored: it is back in the library.',
  'file-imported': (n) => `Replaced with its file: version ${n}. The version made in the app stays in its history.`,
  'file-unchanged': (n) => `The file holds the same text as version ${n}: nothing changed.`,
};

export function libraryPages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();

  router.get('/runbooks', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.read' });
    const query = libraryQuery(req.query);
    // The cursor belongs to these filters and this list (by title, or ranked by the search).
    const filters = {
      q: query.q,
      category: query.category,
      tag: query.tag,
      owner: query.owner,
      income: query.income,
      status: query.archived ? 'archived' : null,
      review: query.unused ? 'unused' : (query.review ?? null),
    };
    const list = libraryList(query);
    // 20 runbooks at a time: each is a card (with snippets, for a search), long on a phone.
    const request = paging.read(req.query, list, filters, LIBRARY_PAGE);
    const page = paging.page(searchLibrary(db, query, request), request, { ...list, keyOf: libraryKey }, { path: '/runbooks', filters });
    const now = new Date();
    const results = page.items.map((row) => presentLibraryRow(row, now));
    const searched = query.q !== null && ftsQuery(query.q) !== null;
    const filtered = Boolean(query.category || query.tag || query.owner || query.income || query.review || query.unused);
    views.render(res, 'runbooks/index', {
      title: query.q ? `“${query.q}” in the library` : 'Library',
      query,
      searched,
      filtered,
      narrowed: searched || filtered,
      ignoredQuery: query.q !== null && !searched,
      showClear: query.q !== null || filtered || query.archived,
      results,
      total: countLibrary(db, query),
      next: page.next,
      start: request.after === null ? null : page.first,
      options: libraryOptions(db, query.archived === true),
      incomes: INCOME_OPTIONS,
      attention: ATTENTION.map((a) => ({ ...a, selected: a.value === (query.unused ? 'unused' : query.review) })),
      canWrite: can(actor, { action: 'runbook.write' }),
    });
  });

  // Before /runbooks/:slug, so that /runbooks/new is the form.
  router.use(editorPages({ db, views }));
  router.use(formEditorPages({ db, views }));

  router.get('/runbooks/:slug', (req, res) => {
    const actor = readableBy(req, req.params.slug);
    const row = loadRunbook(db, req.params.slug);
    const data = runbookPage(db, actor, row);
    const done = text(req.query.done, 20);
    const notice = done && Object.hasOwn(NOTICES, done) ? NOTICES[done]?.(data.runbook.version) : undefined;
    views.render(res, 'runbooks/runbook', { ...data, ...(notice ? { notice } : {}) });
  });

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    router.post(`/runbooks/:slug/${action}`, (req, res) => {
      const actor = readableBy(req, req.params.slug);
      authorize(actor, { action: 'runbook.write' });
      const row = loadRunbook(db, req.params.slug);
      setArchived(db, row.id, archived, actor.id);
      res.redirect(303, `/runbooks/${row.slug}?done=${archived ? 'archived' : 'restored'}`);
    });
  }

  router.post('/runbooks/:slug/reviews', (req, res) => {
    const actor = readableBy(req, req.params.slug);
    authorize(actor, { action: 'runbook.write' });
    const row = loadRunbook(db, req.params.slug);
    formPage(res, 'runbooks/runbook', () => runbookPage(db, actor, row));
    const { note } = readForm(reviewForm, req.body);
    markReviewed(db, row, { actorId: actor.id, address: req.ip ?? null }, note || null);
    res.redirect(303, `/runbooks/${row.slug}?done=reviewed#lib-reviews-h`);
  });

  router.post('/runbooks/:slug/keep', (req, res) => {
    const actor = readableBy(req, req.params.slug);
    authorize(actor, { action: 'runbook.write' });
    const row = loadRunbook(db, req.params.slug);
    keepRunbook(db, row, { actorId: actor.id, address: req.ip ?? null });
    res.redirect(303, `/runbooks/${row.slug}?done=kept`);
  });

  router.get('/runbooks/:slug/diff', (req, res) => {
    readableBy(req, req.params.slug);
    const row = loadRunbook(db, req.params.slug);
    const current = findVersion(db, row.current_version_id);
    if (!current) throw new NotFoundError(`Runbook "${row.slug}"`);
    const number = (value: unknown, fallback: number) => {
      const given = text(value, 12);
      if (given === null) return fallback;
      return /^[1-9]\d{0,8}$/.test(given) ? Number(given) : 0;
    };
    const toNumber = number(req.query.to, current.number);
    const fromNumber = number(req.query.from, Math.max(1, toNumber - 1));
    const from = findVersionByNumber(db, row.id, fromNumber);
    const to = findVersionByNumber(db, row.id, toNumber);
    if (!from) throw new NotFoundError(`Version ${text(req.query.from, 12)} of "${row.slug}"`);
    if (!to) throw new NotFoundError(`Version ${text(req.query.to, 12)} of "${row.slug}"`);
    const diff = from.number === to.number ? null : lineDiff(from.source, to.source);
    views.render(res, 'runbooks/diff', {
      title: `Changes to ${current.title}`,
      slug: row.slug,
      runbookTitle: current.title,
      from: { number: from.number, createdAt: from.created_at, title: from.title },
      to: { number: to.number, createdAt: to.created_at, title: to.title },
      same: from.number === to.number,
      identical: from.number !== to.number && diff !== null && diff.added + diff.removed === 0,
      diff,
      versions: listVersions(db, row.id).map((v) => v.number),
      // Restoring an earlier version opens the editor with its text, to save as a new version.
      restore:
        can(requireActor(req), { action: 'runbook.write' }) && from.number !== current.number && row.archived_at === null
          ? { number: from.number, source: from.source, base: current.number }
          : null,
    });
  });

  return router;
}
