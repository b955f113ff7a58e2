import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import type { Paging } from '../http/paging';
import { withoutBlanks } from '../http/validate';
import { requireActor, type Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { listPeople, type PersonRow } from '../people/repo';
import { handOffRoles } from '../people/roles-repo';
import { loadPerson } from '../people/load';
import { besideField, readForm, formPage } from '../http/forms';
import { awayUntil, peopleAwayToday } from '../people/absences';
import { authorizeHandOff } from './api';
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
} from './handoff';

/**
 * The hand-off page (choose, preview, confirm) and the person page's absence forms. The API's
 * rules and checks, with messages meant to sit beside a form field.
 */
const choosePerson = z
  .string('Choose who takes the steps.')
  .regex(/^[1-9]\d{0,15}$/, 'Choose who takes the steps.')
  .transform(Number);
const optionalId = z
  .union([
    z.literal(''),
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'Choose a role from the list.')
      .transform(Number),
  ])
  .default('');
const previewForm = z.object({ to: choosePerson.optional(), role: optionalId });
const handOffForm = z.object({
  to: choosePerson,
  role: optionalId,
  reason: z
    .string('Say why the steps change hands.')
    .trim()
    .min(1, 'Say why the steps change hands.')
    .max(2000, 'Keep it under 2,000 characters.'),
  // The preview's mark (the page's form); a list of step ids (`expect`) is still read, as the API's.
  since: z.string().regex(MARK_PATTERN, 'Preview the hand-off again.').optional(),
  expect: z
    .string()
    .regex(/^(\d+(,\d+)*)?$/, 'Preview the hand-off again.')
    .optional(),
  offboard: z.literal('yes').optional(),
  giveRoles: z.literal('yes').optional(),
});

/**
 * The page's data: the first page of the steps that would move (or the page `query` asks for:
 * the preview's own "next" link), how many in all, and the mark the hand-off form carries.
 */
function handOffData(
  db: Db,
  paging: Paging,
  actor: Actor,
  from: PersonRow,
  chosen: { to?: number; role: number | '' },
  query: Record<string, unknown> = {},
) {
  const now = new Date();
  const awayToday = peopleAwayToday(db, now);
  const role = chosen.role === '' ? null : chosen.role;
  const filters = { to: chosen.to, role: role ?? undefined };
  const request = paging.read(query, HANDOFF_LIST, filters);
  const since = markText(handOffMark(db));
  const page = paging.page(
    handOffPage(db, from.id, role, request),
    request,
    { ...HANDOFF_LIST, keyOf: (s) => [s.due_at, s.id] },
    { path: `/people/${from.id}/handoff`, filters },
  );
  const count = handOffCount(db, from.id, role);
  return {
    title: `Hand off ${from.name}’s steps`,
    from: { id: from.id, name: from.name, awayUntil: awayUntil(db, from.id, now), outsourcer: from.access_level === 'outsourcer' },
    recipients: listPeople(db)
      .filter((p) => p.active === 1 && p.id !== from.id)
      .map((p) => ({ id: p.id, name: p.name, away: awayToday.has(p.id), selected: p.id === chosen.to })),
    // Only their roles: another role's steps are never theirs to hand off.
    roles: handOffRoles(db, from.id).map((r) => ({ id: r.id, name: r.name, selected: r.id === role })),
    steps: page.items.map((s) => ({ ...s, overdue: s.due_at !== null && s.due_at < now.toISOString() })),
    count,
    later: request.after !== null,
    next: page.next && `${page.next}#moving`,
    start: request.after === null ? null : `${page.first}#moving`,
    since,
    mayOffboard: can(actor, { action: 'person.manage' }) && from.active === 1,
    mayGiveRoles: can(actor, { action: 'roles.manage' }),
  };
}

export function delegationPages({ db, views, paging }: { db: Db; views: Views; paging: Paging }): Router {
  const router = Router();
  const loadFrom = (req: Request, actor: Actor) => {
    const from = loadPerson(db, req.params.id as string, actor);
    authorize(actor, { action: 'steps.handoff', fromId: from.id });
    return from;
  };

  router.get('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadFrom(req, actor);
    const query = withoutBlanks(req.query);
    const parsed = previewForm.safeParse(query);
    // Built once: the page itself, or the page beside an error (the error handler reads formData).
    const data = handOffData(db, paging, actor, from, parsed.success ? parsed.data : { role: '' }, parsed.success ? query : {});
    formPage(res, 'delegation/handoff', () => data);
    const chosen = readForm(previewForm, query);
    if (chosen.to !== undefined) {
      besideField(() => checkRecipient(db, from, chosen.to as number, new Date()));
      besideField(() => checkRole(db, chosen.role === '' ? null : chosen.role));
    }
    views.render(res, 'delegation/handoff', { ...data, values: { to: chosen.to, role: chosen.role }, previewed: chosen.to !== undefined });
  });

  router.post('/people/:id/handoff', (req, res) => {
    const actor = requireActor(req);
    const from = loadFrom(req, actor);
    const parsed = handOffForm.safeParse(req.body ?? {});
    formPage(res, 'delegation/handoff', () => ({
      ...handOffData(db, paging, actor, from, parsed.success ? parsed.data : { role: '' }),
      previewed: parsed.success,
    }));
    const input = readForm(handOffForm, req.body);
    const options = { offboard: input.offboard === 'yes', giveRoles: input.giveRoles === 'yes' };
    authorizeHandOff(actor, from.id, options);
    const { to } = besideField(() =>
      handOff(db, { id: actor.id, name: actor.name, address: req.ip ?? null }, from, {
        toId: input.to,
        roleId: input.role === '' ? null : input.role,
        reason: input.reason,
        expect: input.expect === undefined ? null : input.expect === '' ? [] : input.expect.split(',').map(Number),
        since: input.since === undefined ? null : parseMark(input.since),
        ...options,
      }),
    );
    res.redirect(303, `/people/${options.offboard ? to.id : from.id}?done=${options.offboard ? 'offboarded' : 'handed-off'}`);
  });

  return router;
}
