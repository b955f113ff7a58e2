import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { idParam, validate, withoutBlanks } from '../http/validate';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize, runViewer } from '../access/policy';
import { addNote, completeStep, reassignStep, reopenStep, skipStep } from './actions';
import { fillField } from './fill-field';
import { setCheck } from './ticks';
import { approveStep, rejectStep } from './approvals';
import { startRun } from './start';
import { liftWaiting, setWaiting } from './waiting';
import { sendRunbookRunsCsv } from './export';
import { sendRunListCsv } from './list-csv';
import { loadRunbook } from '../runbooks/slugs';
import { runFilters, runPage } from './list';
import { eventPageJson } from './events';
import { runJson, runJsonBytes, stepResultJson } from './read';

export const startBody = z.object({
  runbook: z.string().trim().min(1).max(100),
  // Without a title the run is named by the runbook's run-title, or its title and the date.
  title: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  fields: z.record(z.string().max(100), z.unknown()).optional(),
});
export const fieldBody = z.object({ value: z.unknown() }).strict();
export const rejectBody = z.object({ reason: z.string().trim().min(1, 'say why the step goes back').max(2000) });
export const noteBody = z.object({ note: z.string().trim().max(5000).optional() });
export const noteRequired = z.object({ note: z.string().trim().min(1, 'write the note').max(5000) });
export const waitingBody = z.object({ reason: z.string().trim().min(1, 'say what the step is waiting for').max(500) });
export const reassignBody = z.object({
  to: z.number().int().positive(),
  reason: z.string().trim().min(1, 'say why the step changes hands').max(2000),
});

/** The run id and step position of a step URL; not-a-number ids are simply not found. */
function stepAddress(req: Request) {
  const runId = idParam(req.params.id as string);
  const position = idParam(req.params.position as string);
  if (runId === null) throw new NotFoundError(`Run ${req.params.id}`);
  if (position === null) throw new NotFoundError(`Step ${req.params.position} of run ${runId}`);
  return { runId, position };
}

/**
 * JSON that SQLite already built (server/runs/read.ts), sent without a round trip through JS
 * objects. The headers are those res.status().type('application/json').send() sets (ETags are
 * off), set directly: its checks cost more than a tick's statements. For HEAD, Node sends none
 * of the body.
 */
function sendJson(res: Response, json: string | Buffer | undefined, what: string, status = 200) {
  if (json === undefined) throw new NotFoundError(what);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', typeof json === 'string' ? Buffer.byteLength(json) : json.length);
  res.end(json);
}

export function runRoutes({ db, paging }: { db: Db; paging: Paging }): Router {
  const router = Router();

  router.post('/runs', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'run.start' });
    const input = validate(startBody, req.body);
    const runId = startRun(db, { runbook: input.runbook, title: input.title ?? null, fields: input.fields ?? {}, startedBy: actor.id });
    sendJson(res, runJson(db, runId), `Run ${runId}`, 201);
  });

  router.get('/runs', (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runs.list' });
    const filters = validate(runFilters, withoutBlanks(req.query), 'query');
    // Someone who sees only their own steps gets a list from a query that can only return those steps' runs.
    const { runs, next } = runPage(db, paging, actor, req.query, filters, '/api/runs');
    paging.linkHeader(res, next);
    res.json({ runs, next });
  });

  // The same list as a spreadsheet, every run that matches (streamed): the filters and scoping of GET /runs.
  router.get('/runs.csv', async (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runs.list' });
    const filters = validate(runFilters, withoutBlanks(req.query), 'query');
    await sendRunListCsv(db, res, actor, filters);
  });

  router.get('/runs/:id/events', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id);
    const page = runId === null ? undefined : eventPageJson(db, paging, runId, runViewer(actor), req.query);
    if (!page) throw new NotFoundError(`Run ${req.params.id}`);
    paging.linkHeader(res, page.next);
    sendJson(res, page.json, `Run ${req.params.id}`);
  });

  router.get('/runs/:id', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id);
    sendJson(res, runId === null ? undefined : runJsonBytes(db, runId, runViewer(actor)), `Run ${req.params.id}`);
  });

  const actions = { complete: completeStep, reopen: reopenStep, skip: skipStep };
  for (const [name, act] of Object.entries(actions)) {
    router.post(`/runs/:id/steps/:position/${name}`, (req, res) => {
      const actor = requireActor(req);
      const { runId, position } = stepAddress(req);
      const { note } = validate(noteBody, req.body ?? {});
      act(db, runId, position, { actor, rule: 'step.work' }, note || null);
      sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
    });
  }

  for (const verb of ['tick', 'untick'] as const) {
    router.post(`/runs/:id/steps/:position/checks/:index/${verb}`, (req, res) => {
      const actor = requireActor(req);
      const { runId, position } = stepAddress(req);
      const index = /^(0|[1-9]\d{0,5})$/.test(req.params.index as string) ? Number(req.params.index) : null;
      if (index === null) throw new NotFoundError(`Check ${req.params.index} of step ${position}`);
      setCheck(db, runId, position, index, { actor, rule: 'step.work' }, verb === 'tick');
      sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
    });
  }

  router.post('/runs/:id/steps/:position/note', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    const { note } = validate(noteRequired, req.body);
    addNote(db, runId, position, { actor, rule: 'step.comment' }, note);
    sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
  });

  // A step standing still for a reason outside the team: said and lifted by whoever works it.
  router.post('/runs/:id/steps/:position/waiting', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    const { reason } = validate(waitingBody, req.body);
    setWaiting(db, runId, position, { actor, rule: 'step.work' }, reason);
    sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
  });

  router.delete('/runs/:id/steps/:position/waiting', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    liftWaiting(db, runId, position, { actor, rule: 'step.work' });
    sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
  });

  // The runs of a runbook as a spreadsheet: for the team, like the runs list.
  router.get('/runbooks/:slug/runs.csv', async (req, res) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.read' }, `Runbook "${req.params.slug}"`);
    authorize(actor, { action: 'runs.read-all' }, `Runbook "${req.params.slug}"`);
    await sendRunbookRunsCsv(db, res, loadRunbook(db, req.params.slug));
  });

  router.put('/runs/:id/fields/:name', (req, res) => {
    const actor = requireActor(req);
    const runId = idParam(req.params.id);
    if (runId === null) throw new NotFoundError(`Run ${req.params.id}`);
    const { value } = validate(fieldBody, req.body);
    const field = fillField(db, runId, req.params.name, value, actor);
    sendJson(res, JSON.stringify({ name: field.name, value: field.value }), `Run ${runId}`);
  });

  router.post('/runs/:id/steps/:position/approve', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    approveStep(db, runId, position, { actor, rule: 'step.approve' });
    sendJson(res, stepResultJson(db, runId, position), `Step ${position} of run ${runId}`);
  });

  router.post('/runs/:id/steps/:position/reject', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    const { reason } = validate(rejectBody, req.body);
    rejectStep(db, runId, position, { actor, rule: 'step.approve' }, reason);
    sendJson(res, stepResultJson(db, runId, position), `Step ${position} of run ${runId}`);
  });

  router.post('/runs/:id/steps/:position/reassign', (req, res) => {
    const actor = requireActor(req);
    const { runId, position } = stepAddress(req);
    const input = validate(reassignBody, req.body);
    reassignStep(db, runId, position, { actor, rule: 'step.reassign' }, input.to, input.reason);
    sendJson(res, stepResultJson(db, runId, position, runViewer(actor)), `Step ${position} of run ${runId}`);
  });

  return router;
}
