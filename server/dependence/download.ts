import type { Response } from 'express';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import type { Db } from '../db/open';
import { csvHeaders } from '../http/csv';
import { workloadCsv } from './csv';
import { workload } from './workload';

/** Sends the per-step table as a CSV file named for today (the API and the page both send this). */
export function dependenceCsv(db: Db, actor: Actor, res: Response): void {
  const now = new Date();
  const work = workload(db, now);
  const rates = can(actor, { action: 'person.see-costs' }) ? new Map(work.people.map((p) => [p.id, p.hourly_cost_cents])) : null;
  csvHeaders(res, `workload-${now.toISOString().slice(0, 10)}.csv`);
  res.send(workloadCsv(work, rates));
}
