import type { Db } from '../db/open';
import { countUpTo, sql } from '../db/statements';
import type { PageRequest } from '../http/paging';
import { openStepRows } from '../people/assignments';
import { ConflictError, UnprocessableError } from '../http/errors';
import { audit } from '../audit/repo';
import { deactivatePerson } from '../people/lifecycle';
import { type PersonRow } from '../people/repo';
import { findRole } from '../people/roles-repo';
import { recordEvent } from '../runs/repo';
import { tellHandedOff } from '../notify/compose';
import { stepRecipient } from '../people/owners';

/**
 * Hand off everything: all of a person's open steps (or those of one role) to someone else in
 * one transaction, for a holiday or for someone leaving. The preview shows what the hand-off
 * will move (how many, and the steps a page at a time: someone leaving after a year may hold
 * thousands); a hand-off given the preview's mark (`since`), or its list of step ids
 * (`expect`), refuses to run if that list changed in between, so nobody moves steps they were
 * not shown.
 */
export interface StepToMove {
  id: number;
  run_id: number;
  run_title: string;
  position: number;
  title: string;
  due_at: string | null;
  role_id: number | null;
  role_name: string | null;
  due_while_away: number;
}

export function stepsToHandOff(db: Db, fromId: number, roleId: number | null): StepToMove[] {
  return sql(
    db,
    `SELECT s.id, s.run_id, r.title AS run_title, s.position, s.title, s.due_at, s.role_id, ro.name AS role_name,
            EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = s.assignee_id
                     AND a.starts_on <= substr(s.due_at, 1, 10) AND a.ends_on >= substr(s.due_at, 1, 10)) AS due_while_away
       FROM run_steps s JOIN runs r ON r.id = s.run_id LEFT JOIN roles ro ON ro.id = s.role_id
      WHERE s.assignee_id = @from AND s.status = 'open' AND r.status = 'open' AND (@role IS NULL OR s.role_id = @role)
      ORDER BY s.due_at IS NULL, s.due_at, r.started_at, r.id, s.position`,
  ).all({ from: fromId, role: roleId }) as StepToMove[];
}

/** The list a preview pages through: its cursors are signed over the person, the recipient and the role. */
export const HANDOFF_LIST = { name: 'handoff', key: ['text?', 'id'] } as const;

/** A page of the steps a hand-off would move, earliest due first (undated last), from the person's open-steps index. */
export function handOffPage(db: Db, fromId: number, roleId: number | null, page: PageRequest): StepToMove[] {
  return openStepRows(db, fromId, page, roleId).map((a) => ({
    id: a.id,
    run_id: a.run_id,
    run_title: a.run_title,
    position: a.position,
    title: a.title,
    due_at: a.due_at,
    role_id: a.role_id,
    role_name: a.role_name,
    due_while_away: a.due_while_away,
  }));
}

/** How many steps a hand-off would move, counted up to COUNT_CAP ("1,000 or more"). */
export function handOffCount(db: Db, fromId: number, roleId: number | null): number {
  return countUpTo(
    db,
    `SELECT 1 FROM run_steps s JOIN runs r ON r.id = s.run_id
      WHERE s.assignee_id = @from AND s.status = 'open' AND r.status = 'open'${roleId === null ? '' : ' AND s.role_id = @role'}`,
    { from: fromId, role: roleId },
  );
}

/**
 * Where the record stood when a preview was made: the newest run step and the newest run event.
 * Both are the last row of their table's primary key, so the mark costs the same at any size.
 */
export interface HandOffMark {
  step: number;
  event: number;
}

export function handOffMark(db: Db): HandOffMark {
  return sql(
    db,
    'SELECT (SELECT coalesce(max(id), 0) FROM run_steps) AS step, (SELECT coalesce(max(id), 0) FROM run_events) AS event',
  ).get() as HandOffMark;
}

export const markText = (mark: HandOffMark) => `${mark.step}.${mark.event}`;
export const MARK_PATTERN = /^(\d{1,15})\.(\d{1,15})$/;
export function parseMark(text: string): HandOffMark | null {
  const match = MARK_PATTERN.exec(text);
  return match ? { step: Number(match[1]), event: Number(match[2]) } : null;
}

/** Events that never change whose open steps a step is: ticks, notes, fields, and a run's start (its steps are new rows). */
const KEEPS_THE_LIST = ['check.ticked', 'check.unticked', 'step.noted', 'field.set', 'run.started'];

/**
 * Whether the person's open steps may have changed since `mark`: a step made for them since
 * (a new run), or since then an event (other than those above) on a step of theirs, on a run
 * they hold a step in without naming a step, or handing a step away from them. Every change to
 * a run records an event, so this reads only what happened after the mark (the primary keys'
 * ranges past it), never the person's whole list. It may say "changed" for a change that left
 * the list as it was (a step reopened and completed again): the preview is then shown again.
 */
export function changedSince(db: Db, fromId: number, mark: HandOffMark): boolean {
  const kept = KEEPS_THE_LIST.map((k) => `'${k}'`).join(', ');
  return (
    (
      sql(
        db,
        // +assignee_id: read the steps made since the mark by their key, not every step of the person by theirs.
        `SELECT EXISTS (SELECT 1 FROM run_steps s WHERE s.id > @step AND +s.assignee_id = @from)
           OR EXISTS (SELECT 1 FROM run_events e WHERE e.id > @event AND e.kind NOT IN (${kept})
                AND (EXISTS (SELECT 1 FROM run_steps s WHERE s.id = e.run_step_id AND s.assignee_id = @from)
                     OR (e.run_step_id IS NULL AND EXISTS (SELECT 1 FROM run_steps s WHERE s.assignee_id = @from AND s.run_id = e.run_id))
                     OR (e.kind = 'step.reassigned' AND json_extract(e.data, '$.from') = @from))) AS changed`,
      ).get({ step: mark.step, event: mark.event, from: fromId }) as { changed: number }
    ).changed === 1
  );
}

export interface HandOffInput {
  toId: number;
  roleId: number | null;
  reason: string;
  /** The step ids the preview showed; when given, the hand-off runs only if they still match. */
  expect: number[] | null;
  /** The preview's mark; when given, the hand-off runs only if nothing changed the list since (see changedSince). */
  since?: HandOffMark | null;
  /** The person leaves: deactivated, so sessions, tokens and personal links end at once. */
  offboard: boolean;
  /** The recipient takes the person's place in their roles (in the one role, if given). */
  giveRoles: boolean;
}

/** The recipient, or a refusal naming the field: unknown, inactive, the same person, or away. */
export function checkRecipient(db: Db, from: PersonRow, toId: number, now: Date): PersonRow {
  if (toId === from.id) throw new UnprocessableError('same-person', `to: choose someone other than ${from.name}`, 'to');
  return stepRecipient(db, toId, 'to', now);
}

export function checkRole(db: Db, roleId: number | null): void {
  if (roleId !== null && !findRole(db, roleId)) throw new UnprocessableError('unknown-role', `role: role ${roleId} does not exist`, 'role');
}

export function handOff(
  db: Db,
  by: { id: number; name: string; address: string | null },
  from: PersonRow,
  input: HandOffInput,
  now: Date = new Date(),
): { moved: StepToMove[]; to: PersonRow } {
  return db.transaction(() => {
    const to = checkRecipient(db, from, input.toId, now);
    checkRole(db, input.roleId);
    const steps = stepsToHandOff(db, from.id, input.roleId);
    if (input.since && changedSince(db, from.id, input.since)) {
      throw new ConflictError('handoff-changed', `${from.name}'s open steps changed since the preview; look at the list again`, {
        field: 'since',
      });
    }
    if (input.expect) {
      const seen = [...input.expect].sort((a, b) => a - b).join(',');
      const current = steps
        .map((s) => s.id)
        .sort((a, b) => a - b)
        .join(',');
      if (seen !== current) {
        throw new ConflictError('handoff-changed', `${from.name}'s open steps changed since the preview; look at the list again`, {
          steps: steps.map((s) => s.id),
        });
      }
    }
    if (steps.length === 0 && !input.offboard && !input.giveRoles) {
      throw new ConflictError(
        'nothing-to-hand-off',
        `${from.name} has no open steps${input.roleId === null ? '' : ' in that role'} to hand off`,
      );
    }
    const at = now.toISOString();
    const move = sql(db, 'UPDATE run_steps SET assignee_id = ?, overdue_notified_at = NULL WHERE id = ?');
    for (const step of steps) {
      move.run(to.id, step.id);
      recordEvent(db, {
        runId: step.run_id,
        runStepId: step.id,
        kind: 'step.reassigned',
        actorId: by.id,
        at,
        data: { from: from.id, fromName: from.name, to: to.id, toName: to.name, reason: input.reason, handOff: true },
      });
    }
    if (input.giveRoles) giveRoles(db, from.id, to.id, input.roleId);
    if (steps.length > 0) {
      tellHandedOff(
        db,
        {
          steps: steps.map((s) => ({ runId: s.run_id, runTitle: s.run_title, position: s.position, title: s.title, dueAt: s.due_at })),
          from,
          to,
          by,
          reason: input.reason,
          fromStaying: !input.offboard,
        },
        now,
      );
    }
    audit(db, {
      action: 'steps.handed-off',
      actorId: by.id,
      subjectId: from.id,
      address: by.address,
      data: { to: to.id, steps: steps.length, role: input.roleId, giveRoles: input.giveRoles },
    });
    if (input.offboard) {
      deactivatePerson(db, by.id, from, by.address);
      audit(db, { action: 'person.offboarded', actorId: by.id, subjectId: from.id, address: by.address, data: { to: to.id } });
    }
    return { moved: steps, to };
  })();
}

/** The recipient takes the leaver's place (primary stays primary, a backup keeps its rank). */
function giveRoles(db: Db, fromId: number, toId: number, roleId: number | null): void {
  const memberships = sql(
    db,
    'SELECT role_id, is_primary FROM role_members WHERE person_id = @from AND (@role IS NULL OR role_id = @role)',
  ).all({ from: fromId, role: roleId }) as { role_id: number; is_primary: number }[];
  for (const m of memberships) {
    const already = sql(db, 'SELECT 1 FROM role_members WHERE role_id = ? AND person_id = ?').get(m.role_id, toId);
    if (!already) {
      sql(db, 'UPDATE role_members SET person_id = ? WHERE role_id = ? AND person_id = ?').run(toId, m.role_id, fromId);
      continue;
    }
    sql(db, 'DELETE FROM role_members WHERE role_id = ? AND person_id = ?').run(m.role_id, fromId);
    if (m.is_primary) sql(db, 'UPDATE role_members SET is_primary = 1 WHERE role_id = ? AND person_id = ?').run(m.role_id, toId);
  }
}
