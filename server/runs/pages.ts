import { gzipSync } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { beside, formPage } from '../http/forms';
import { sql } from '../db/statements';
import type { Views } from '../views/engine';
import { AppError, NotFoundError, forPeople } from '../http/errors';
import { idParam, validate } from '../http/validate';
import type { Paging } from '../http/paging';
import { requireActor, type Actor } from '../access/actor';
import { addNote, completeStep, reassignStep, reopenStep, skipStep, type StepActor } from './actions';
import { fillField } from './fill-field';
import { setCheck } from './ticks';
import { approveStep, rejectStep } from './approvals';
import { cachedForRun, pageBytes } from './cache';
import { liftWaiting, setWaiting } from './waiting';
import { activityLines, pageVariant, runPageModel, type RunDoc, type RunEvent } from './page-model';
import { runJson } from './read';
import { approvableSteps } from './repo';
import { EVENT_LIST, listEvents, listHandOffs, runVisible } from './events';
import { runListPage } from './list-page';
import { startRun } from './start';
import { readableBy } from '../runbooks/access';
import { loadRunbook } from '../runbooks/slugs';
import { runbookPage, runFieldDefs } from '../runbooks/page-model';
import { authorize, runViewer } from '../access/policy';

// Without a name the run is named by the runbook's run-title, or its title and the date.
const startForm = z.object({ title: z.string().trim().max(200, 'keep the name under 200 characters').optional() });
const fieldForm = z.object({ name: z.string().max(100), value: z.string().max(20_000, 'that is too long for a field').default('') });
const rejectForm = z.object({ reason: z.string().trim().min(1, 'say why it goes back').max(2000) });
const noteForm = z.object({ note: z.string().trim().max(5000).optional() });
const noteRequired = z.object({ note: z.string().trim().min(1, 'write the note first').max(5000) });
const waitingForm = z.object({ reason: z.string().trim().min(1, 'say what the step is waiting for').max(500) });
const reassignForm = z.object({
  to: z.coerce.number({ error: 'choose who takes it' }).int().positive('choose who takes it'),
  reason: z.string().trim().min(1, 'say why the step changes hands').max(2000),
});

/** A fetch from runs.js asks for the page's main part only, to swap in without a reload. */
const fromScript = (req: Request) => req.get('x-requested-with') === 'fetch';

export function runPages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();

  /** Who a step may go to, each with the last day of an absence they are in today (the list marks and disables them). */
  const activePeople = (today: string) =>
    sql(
      db,
      `SELECT id, name,
              (SELECT max(a.ends_on) FROM away_periods a WHERE a.person_id = people.id AND a.starts_on <= @today AND a.ends_on >= @today) AS awayUntil
         FROM people WHERE active = 1 ORDER BY name COLLATE NOCASE`,
    ).all({ today }) as { id: number; name: string; awayUntil: string | null }[];

  /** The run page's main part for this viewer, with their CSRF token in its forms. */
  const mainPart = (runId: number, actor: Actor, csrfToken: string, refusal: { position: number; text: string } | null = null) => {
    const now = new Date().toISOString();
    const viewer = runViewer(actor);
    const json = runJson(db, runId, viewer, now);
    if (json === undefined) throw new NotFoundError(`Run ${runId}`);
    const run = JSON.parse(json) as RunDoc;
    const model = runPageModel(
      run,
      actor,
      activePeople(now.slice(0, 10)),
      listHandOffs(db, runId, viewer),
      approvableSteps(db, runId, actor.id),
      refusal,
    );
    return { html: views.fragment('runs/show', { ...model, csrfToken }), title: run.title };
  };

  /**
   * After a form: the run as it now stands (for runs.js, the main part only), with any refusal
   * beside the step's buttons (on a phone, a notice at the top of the page is a screen away).
   */
  const sendRun = (
    req: Request,
    res: Response,
    runId: number,
    extra: { notice?: string; status?: number; refusal?: { position: number; text: string } } = {},
  ) => {
    const main = mainPart(runId, requireActor(req), req.session?.csrf_token ?? '', extra.refusal ?? null);
    const body = (extra.notice ? views.fragment('runs/notice', { notice: extra.notice }) : '') + main.html;
    const status = extra.status ?? 200;
    if (fromScript(req)) {
      res.status(status).type('html').send(body);
      return;
    }
    views.send(res, body, { title: main.title }, { status });
  };

  /**
   * The whole page, kept per browser session (its CSRF token and navigation are in it) until
   * the run changes, with a gzipped copy: a run page is large (every step's instructions and
   * forms) and read far more often than it changes.
   */
  router.get('/runs/:id', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id);
    if (runId === null) throw new NotFoundError(`Run ${req.params.id}`);
    const viewer = req.session ? `session:${req.session.id_hash}` : `${actor.via}:${actor.id}`;
    const page = cachedForRun(
      db,
      runId,
      `page:${pageVariant(actor)}:${viewer}`,
      new Date().toISOString(),
      () => {
        const main = mainPart(runId, actor, req.session?.csrf_token ?? '');
        const html = Buffer.from(views.wrap(res, main.html, { title: main.title }));
        return { html, gzip: gzipSync(html) };
      },
      pageBytes,
    );
    if (!page) throw new NotFoundError(`Run ${req.params.id}`);
    res.type('html').vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(page.gzip);
    } else {
      res.send(page.html);
    }
  });

  router.get('/runs', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runs.list' });
    const { status, data } = runListPage(db, paging, actor, req.query);
    views.render(res, 'runs/list', data, { status });
  });

  // The run's activity before what its page shows, newest first, a page at a time.
  router.get('/runs/:id/activity', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id);
    const viewer = runViewer(actor);
    if (runId === null || !runVisible(db, runId, viewer)) throw new NotFoundError(`Run ${req.params.id}`);
    const request = paging.read(req.query, EVENT_LIST);
    const rows = listEvents(db, runId, viewer, request);
    const { items, next } = paging.page(rows, request, { ...EVENT_LIST, keyOf: (e) => [e.id] }, { path: `/runs/${runId}/activity` });
    const run = sql(db, 'SELECT id, title FROM runs WHERE id = ?').get(runId) as { id: number; title: string };
    const titles = new Map(
      (
        sql(db, 'SELECT position, title FROM run_steps WHERE run_id = @id AND (@viewer IS NULL OR assignee_id = @viewer)').all({
          id: runId,
          viewer,
        }) as { position: number; title: string }[]
      ).map((s) => [s.position, s.title]),
    );
    const events = items.map((e) => JSON.parse(e.doc) as RunEvent);
    views.render(res, 'runs/activity', { title: `Activity of ${run.title}`, run, activity: activityLines(events, titles), next });
  });

  /**
   * Every step action as a form: on success back to the step (303, or the fresh main part
   * for runs.js); when refused (someone else was quicker, checks are open, …) the page as
   * it now stands with the reason on top, so nothing is overwritten and nothing is hidden.
   */
  const stepForm = (
    path: string,
    act: (req: Request, runId: number, position: number, by: (rule: StepActor['rule']) => StepActor) => void,
  ) => {
    router.post(`/runs/:id/steps/:position/${path}`, (req, res) => {
      const actor = requireActor(req);
      const runId = idParam(req.params.id as string);
      const position = idParam(req.params.position as string);
      if (runId === null || position === null) throw new NotFoundError(`Step ${req.params.position} of run ${req.params.id}`);
      try {
        act(req, runId, position, (rule) => ({ actor, rule }));
      } catch (error) {
        if (error instanceof AppError && error.status !== 404 && error.status < 500) {
          return sendRun(req, res, runId, { refusal: { position, text: forPeople(error.message) }, status: error.status });
        }
        throw error;
      }
      if (fromScript(req)) return sendRun(req, res, runId);
      res.redirect(303, `/runs/${runId}#step-${position}`);
    });
  };

  for (const verb of ['tick', 'untick'] as const) {
    stepForm(`checks/:index/${verb}`, (req, runId, position, by) => {
      const index = /^(0|[1-9]\d{0,5})$/.test(req.params.index as string) ? Number(req.params.index) : -1;
      setCheck(db, runId, position, index, by('step.work'), verb === 'tick');
    });
  }
  stepForm('complete', (req, runId, position, by) =>
    completeStep(db, runId, position, by('step.work'), validate(noteForm, req.body).note || null),
  );
  stepForm('skip', (req, runId, position, by) => skipStep(db, runId, position, by('step.work'), validate(noteForm, req.body).note || null));
  stepForm('reopen', (_req, runId, position, by) => reopenStep(db, runId, position, by('step.work'), null));
  stepForm('note', (req, runId, position, by) => addNote(db, runId, position, by('step.comment'), validate(noteRequired, req.body).note));
  stepForm('waiting', (req, runId, position, by) =>
    setWaiting(db, runId, position, by('step.work'), validate(waitingForm, req.body).reason),
  );
  stepForm('waiting/lift', (_req, runId, position, by) => liftWaiting(db, runId, position, by('step.work')));
  stepForm('approve', (_req, runId, position, by) => approveStep(db, runId, position, by('step.approve')));
  stepForm('reject', (req, runId, position, by) =>
    rejectStep(db, runId, position, by('step.approve'), validate(rejectForm, req.body).reason),
  );
  stepForm('reassign', (req, runId, position, by) => {
    const input = validate(reassignForm, req.body);
    reassignStep(db, runId, position, by('step.reassign'), input.to, input.reason);
  });

  // A field of the run or of a step, from the run page: like a step action, a refusal shows the
  // run as it stands with the reason on top.
  router.post('/runs/:id/fields', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id as string);
    if (runId === null) throw new NotFoundError(`Run ${req.params.id}`);
    const input = validate(fieldForm, req.body);
    try {
      fillField(db, runId, input.name, input.value, actor);
    } catch (error) {
      if (error instanceof AppError && error.status !== 404 && error.status < 500) {
        return sendRun(req, res, runId, { notice: error.message, status: error.status });
      }
      throw error;
    }
    if (fromScript(req)) return sendRun(req, res, runId);
    res.redirect(303, `/runs/${runId}`);
  });

  // The runbook page's Start a run form (it shows again, with the error, when the title is missing).
  router.post('/runbooks/:slug/runs', (req, res) => {
    const actor = readableBy(req, req.params.slug);
    authorize(actor, { action: 'run.start' });
    const row = loadRunbook(db, req.params.slug);
    formPage(res, 'runbooks/runbook', () => runbookPage(db, actor, row, req.body));
    const { title } = validate(startForm, req.body);
    // The run fields come as field-0, field-1, … in the runbook's order (see field-view.ts).
    const defs = runFieldDefs(db, row);
    const fields = Object.fromEntries(defs.map((def, i) => [def.name, (req.body as Record<string, unknown>)[`field-${i}`] ?? '']));
    const runId = beside('form', () => {
      try {
        return startRun(db, { runbook: row.slug, title: title || null, fields, startedBy: actor.id });
      } catch (error) {
        // "fields.Amount: …" is shown beside the Amount input, in the words of the field.
        if (error instanceof AppError && error.field?.startsWith('fields.')) {
          const index = defs.findIndex((d) => `fields.${d.name}` === error.field);
          throw new AppError(error.status, error.code, error.message.replace(/^fields: /, ''), `field-${index}`, error.details);
        }
        throw error;
      }
    });
    res.redirect(303, `/runs/${runId}`);
  });

  return router;
}
