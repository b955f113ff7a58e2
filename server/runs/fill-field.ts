import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import { sql, transaction } from '../db/statements';
import { setFieldValue, type RunField } from './fields';

/**
 * Fills one field of a run (the API and the run page). A step's field: whoever may work the
 * step. A run field: managers, whoever started the run, team members with a step in it, and
 * an outsourcer whose own step's condition names it.
 */
export function fillField(db: Db, runId: number, name: string, raw: unknown, actor: Actor): RunField {
  return transaction(db, fillFieldNow)(runId, name, raw, actor);
}

function fillFieldNow(db: Db, runId: number, name: string, raw: unknown, actor: Actor): RunField {
  const inRun = sql(
    db,
    'SELECT started_by, EXISTS (SELECT 1 FROM run_steps WHERE run_id = r.id AND assignee_id = @actor) AS has_step FROM runs r WHERE id = @run',
  ).get({
    run: runId,
    actor: actor.id,
  }) as { started_by: number | null; has_step: number } | undefined;
  // Someone who does not see whole runs and has no step in this one may not know it exists.
  const seesAll = can(actor, { action: 'runs.read-all' });
  if (!inRun || (!seesAll && inRun.has_step !== 1)) throw new NotFoundError(`Run ${runId}`);
  const team = can(actor, { action: 'run.fill-fields', startedBy: inRun.started_by, hasStep: inRun.has_step === 1 });
  return setFieldValue(db, runId, name, raw, {
    seesAll,
    team,
    actorId: actor.id,
    mayWorkStep: (assigneeId) => can(actor, { action: 'step.work', assigneeId }),
  });
}
