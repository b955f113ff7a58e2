import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { AppError, NotFoundError, UnprocessableError } from '../http/errors';
import { validate, withoutBlanks } from '../http/validate';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { parseRunbook } from './format/parse';
import { writeRunbook } from './format/write';
import { presentRunbook, presentRunbookSummary } from './present';
import { ftsQuery, libraryKey, libraryList, searchLibrary } from './search';
import { INCOMES } from './format/model';
import { importDirectory } from './import';
import {
  findRunbook,
  findVersion,
  findVersionByNumber,
  listVersions,
  listVersionSteps,
  saveVersion,
  setArchived,
  SLUG,
  slugProblem,
  toRunbook,
  type RunbookRow,
  type VersionRow,
} from './repo';
import { markReviewed, presentReview } from './reviews';

export const listQuery = z.object({
  category: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  owner: z.string().trim().min(1).max(200).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  income: z.enum(INCOMES).optional(),
  archived: z.enum(['exclude', 'include', 'only']).optional(),
  review: z.enum(['due', 'overdue', 'unused']).optional(),
});
export const reviewBody = z.object({ note: z.string().trim().max(2000, 'must be at most 2000 characters').optional() }).strict();
export const archiveBody = z.object({ archived: z.boolean().default(true) });

export const MARKDOWN_LIMIT = '512kb';

/** Runbooks are for the team; to anyone else a runbook's address shows nothing, not even that it exists. */
function readable(req: Request, slug: string) {
  authorize(requireActor(req), { action: 'runbook.read' }, `Runbook "${slug}"`);
}

function loadCurrent(db: Db, slug: string) {
  const runbook = SLUG.test(slug) ? findRunbook(db, slug) : undefined;
  const version = runbook && findVersion(db, runbook.current_version_id);
  if (!runbook || !version) throw new NotFoundError(`Runbook "${slug}"`);
  return { runbook, version };
}

/** `force`: replace runbooks changed in the app since their last import too (see import-guard.ts). */
const importBody = z.object({ force: z.boolean().optional() });

export function runbookRoutes({ db, runbooksDir, paging }: { db: Db; runbooksDir: string; paging: Paging }): Router {
  const router = Router();

  router.get('/runbooks', (req, res) => {
    authorize(requireActor(req), { action: 'runbook.read' });
    const filters = validate(listQuery, withoutBlanks(req.query), 'query');
    if (filters.q !== undefined && ftsQuery(filters.q) === null) {
      throw new AppError(400, 'invalid-search', 'q: has no letters or digits to search for', 'q');
    }
    // By title, or with q ranked by the search: title matches first, then the best matches.
    const query = {
      q: filters.q ?? null,
      category: filters.category ?? null,
      tag: filters.tag ?? null,
      owner: filters.owner ?? null,
      income: filters.income ?? null,
      archived: filters.archived === 'include' ? ('include' as const) : filters.archived === 'only',
      review: filters.review === 'unused' ? null : (filters.review ?? null),
      unused: filters.review === 'unused',
    };
    const list = libraryList(query);
    const request = paging.read(req.query, list, filters);
    // The API answers no snippets: they cost more than the ranking.
    const rows = searchLibrary(db, query, request, false);
    const { items, next } = paging.page(rows, request, { ...list, keyOf: libraryKey }, { path: '/api/runbooks', filters });
    paging.linkHeader(res, next);
    res.json({ runbooks: items.map(presentRunbookSummary), next });
  });

  router.get('/runbooks/:slug', (req, res) => {
    readable(req, req.params.slug);
    const { runbook, version } = loadCurrent(db, req.params.slug);
    res.json(presentRunbook(db, runbook, version.id));
  });

  router.get('/runbooks/:slug/export', (req, res) => {
    readable(req, req.params.slug);
    const { runbook, version } = loadCurrent(db, req.params.slug);
    res.type('text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${runbook.slug}.md"`);
    res.send(writeRunbook(toRunbook(version, listVersionSteps(db, version.id))));
  });

  router.get('/runbooks/:slug/versions', (req, res) => {
    readable(req, req.params.slug);
    const { runbook } = loadCurrent(db, req.params.slug);
    res.json({
      slug: runbook.slug,
      versions: listVersions(db, runbook.id).map((v) => ({
        number: v.number,
        title: v.title,
        origin: v.origin,
        createdAt: v.created_at,
        stepCount: v.step_count,
        createdBy: v.created_by === null ? null : { id: v.created_by, name: v.created_by_name },
      })),
    });
  });

  router.get('/runbooks/:slug/versions/:number', (req, res) => {
    readable(req, req.params.slug);
    const { runbook } = loadCurrent(db, req.params.slug);
    const number = /^[1-9]\d{0,8}$/.test(req.params.number) ? Number(req.params.number) : 0;
    const version = findVersionByNumber(db, runbook.id, number);
    if (!version) throw new NotFoundError(`Version ${req.params.number} of "${runbook.slug}"`);
    res.json({ ...presentRunbook(db, runbook, version.id), source: version.source });
  });

  router.put('/runbooks/:slug', express.text({ type: () => true, limit: MARKDOWN_LIMIT }), (req, res) => {
    authorize(requireActor(req), { action: 'runbook.write' });
    const slug = req.params.slug as string;
    const problem = slugProblem(slug);
    if (problem) throw new AppError(400, 'invalid-slug', problem, 'slug');
    const type = req.headers['content-type'] ?? '';
    if (!/^text\/(markdown|plain|x-markdown)\b/i.test(type)) {
      throw new AppError(415, 'unsupported-media-type', 'Send the runbook as Markdown with Content-Type: text/markdown', 'content-type');
    }
    // The version names its author: someone who exists (else a foreign-key 500) and is active.
    const createdBy = requireActor(req).id;
    const source = typeof req.body === 'string' ? req.body : '';
    const parsed = parseRunbook(source);
    if (!parsed.ok) {
      const [first] = parsed.problems;
      throw new UnprocessableError('invalid-runbook', `${slug}.md:${first?.line}: ${first?.message}`, `${slug}.md:${first?.line}`, {
        problems: parsed.problems,
      });
    }
    const { outcome } = saveVersion(db, slug, source, parsed.runbook, { origin: 'api', createdBy });
    const { runbook, version } = loadCurrent(db, slug);
    res.status(outcome === 'created' ? 201 : 200).json({
      outcome,
      ...presentRunbook(db, runbook, version.id),
    });
  });

  router.post('/runbooks/:slug/archive', (req, res) => {
    readable(req, req.params.slug);
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    const { runbook } = loadCurrent(db, req.params.slug);
    const { archived } = validate(archiveBody, req.body ?? { archived: true });
    setArchived(db, runbook.id, archived, actor.id);
    res.json({ slug: runbook.slug, archived });
  });

  router.post('/runbooks/:slug/reviews', (req, res) => {
    readable(req, req.params.slug);
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    const { runbook } = loadCurrent(db, req.params.slug);
    const { note } = validate(reviewBody, req.body ?? {});
    const review = markReviewed(db, runbook, { actorId: actor.id, address: req.ip ?? null }, note || null);
    const after = findRunbook(db, runbook.slug) as RunbookRow;
    const version = findVersion(db, after.current_version_id) as VersionRow;
    res.status(201).json({
      slug: after.slug,
      review: presentReview(version.review, after),
      reviewed: { at: review.reviewed_at, by: { id: actor.id, name: review.reviewer_name }, note: review.note, version: review.version },
    });
  });

  router.post('/import', (req, res) => {
    authorize(requireActor(req), { action: 'runbook.write' });
    const { force } = validate(importBody, req.body ?? {});
    res.json(importDirectory(db, runbooksDir, { force: force ?? false }));
  });

  return router;
}
