/**
 * The schedule as the structured editor offers it ("every weekday at 09:00", "weekly on Monday",
 * "monthly on the 1st"), mapped to and from the five-field cron the format stores. A stored cron
 * the form cannot say is kept as it is and shown in words.
 */

export const SCHEDULE_KINDS = ['none', 'daily', 'weekdays', 'weekly', 'monthly', 'kept'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export interface ScheduleForm {
  kind: ScheduleKind;
  /** Weekday for "weekly": 0 Sunday … 6 Saturday, as text. */
  day: string;
  /** Day of the month for "monthly", 1–28 (every month has them). */
  date: string;
  /** HH:MM, 24-hour. */
  time: string;
  /** The stored cron when the form cannot express it (kind "kept"). */
  kept: string;
}

export const MONTH_DAYS_MAX = 28;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export const emptySchedule = (): ScheduleForm => ({ kind: 'none', day: '1', date: '1', time: '09:00', kept: '' });

const inRange = (text: string, min: number, max: number) => /^\d{1,2}$/.test(text) && Number(text) >= min && Number(text) <= max;

/** The form for a stored cron; shapes it cannot say come back as kind "kept". */
export function scheduleToForm(cron: string | null): ScheduleForm {
  const form = emptySchedule();
  if (cron === null) return form;
  const parts = cron.trim().split(/\s+/);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = parts;
  const kept = { ...form, kind: 'kept' as const, kept: cron };
  if (parts.length !== 5 || month !== '*' || !inRange(minute, 0, 59) || !inRange(hour, 0, 23)) return kept;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  if (dom === '*' && dow === '*') return { ...form, kind: 'daily', time };
  if (dom === '*' && dow === '1-5') return { ...form, kind: 'weekdays', time };
  if (dom === '*' && /^[0-7]$/.test(dow)) return { ...form, kind: 'weekly', day: String(Number(dow) % 7), time };
  if (dow === '*' && inRange(dom, 1, MONTH_DAYS_MAX)) return { ...form, kind: 'monthly', date: String(Number(dom)), time };
  return kept;
}

/** Why the chosen schedule cannot be stored, in words for the field it concerns, or null. */
export function scheduleProblem(form: ScheduleForm): { field: 'schedule-time' | 'schedule-day' | 'schedule-date'; message: string } | null {
  if (form.kind === 'none' || form.kind === 'kept') return null;
  if (!TIME.test(form.time)) return { field: 'schedule-time', message: 'Choose a time of day, such as 09:00.' };
  if (form.kind === 'weekly' && !inRange(form.day, 0, 6)) return { field: 'schedule-day', message: 'Choose a day of the week.' };
  if (form.kind === 'monthly' && !inRange(form.date, 1, MONTH_DAYS_MAX)) {
    return { field: 'schedule-date', message: `Choose a day of the month from the 1st to the ${MONTH_DAYS_MAX}th.` };
  }
  return null;
}

/**
 * The cron to store for the form, or null for no schedule. `stored` is the cron the runbook had:
 * when the form still says the same, it is kept as written ("0 9 * * 1-5" stays, "00 09 …" too).
 */
export function formToCron(form: ScheduleForm, stored: string | null): string | null {
  if (form.kind === 'none') return null;
  if (form.kind === 'kept') return form.kept.trim() || null;
  if (stored !== null && sameSchedule(scheduleToForm(stored), form)) return stored;
  const [hour = '9', minute = '0'] = form.time.split(':');
  const at = `${Number(minute)} ${Number(hour)}`;
  switch (form.kind) {
    case 'daily':
      return `${at} * * *`;
    case 'weekdays':
      return `${at} * * 1-5`;
    case 'weekly':
      return `${at} * * ${Number(form.day)}`;
    case 'monthly':
      return `${at} ${Number(form.date)} * *`;
  }
}

function sameSchedule(a: ScheduleForm, b: ScheduleForm): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'kept') return a.kept === b.kept;
  const time = (t: string) => t.replace(/^(\d):/, '0$1:');
  if (time(a.time) !== time(b.time)) return false;
  if (a.kind === 'weekly') return Number(a.day) === Number(b.day);
  if (a.kind === 'monthly') return Number(a.date) === Number(b.date);
  return true;
}
