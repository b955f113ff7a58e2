import type { Db } from '../db/open';
import { ConflictError, NotFoundError } from '../http/errors';
import { sql, transaction } from '../db/statements';
import { findRunCheck, recordEvent } from './repo';
import { doneFirst, openStep, refuseIfClosed, type StepActor } from './actions';

/** Ticking and unticking a step's checks, and how a burst of ticks by one person makes one event. */

export function setCheck(db: Db, runId: number, position: number, index: number, by: StepActor, ticked: boolean): void {
  transaction(db, setCheckNow)(runId, position, index, by, ticked);
}

function setCheckNow(db: Db, runId: number, position: number, index: number, by: StepActor, ticked: boolean): void {
  const actorId = by.actor.id;
  const { step } = openStep(db, runId, position, by);
  const check = findRunCheck(db, step.id, index);
  if (!check) throw new NotFoundError(`Check ${index} of step ${position}`);
  refuseIfClosed(db, step);
  if (ticked && check.ticked_at) {
    throw doneFirst(
      db,
      'check-already-ticked',
      { by: check.ticked_by, at: check.ticked_at },
      ['tickedBy', 'tickedAt'],
      (who, when) => `"${check.text}" was already ticked by ${who} at ${when}`,
    );
  }
  if (!ticked && !check.ticked_at) throw new ConflictError('check-not-ticked', `"${check.text}" is not ticked`);
  const at = new Date().toISOString();
  sql(db, 'UPDATE run_checks SET ticked_by = ?, ticked_at = ? WHERE run_step_id = ? AND idx = ?').run(
    ticked ? actorId : null,
    ticked ? at : null,
    step.id,
    index,
  );
  recordCheckChange(db, { runId, runStepId: step.id, actorId, at, index, text: check.text, ticked });
}

/** Changes of one check by one person, within a minute of the first and at most this many, are one event. */
export const FOLD_MS = 60_000;
export const FOLD_MAX = 20;

interface CheckChange {
  runId: number;
  runStepId: number;
  actorId: number;
  at: string;
  index: number;
  text: string;
  ticked: boolean;
}

/**
 * Records a tick or an untick. Someone ticking and unticking the same check, with nothing else
 * happening in the run meanwhile, makes one event, not one per click: the run's newest event
 * is updated to the check's latest state, and `data.changes` lists every change with its time
 * (so nothing that happened is lost). A new event starts after a minute or FOLD_MAX changes.
 */
function recordCheckChange(db: Db, change: CheckChange): void {
  const kind = change.ticked ? 'check.ticked' : 'check.unticked';
  const last = sql(db, 'SELECT id, kind, actor_id, run_step_id, at, data FROM run_events WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(
    change.runId,
  ) as { id: number; kind: string; actor_id: number | null; run_step_id: number | null; at: string; data: string } | undefined;
  if (
    last &&
    (last.kind === 'check.ticked' || last.kind === 'check.unticked') &&
    last.actor_id === change.actorId &&
    last.run_step_id === change.runStepId
  ) {
    const data = JSON.parse(last.data) as { index?: number; text?: string; changes?: { at: string; ticked: boolean }[] };
    const changes = data.changes ?? [{ at: last.at, ticked: last.kind === 'check.ticked' }];
    const first = changes[0]?.at ?? last.at;
    if (data.index === change.index && changes.length < FOLD_MAX && Date.parse(change.at) - Date.parse(first) < FOLD_MS) {
      changes.push({ at: change.at, ticked: change.ticked });
      sql(db, 'UPDATE run_events SET kind = ?, at = ?, data = ? WHERE id = ?').run(
        kind,
        change.at,
        JSON.stringify({ index: change.index, text: change.text, changes }),
        last.id,
      );
      return;
    }
  }
  recordEvent(db, {
    runId: change.runId,
    runStepId: change.runStepId,
    kind,
    actorId: change.actorId,
    at: change.at,
    data: { index: change.index, text: change.text },
  });
}
