import { Cron } from 'croner';

/**
 * Why the text is not a five-field cron expression (minute hour day month weekday), or null
 * when it is one. croner also takes six fields (seconds); the format allows only five.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') {
    return `schedule "${expression}" must have five fields (minute hour day month weekday), it has ${fields[0] === '' ? 0 : fields.length}`;
  }
  try {
    // "0 0 31 2 *" parses, but February has no 31st: the run would never start.
    if (new Cron(expression, { paused: true }).nextRun() === null) return `schedule "${expression}" never fires`;
    return null;
  } catch (error) {
    return `schedule "${expression}" is not a valid cron expression (${(error as Error).message})`;
  }
}

/** The first time after `after` that the schedule fires, or null if it never does. */
export function nextScheduled(expression: string, after: Date): Date | null {
  return new Cron(expression, { paused: true }).nextRun(after);
}
