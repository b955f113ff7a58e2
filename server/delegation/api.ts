import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { validate, withoutBlanks } from '../http/validate';
import type { Paging } from '../http/paging';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { loadPerson } from '../people/load';
import { awayUntil } from '../people/absences';
import {
  HANDOFF_LIST,
  MARK_PATTERN,
  checkRecipient,
  checkRole,
  handOff,
  handOffCount,
  handOffMark,
  handOffPage,
  markText,
  parseMark,
  type StepToMove,
} from './handoff';

const id = z.number().int().positive();
export const handOffBody = z.object({
  to: id,
  role: id.nullable().default(null),
  reason: z.string().trim().min(1, 'say why the steps change hands').max(2000),
  expect: z.array(id).max(10_000).nullable().default(null),
  since: z.string().regex(MARK_PATTERN, 'give the preview’s since, as it was').nullable().default(null),
  offboard: z.boolean().default(false),
  giveRoles: z.boolean().default(false),
});
export const previewQuery = z.object({
  to: z.coerce.number().int().positive().optional(),
  role: z.coerce.number().int().positive().optional(),
});

export const presentStepToMove = (s: StepToMove) => ({
  id: s.id,
  run: { id: s.run_id, title: s.run_title },
  position: s.position,
  title: s.title,
  dueAt: s.due_at,
  role: s.role_id === null ? null : { id: s.role_id, name: s.role_name },
  dueWhileAway: s.due_while_away === 1,
});

/** Offboarding deactivates; giving roles changes who fills them: each needs its own right. */
export function authorizeHandOff(actor: ReturnType<typeof requireActor>, fromId: number, input: { offboard: boolean; giveRoles: boolean }) {
  authorize(actor, { action: 'steps.handoff', fromId });
  if (input.offboard) authorize(actor, { action: 'person.manage' });
  if (input.giveRoles) authorize(actor, { action: 'roles.manage' });
}

export function delegationRoutes({ db, paging }: { db: Db; paging: Paging }): Router {
  const router = Router();

  // The preview: what a hand-off would move now, a page of steps at a time with how many in all
  // (and, given `to`, whether that person can take it), and the mark to hand off with (`since`).
  router.get('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadPerson(db, req.params.id, actor);
    authorize(actor, { action: 'steps.handoff', fromId: from.id });
    const query = validate(previewQuery, withoutBlanks(req.query), 'query');
    const now = new Date();
    const to = query.to === undefined ? null : checkRecipient(db, from, query.to, now);
    checkRole(db, query.role ?? null);
    const role = query.role ?? null;
    const filters = { to: query.to, role: query.role };
    const request = paging.read(req.query, HANDOFF_LIST, filters);
    // The mark first: a step that changes while the page is read makes the hand-off ask again.
    const since = markText(handOffMark(db));
    const page = paging.page(
      handOffPage(db, from.id, role, request),
      request,
      { ...HANDOFF_LIST, keyOf: (s) => [s.due_at, s.id] },
      { path: `/api/people/${from.id}/handoff`, filters },
    );
    paging.linkHeader(res, page.next);
    res.json({
      from: { id: from.id, name: from.name, awayUntil: awayUntil(db, from.id, now) },
      to: to && { id: to.id, name: to.name },
      role,
      count: handOffCount(db, from.id, role),
      steps: page.items.map(presentStepToMove),
      next: page.next,
      since,
    });
  });

  router.post('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadPerson(db, req.params.id, actor);
    const input = validate(handOffBody, req.body);
    authorizeHandOff(actor, from.id, input);
    const { moved, to } = handOff(db, { id: actor.id, name: actor.name, address: req.ip ?? null }, from, {
      toId: input.to,
      roleId: input.role,
      reason: input.reason,
      expect: input.expect,
      since: input.since === null ? null : parseMark(input.since),
      offboard: input.offboard,
      giveRoles: input.giveRoles,
    });
    res.json({
      from: { id: from.id, name: from.name },
      to: { id: to.id, name: to.name },
      moved: moved.map(presentStepToMove),
      offboarded: input.offboard,
    });
  });

  return router;
}
