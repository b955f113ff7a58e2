/**
 * The small duration languages of the runbook format: step estimates (`1h30m`, `90 min`),
 * due offsets (`same day`, `+1d`, `3 days`) and review intervals (`90d`, `6mo`, `1y`).
 * Each parser returns null for text it does not understand, so the caller can name the line.
 */

const MINUTE_UNITS: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
};
const DAY_UNITS: Record<string, number> = {
  d: 1440,
  day: 1440,
  days: 1440,
  w: 10080,
  wk: 10080,
  wks: 10080,
  week: 10080,
  weeks: 10080,
};

/** Sums "<number> <unit>" parts, e.g. "1h30m" or "1 hour 30 minutes", in minutes. */
function sumParts(text: string, units: Record<string, number>): number | null {
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  const source = text.trim().toLowerCase();
  if (source === '') return null;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(source); match; match = part.exec(source)) {
    const factor = units[match[2] as string];
    if (factor === undefined) return null;
    total += Number(match[1]) * factor;
    consumed = part.lastIndex;
  }
  if (consumed !== source.length) return null;
  return Math.round(total);
}

/** An estimate in whole minutes (more than zero, at most 30 days of work), or null. */
export function parseEstimate(text: string): number | null {
  const minutes = sumParts(text, MINUTE_UNITS);
  return minutes !== null && minutes > 0 && minutes <= 30 * 1440 ? minutes : null;
}

export type DueOffset = { kind: 'same-day' } | { kind: 'after'; minutes: number };

/** A due offset from the start of a run: "same day" means by the end of the day the run starts. */
export function parseDue(text: string): DueOffset | null {
  const source = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (source === 'same day' || source === 'today' || source === 'end of day') return { kind: 'same-day' };
  const minutes = sumParts(source.replace(/^\+\s*/, ''), { ...MINUTE_UNITS, ...DAY_UNITS });
  return minutes !== null && minutes >= 0 && minutes <= 366 * 1440 ? { kind: 'after', minutes } : null;
}

/** When a step with this offset is due, for a run started at `start` (local time decides "same day"). */
export function dueAt(offset: DueOffset, start: Date): Date {
  if (offset.kind === 'after') return new Date(start.getTime() + offset.minutes * 60_000);
  const end = new Date(start.getTime());
  end.setHours(23, 59, 59, 999);
  return end;
}

export interface ReviewInterval {
  amount: number;
  unit: 'day' | 'month';
}

const REVIEW_UNITS: Record<string, { unit: 'day' | 'month'; factor: number }> = {
  d: { unit: 'day', factor: 1 },
  day: { unit: 'day', factor: 1 },
  days: { unit: 'day', factor: 1 },
  w: { unit: 'day', factor: 7 },
  week: { unit: 'day', factor: 7 },
  weeks: { unit: 'day', factor: 7 },
  mo: { unit: 'month', factor: 1 },
  month: { unit: 'month', factor: 1 },
  months: { unit: 'month', factor: 1 },
  y: { unit: 'month', factor: 12 },
  yr: { unit: 'month', factor: 12 },
  year: { unit: 'month', factor: 12 },
  years: { unit: 'month', factor: 12 },
};

/** A review interval such as `90d`, `6mo` or `1y`; months and years stay calendar months. */
export function parseReviewInterval(text: string): ReviewInterval | null {
  const match = /^(\d+)\s*([a-z]+)$/.exec(text.trim().toLowerCase());
  if (!match) return null;
  const unit = REVIEW_UNITS[match[2] as string];
  const amount = Number(match[1]) * (unit?.factor ?? 0);
  if (!unit || amount <= 0 || amount > 120 * (unit.unit === 'day' ? 31 : 1)) return null;
  return { amount, unit: unit.unit };
}

/** How often a review is due, in words: "yearly", "every 6 months", "every 90 days". */
export function describeReview(text: string): string {
  const interval = parseReviewInterval(text);
  if (!interval) return `every ${text}`;
  const { amount, unit } = interval;
  if (unit === 'month' && amount % 12 === 0) return amount === 12 ? 'yearly' : `every ${amount / 12} years`;
  if (amount === 1) return unit === 'month' ? 'monthly' : 'daily';
  if (unit === 'day' && amount % 7 === 0) return amount === 7 ? 'weekly' : `every ${amount / 7} weeks`;
  return `every ${amount} ${unit}s`;
}

/** The date a text reviewed at `from` is next due for review. */
export function nextReview(interval: ReviewInterval, from: Date): Date {
  const next = new Date(from.getTime());
  if (interval.unit === 'day') {
    next.setUTCDate(next.getUTCDate() + interval.amount);
    return next;
  }
  // Calendar months: Jan 31 + 1mo is the last day of February, not an overflow into March.
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + interval.amount);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next;
}

/** How long an overdue step waits before it is escalated: a duration, or working days (Monday to Friday). */
export type EscalateAfter = { kind: 'minutes'; minutes: number } | { kind: 'working-days'; days: number };

/** The grace time when a runbook does not say: one working day after the step was due. */
export const DEFAULT_ESCALATE: EscalateAfter = { kind: 'working-days', days: 1 };

/** `escalate: 4h`, `30m`, `2d`, `1 working day`, `2 working days`; at most 30 days. Null for anything else. */
export function parseEscalate(text: string): EscalateAfter | null {
  const source = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const working = /^(\d{1,2}) ?(?:working|business) ?days?$/.exec(source);
  if (working) {
    const days = Number(working[1]);
    return days >= 1 && days <= 30 ? { kind: 'working-days', days } : null;
  }
  const minutes = sumParts(source, { ...MINUTE_UNITS, ...DAY_UNITS });
  return minutes !== null && minutes > 0 && minutes <= 30 * 1440 ? { kind: 'minutes', minutes } : null;
}

/**
 * When a step due at `due` is escalated. Working days skip Saturdays and Sundays (server time):
 * a step due on Friday at 17:00 with one working day of grace escalates on Monday at 17:00.
 */
export function escalateAt(due: Date, after: EscalateAfter): Date {
  if (after.kind === 'minutes') return new Date(due.getTime() + after.minutes * 60_000);
  const at = new Date(due.getTime());
  for (let left = after.days; left > 0; ) {
    at.setDate(at.getDate() + 1);
    if (at.getDay() !== 0 && at.getDay() !== 6) left--;
  }
  return at;
}
