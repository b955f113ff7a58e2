import type { Response } from 'express';
import type { Db } from '../db/open';
import type { Actor } from '../access/actor';
import { runViewer } from '../access/policy';
import { csvTime, sendCsv } from '../http/csv';
import { listRuns, presentRunSummary, type RunFilters } from './list';

/** How many runs one chunk of the download reads (one statement, like a page of the list). */
export const RUNS_CSV_CHUNK = 500;

const STATUS_WORDS = { open: 'in progress', complete: 'complete' } as const;

/**
 * The runs list as a spreadsheet: the very query of the runs page and GET /api/runs (listRuns,
 * the same filters, the same scoping: someone who sees only their own steps gets only runs with
 * one of them, counting only theirs), read a chunk at a time after the last row's key and
 * streamed, so that every run ever started never sits in memory at once.
 */
export async function sendRunListCsv(db: Db, res: Response, actor: Actor, filters: RunFilters): Promise<void> {
  const now = new Date().toISOString();
  const viewer = runViewer(actor);
  const header = ['Run', 'Title', 'Runbook', 'Status', 'Started', 'Completed', 'Steps', 'Steps done', 'Next due', 'Overdue'];
  await sendCsv<[string, number]>(res, `runs-${now.slice(0, 10)}.csv`, header, (after) => {
    // listRuns answers up to limit + 1 rows: a chunk of RUNS_CSV_CHUNK asks for one fewer.
    const rows = listRuns(db, filters, viewer, { limit: RUNS_CSV_CHUNK - 1, after }, now);
    const last = rows.at(-1);
    return {
      rows: rows.map((row) => {
        const run = presentRunSummary(row, now);
        return [
          run.id,
          run.title,
          run.runbook.title,
          STATUS_WORDS[run.status],
          csvTime(run.startedAt),
          csvTime(run.completedAt),
          run.progress.steps,
          run.progress.done,
          csvTime(run.nextDueAt),
          run.overdue ? 'yes' : 'no',
        ];
      }),
      last: rows.length === RUNS_CSV_CHUNK && last ? [last.started_at, last.id] : null,
    };
  });
}
