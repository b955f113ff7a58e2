import { Cron } from 'croner';
import cronstrue from 'cronstrue';

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

/**
 * The times the schedule fires in (from, to], at most `limit` of them (a schedule firing every
 * minute for a year must not hold the server). Croner reads the expression in server time (TZ).
 */
export function occurrencesBetween(expression: string, from: Date, to: Date, limit = 50_000): Date[] {
  const cron = new Cron(expression, { paused: true });
  const found: Date[] = [];
  for (let next = cron.nextRun(from); next && next <= to && found.length < limit; next = cron.nextRun(next)) found.push(next);
  return found;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NUMBER_LIST = /^\d{1,2}(,\d{1,2})*$/;

const ordinal = (n: number) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
};
const joinWords = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/**
 * A schedule as an owner says it: "weekdays at 9:00", "every Thursday at 10:00", "monthly on the
 * 1st at 9:00". Shapes other than these common ones are described by cronstrue ("every 15 minutes").
 */
export function describeSchedule(expression: string): string {
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/);
  const plain = /^\d{1,2}$/;
  if (minute && hour && plain.test(minute) && plain.test(hour) && month === '*' && dom && dow) {
    const at = `at ${Number(hour)}:${minute.padStart(2, '0')}`;
    if (dom === '*' && dow === '*') return `daily ${at}`;
    if (dom === '*' && dow === '1-5') return `weekdays ${at}`;
    if (dom === '*' && NUMBER_LIST.test(dow) && dow.split(',').every((d) => Number(d) <= 7)) {
      return `every ${joinWords(dow.split(',').map((d) => DAYS[Number(d)] as string))} ${at}`;
    }
    if (dow === '*' && NUMBER_LIST.test(dom)) return `monthly on the ${joinWords(dom.split(',').map((d) => ordinal(Number(d))))} ${at}`;
  }
  const words = cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false, throwExceptionOnParseError: false });
  return words.charAt(0).toLowerCase() + words.slice(1);
}

// Server time, like croner: the day a run is scheduled for is the day people there see.
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** The next `count` times the schedule fires after `after`. */
export function nextOccurrences(expression: string, after: Date, count = 3): Date[] {
  const cron = new Cron(expression, { paused: true });
  const found: Date[] = [];
  for (let next = cron.nextRun(after); next && found.length < count; next = cron.nextRun(next)) found.push(next);
  return found;
}

/** "monthly on the 1st at 9:00 · next 1 Jan 2027, 1 Feb 2027, 1 Mar 2027": what a runbook's page shows. */
export function scheduleSummary(expression: string, now: Date = new Date()): { words: string; next: string[] } {
  const next = nextOccurrences(expression, now, 3);
  // A schedule that fires twice on one day needs the time to tell its dates apart.
  const withTime = next.some((date, i) => i > 0 && sameDay(date, next[i - 1] as Date));
  return {
    words: describeSchedule(expression),
    next: next.map((date) => (withTime ? `${dayFormat.format(date)}, ${timeFormat.format(date)}` : dayFormat.format(date))),
  };
}

/**
 * The title of a run a schedule starts: the runbook's title and the day it is for, with the time
 * when the schedule fires more than once that day, so that no two scheduled runs look alike.
 */
export function scheduledRunTitle(title: string, expression: string, at: Date): string {
  const startOfDay = new Date(at.getFullYear(), at.getMonth(), at.getDate());
  const fires = nextOccurrences(expression, new Date(startOfDay.getTime() - 1), 2);
  const twice = fires.length === 2 && sameDay(fires[0] as Date, fires[1] as Date);
  return `${title} · ${dayFormat.format(at)}${twice ? `, ${timeFormat.format(at)}` : ''}`;
}
