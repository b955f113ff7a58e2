import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/open';
import { formPage } from '../http/forms';
import type { Views } from '../views/engine';
import { AppError, NotFoundError, UnprocessableError } from '../http/errors';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import type { ParseProblem } from './format/model';
import { parseRunbook } from './format/parse';
import { findVersion, SLUG_MAX, type SaveOutcome, type VersionRow } from './repo';
import { createEditedRunbook, saveEditedRunbook } from './edit';
import { readableBy } from './access';
import { presentPreview } from './page-model';
import { partialPreview } from './partial-preview';
import { loadRunbook, slugFromTitle, slugProblem } from './slugs';

/** What a new runbook's text area starts with: a small runbook that already parses. */
export const NEW_RUNBOOK = `---
title: New runbook
category:
tags: []
---

What this runbook is for, when to use it, and anything to watch out for.

## First step
Estimate: 10m
Due: same day

What to do, in plain words.

- [ ] Something to check before moving on
`;

interface EditorForm {
  source: string;
  action: 'preview' | 'save';
  slug: string;
  /** The version the text was loaded from, to notice someone else's save in between. */
  base: number | null;
}

function editorForm(body: unknown): EditorForm {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const field = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const base = field('base');
  return {
    // Browsers send text areas with CRLF line ends; the store keeps LF like the files.
    source: field('source').replace(/\r\n?/g, '\n'),
    action: field('intent') === 'preview' ? 'preview' : 'save',
    slug: field('slug')
      .trim()
      .slice(0, SLUG_MAX + 50),
    base: /^[1-9]\d{0,8}$/.test(base) ? Number(base) : null,
  };
}

/** The parser's problems, beside the text: the first as the field's error, all in a list. */
function invalidRunbook(res: Response, problems: ParseProblem[], saving: boolean, preview: unknown): never {
  Object.assign(res.locals.formData as Record<string, unknown>, { problems, saving, preview });
  const [first] = problems;
  throw new UnprocessableError('invalid-runbook', `line ${first?.line}: ${first?.message}`, 'source', { problems });
}

/**
 * The editor: Markdown in a text area, a preview rendered by the one renderer, and saving as a
 * new version. Every step is a plain form post; a mistake keeps the text typed and stores nothing.
 */
export function editorPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  const writer = (req: Request) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    return actor;
  };

  const existing = (row: { slug: string }, current: VersionRow) => ({
    mode: 'edit',
    title: `Edit ${current.title}`,
    slug: row.slug,
    runbookTitle: current.title,
    action: `/runbooks/${row.slug}/edit`,
    base: current.number,
  });

  router.get('/runbooks/new', (req, res) => {
    writer(req);
    views.render(res, 'runbooks/editor', {
      mode: 'new',
      title: 'New runbook',
      action: '/runbooks/new',
      values: { source: NEW_RUNBOOK, slug: '' },
    });
  });

  router.post('/runbooks/new', (req, res) => {
    const actor = writer(req);
    const form = editorForm(req.body);
    // Cheap to build, and the parser's problems are added to it: given as it is, not lazily.
    formPage(res, 'runbooks/editor', { mode: 'new', title: 'New runbook', action: '/runbooks/new' });
    const parsed = parseRunbook(form.source);
    const slug = form.slug || (parsed.ok ? slugFromTitle(parsed.runbook.title) : '');
    const problem = form.slug !== '' || form.action === 'save' ? slugProblem(db, slug) : null;
    if (problem) {
      if (!parsed.ok) {
        const preview = partialPreview(db, form.source, parsed.problems);
        Object.assign(res.locals.formData, { problems: parsed.problems, saving: form.action === 'save', preview });
      }
      throw new AppError(422, 'invalid-slug', problem, 'slug');
    }
    if (!parsed.ok) invalidRunbook(res, parsed.problems, form.action === 'save', partialPreview(db, form.source, parsed.problems));
    if (form.action === 'preview') {
      views.render(res, 'runbooks/editor', { ...res.locals.formData, values: form, preview: presentPreview(db, parsed.runbook) });
      return;
    }
    createEditedRunbook(db, { slug, source: form.source, runbook: parsed.runbook, actorId: actor.id });
    res.redirect(303, `/runbooks/${slug}?done=created`);
  });

  router.get('/runbooks/:slug/edit', (req, res) => {
    readableBy(req, req.params.slug);
    writer(req);
    const row = loadRunbook(db, req.params.slug);
    const current = findVersion(db, row.current_version_id);
    if (!current) throw new NotFoundError(`Runbook "${row.slug}"`);
    views.render(res, 'runbooks/editor', { ...existing(row, current), values: { source: current.source } });
  });

  router.post('/runbooks/:slug/edit', (req, res) => {
    readableBy(req, req.params.slug);
    const actor = writer(req);
    const row = loadRunbook(db, req.params.slug);
    const current = findVersion(db, row.current_version_id);
    if (!current) throw new NotFoundError(`Runbook "${row.slug}"`);
    const form = editorForm(req.body);
    const data: Record<string, unknown> = { ...existing(row, current), base: form.base ?? current.number };
    formPage(res, 'runbooks/editor', data);
    const parsed = parseRunbook(form.source);
    if (!parsed.ok) invalidRunbook(res, parsed.problems, form.action === 'save', partialPreview(db, form.source, parsed.problems));
    if (form.action === 'preview') {
      views.render(res, 'runbooks/editor', { ...data, values: form, preview: presentPreview(db, parsed.runbook) });
      return;
    }
    let outcome: SaveOutcome;
    try {
      ({ outcome } = saveEditedRunbook(db, row, { source: form.source, runbook: parsed.runbook, base: form.base, actorId: actor.id }));
    } catch (error) {
      // Saving again replaces their version with this text, knowingly: the form now names it.
      if (error instanceof AppError && error.code === 'edit-conflict') {
        data.base = error.details?.to;
        data.conflict = error.details;
      }
      throw error;
    }
    res.redirect(303, `/runbooks/${row.slug}?done=${outcome === 'unchanged' ? 'unchanged' : 'saved'}`);
  });

  return router;
}
