import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { requireActor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { BadRequestError } from '../http/errors';
import { csvTime, sendCsv } from '../http/csv';
import { endOfDay, requiredDay, startOfDay, validate } from '../http/validate';
import { loadPerson } from './load';
import type { PersonRow } from './repo';

/** A day as YYYY-MM-DD (a browser's date box), or typed as people write it where a browser has none ("5 Dec 2026"). */
const day = requiredDay({ empty: 'is required', invalid: 'must be a date, such as 2026-12-05 or 5 Dec 2026' });

/** Both days, in the server's time zone; `to` is included. */
export const workQuery = z.object({ from: day, to: day });

/** How many steps one chunk of the download reads. */
export const WORK_CSV_CHUNK = 500;

interface WorkRow {
  id: number;
  completed_at: string;
  run_id: number;
  run_title: string;
  runbook_title: string;
  position: number;
  title: string;
  estimate_minutes: number | null;
}

const money = (cents: number) => (Math.round(cents) / 100).toFixed(2);

/**
 * A person's completed steps between two days, for paying an outsourcer: each with its estimate
 * and, for those who may see the person's hourly cost (owners, and the person), its cost at that
 * rate. The work is priced by the step's estimate (what the runbook says it takes), not by time
 * measured: nobody clocks in. Without a rate or an estimate the cost is left empty, and the Note
 * column says which is missing. Read along the index of completed steps by person and time
 * (run_steps_completed), a chunk at a time, streamed.
 */
export async function sendWorkCsv(db: Db, res: Response, person: PersonRow, range: { from: string; to: string }, showCost: boolean) {
  const rate = showCost ? person.hourly_cost_cents : null;
  const header = [
    'Completed',
    'Run',
    'Run title',
    'Runbook',
    'Step',
    'Step title',
    'Estimate (minutes)',
    ...(showCost ? ['Hourly cost', 'Cost'] : []),
    'Note',
  ];
  const chunk = sql(
    db,
    `SELECT s.id, s.completed_at, s.run_id, r.title AS run_title, v.title AS runbook_title, s.position, s.title, s.estimate_minutes
       FROM run_steps s INDEXED BY run_steps_completed
       JOIN runs r ON r.id = s.run_id JOIN runbook_versions v ON v.id = r.version_id
      WHERE s.completed_by = @person AND s.status = 'complete'
        AND s.completed_at >= @from AND s.completed_at < @to AND (s.completed_at, s.id) > (@afterAt, @afterId)
      ORDER BY s.completed_at, s.id
      LIMIT ${WORK_CSV_CHUNK}`,
  );
  const from = startOfDay(range.from);
  const to = endOfDay(range.to);
  const name = `${person.name}-work-${range.from}-to-${range.to}.csv`;
  await sendCsv<[string, number]>(res, name, header, (after) => {
    const rows = chunk.all({ person: person.id, from, to, afterAt: after?.[0] ?? '', afterId: after?.[1] ?? 0 }) as WorkRow[];
    const last = rows.at(-1);
    return {
      rows: rows.map((s) => {
        const missing = [s.estimate_minutes === null ? 'no estimate' : '', showCost && rate === null ? 'no hourly cost set' : ''];
        return [
          csvTime(s.completed_at),
          s.run_id,
          s.run_title,
          s.runbook_title,
          s.position,
          s.title,
          s.estimate_minutes ?? '',
          ...(showCost
            ? [
                rate === null ? '' : money(rate),
                rate === null || s.estimate_minutes === null ? '' : money((rate * s.estimate_minutes) / 60),
              ]
            : []),
          missing.filter(Boolean).join('; '),
        ];
      }),
      last: rows.length === WORK_CSV_CHUNK && last ? [last.completed_at, last.id] : null,
    };
  });
}

/** Whose work a request asks for, refused unless the caller may see their steps; and whether their costs show. */
export function workOf(db: Db, req: Request<{ id: string }>) {
  const actor = requireActor(req);
  const person = loadPerson(db, req.params.id, actor);
  authorize(actor, { action: 'assignments.read', personId: person.id }, `Person ${req.params.id}`);
  return { actor, person, showCost: can(actor, { action: 'person.see-costs', personId: person.id }) };
}

/** GET /api/people/:id/work.csv: for whoever may see the person's steps (the person, and the team). */
export function workRoutes({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/people/:id/work.csv', async (req, res) => {
    const { person, showCost } = workOf(db, req);
    const range = validate(workQuery, req.query, 'query');
    if (range.to < range.from) throw new BadRequestError('to: must be on or after from', 'to');
    await sendWorkCsv(db, res, person, range, showCost);
  });
  return router;
}
