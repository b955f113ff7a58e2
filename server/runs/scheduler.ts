import type { Db } from '../db/open';
import { nextScheduled, scheduledRunTitle } from '../runbooks/format/schedule';
import { startRun } from './start';
import { sql } from '../db/statements';

interface ScheduledRunbook {
  slug: string;
  title: string;
  schedule: string;
  version_created_at: string;
  last_scheduled_for: string | null;
}

/**
 * Starts the runs that runbook schedules call for. For each scheduled runbook it looks at
 * the occurrences since the later of its last scheduled run and the moment its current text
 * was saved, and starts one run for the newest of them: a server that was down at 9:00 still
 * starts the 9:00 run when it comes back, but never a backlog, and a fresh install never
 * starts runs for dates before it knew the schedule. `scheduled_for` is unique per runbook,
 * so two processes racing cannot start the same run twice. Returns the run ids started.
 */
export function startDueScheduledRuns(db: Db, now: Date = new Date()): number[] {
  const rows = sql(
    db,
    `SELECT b.slug, v.title, v.schedule, v.created_at AS version_created_at,
              (SELECT max(scheduled_for) FROM runs r WHERE r.runbook_id = b.id) AS last_scheduled_for
         FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
        WHERE b.archived_at IS NULL AND v.schedule IS NOT NULL`,
  ).all() as ScheduledRunbook[];
  const started: number[] = [];
  for (const row of rows) {
    const anchor = [row.version_created_at, row.last_scheduled_for]
      .filter((x): x is string => x !== null)
      .sort()
      .pop() as string;
    const due = latestOccurrence(row.schedule, new Date(anchor), now);
    if (!due) continue;
    const scheduledFor = due.toISOString();
    started.push(
      startRun(db, { runbook: row.slug, title: scheduledRunTitle(row.title, row.schedule, due), startedBy: null, scheduledFor, now }),
    );
  }
  return started;
}

/** The newest time in (after, now] the schedule fires, or null. */
function latestOccurrence(schedule: string, after: Date, now: Date): Date | null {
  let latest: Date | null = null;
  let next = nextScheduled(schedule, after);
  // Bounded: a schedule firing every minute for a long downtime must not spin forever.
  for (let i = 0; next && next <= now && i < 100_000; i++) {
    latest = next;
    next = nextScheduled(schedule, next);
  }
  return latest;
}

/** Checks schedules every `intervalMs` until stopped; errors are logged, never fatal. */
export function startScheduler(db: Db, log: (message: string) => void = console.log, intervalMs = 30_000): () => void {
  const tick = () => {
    try {
      const ids = startDueScheduledRuns(db);
      if (ids.length > 0) log(`Scheduled runs started: ${ids.join(', ')}`);
    } catch (error) {
      log(`Scheduler failed: ${(error as Error).message}`);
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
