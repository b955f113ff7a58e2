import { Router, type Request, type Response } from 'express';
import type { Db } from '../../db/open';
import type { Views } from '../../views/engine';
import { formPage } from '../../http/forms';
import { AppError, NotFoundError, UnprocessableError } from '../../http/errors';
import { requireActor } from '../../access/actor';
import { authorize } from '../../access/policy';
import { listRolesAfter } from '../../people/roles-repo';
import { parseRunbook } from '../format/parse';
import { findVersion, SLUG_MAX, type RunbookRow } from '../repo';
import { readableBy } from '../access';
import { loadRunbook, slugFromTitle, slugProblem } from '../slugs';
import { createEditedRunbook, saveEditedRunbook } from '../edit';
import { NEW_RUNBOOK } from '../editor-pages';
import type { Runbook } from '../format/model';
import { formToMarkdown, runbookToForm, type RunbookForm } from './model';
import { applyAction, FORM_STEPS_MAX, readPostedForm } from './read';
import { formProblems, presentForm } from './present';
import { scheduleProblem } from './schedule';

const VIEW = 'runbooks/form-editor';
/** Enough roles for any small team's list to choose from; a new name can always be typed. */
const ROLES_SHOWN = 300;

/** What must be there before the form is written as text: said in the form's own words. */
function formGaps(form: RunbookForm): { errors: Record<string, string>; list: { href: string; text: string }[] } {
  const errors: Record<string, string> = {};
  const list: { href: string; text: string }[] = [];
  const add = (field: string, text: string, where?: string) => {
    errors[field] = text;
    list.push({ href: `#f-${field}`, text: where ? `${where}: ${text}` : text });
  };
  if (form.title.trim() === '') add('title', 'Give the runbook a title.');
  const schedule = scheduleProblem(form.schedule);
  if (schedule) add(schedule.field, schedule.message, 'Schedule');
  if (form.steps.length === 0) add('add', 'Add at least one step.');
  form.steps.forEach((step, i) => {
    if (step.title.trim() === '') add(`s${i}-title`, 'Give the step a name.', `Step ${i + 1}`);
    else if (step.title.includes('\n')) add(`s${i}-title`, 'Keep the name on one line.', `Step ${i + 1}`);
  });
  // A line that would start a step of its own inside the text: the form would silently gain one.
  const heading = /^ {0,3}##(\s|$)/m;
  if (heading.test(form.intro)) add('intro', 'A line starts with “##”, which would begin a step: remove the ## or use Add a step.', 'Introduction');
  form.steps.forEach((step, i) => {
    if (heading.test(step.instructions)) {
      add(`s${i}-instructions`, 'A line starts with “##”, which would begin a new step: remove the ## or use Add a step.', `Step ${i + 1}`);
    }
  });
  return { errors, list };
}

/**
 * The structured editor: a runbook as plain form fields, steps added, removed and moved by
 * buttons that are ordinary form posts. Saving writes the form as the format's text and saves it
 * exactly as the Markdown editor does: the same parser, the same version check, the same use case.
 */
export function formEditorPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  const writer = (req: Request) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    return actor;
  };
  const roles = () => listRolesAfter(db, '', ROLES_SHOWN).map((role) => role.name);

  const editing = (row: RunbookRow) => {
    const current = findVersion(db, row.current_version_id);
    if (!current) throw new NotFoundError(`Runbook "${row.slug}"`);
    return {
      current,
      page: {
        mode: 'edit',
        title: `Edit ${current.title} step by step`,
        slug: row.slug,
        runbookTitle: current.title,
        action: `/runbooks/${row.slug}/edit/steps`,
        textEditor: `/runbooks/${row.slug}/edit`,
        base: current.number,
      },
    };
  };
  const creating = {
    mode: 'new',
    title: 'New runbook',
    action: '/runbooks/new/steps',
    textEditor: '/runbooks/new',
  };

  const show = (res: Response, page: Record<string, unknown>, form: RunbookForm, extra: { focus?: string | null; preview?: number | null } = {}) => {
    views.render(res, VIEW, {
      ...page,
      ...presentForm(form, { roles: roles(), errors: {}, focus: extra.focus ?? null, preview: extra.preview ?? null }),
    });
  };

  /** Handles one post: a button that changes the form shows it again; Save writes and saves it. */
  const post = (req: Request, res: Response, page: Record<string, unknown>, save: (source: string, runbook: Runbook, form: RunbookForm, slug: string) => string) => {
    const posted = readPostedForm(req.body);
    const { form, action } = posted;
    const focus = applyAction(form, action);
    const slug = posted.slug;
    const shown = { ...page, slugValue: slug, ...(page.mode === 'edit' ? { base: posted.base ?? page.base } : {}) };
    // Any refusal below shows the form again with everything typed, its problems beside their fields.
    let problems: { errors: Record<string, string>; list: { href: string; text: string }[] } = { errors: {}, list: [] };
    formPage(res, VIEW, () => ({
      ...shown,
      ...presentForm(form, { roles: roles(), errors: problems.errors, focus: null, preview: null }),
      problems: problems.list,
    }));
    if (action.kind === 'add' && focus === null) {
      problems = { errors: { add: `A runbook edited here has at most ${FORM_STEPS_MAX} steps; longer ones are edited as text.` }, list: [] };
      throw new UnprocessableError('invalid-runbook', problems.errors.add as string, 'form');
    }
    if (action.kind !== 'save') {
      show(res, shown, form, { focus, preview: action.kind === 'preview' ? action.step : null });
      return;
    }
    problems = formGaps(form);
    if (problems.list.length === 0) {
      const { source, map } = formToMarkdown(form);
      const parsed = parseRunbook(source);
      if (parsed.ok) {
        res.redirect(303, save(source, parsed.runbook, form, slug));
        return;
      }
      problems = formProblems(parsed.problems, source, map, form);
    }
    throw new UnprocessableError('invalid-runbook', `${problems.list.length === 1 ? 'One thing' : `${problems.list.length} things`} to put right before saving.`, 'form');
  };

  router.get('/runbooks/new/steps', (req, res) => {
    writer(req);
    const parsed = parseRunbook(NEW_RUNBOOK);
    if (!parsed.ok) throw new Error('the new runbook template does not parse');
    show(res, { ...creating, slugValue: '' }, runbookToForm(parsed.runbook));
  });

  router.post('/runbooks/new/steps', (req, res) => {
    const actor = writer(req);
    post(req, res, creating, (source, runbook, form, typed) => {
      const slug = typed.slice(0, SLUG_MAX + 50) || slugFromTitle(form.title);
      const problem = slugProblem(db, slug);
      if (problem) throw new AppError(422, 'invalid-slug', problem, 'slug');
      createEditedRunbook(db, { slug, source, runbook, actorId: actor.id });
      return `/runbooks/${slug}?done=created`;
    });
  });

  router.get('/runbooks/:slug/edit/steps', (req, res) => {
    readableBy(req, req.params.slug);
    writer(req);
    const row = loadRunbook(db, req.params.slug);
    const { current, page } = editing(row);
    const parsed = parseRunbook(current.source);
    // Every stored version parsed when it was saved; a parser grown stricter since sends it to the text editor.
    if (!parsed.ok) {
      res.redirect(303, `/runbooks/${row.slug}/edit`);
      return;
    }
    show(res, page, runbookToForm(parsed.runbook));
  });

  router.post('/runbooks/:slug/edit/steps', (req, res) => {
    readableBy(req, req.params.slug);
    const actor = writer(req);
    const row = loadRunbook(db, req.params.slug);
    const { page } = editing(row);
    post(req, res, page, (source, runbook) => {
      const base = readPostedForm(req.body).base;
      try {
        const { outcome } = saveEditedRunbook(db, row, { source, runbook, base, actorId: actor.id });
        return `/runbooks/${row.slug}?done=${outcome === 'unchanged' ? 'unchanged' : 'saved'}`;
      } catch (error) {
        // Saving again replaces their version with this form, knowingly: the page now names it.
        if (error instanceof AppError && error.code === 'edit-conflict') {
          const data = res.locals.formData as () => Record<string, unknown>;
          res.locals.formData = () => ({ ...data(), base: error.details?.to, conflict: error.details });
          throw new AppError(409, 'edit-conflict', error.message, 'form', error.details);
        }
        throw error;
      }
    });
  });

  return router;
}
