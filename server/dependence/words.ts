import type { IncomeKey } from './workload';

/** Figures as an owner reads them: "3 h 20 min", "1 Jan", "40.00", never ISO dates or cron. */

/** Whole minutes as "3 h 20 min" ("0 min" for nothing). */
export function duration(minutes: number): string {
  const whole = Math.round(minutes);
  if (whole <= 0) return '0 min';
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Cents as money without a currency (the app does not know it): "1,240.50". */
export const money = (cents: number) => (cents / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const sameYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const withYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const sameYearUtc = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const withYearUtc = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short' });
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

/** An instant as its day in server time: "1 Jan", with the year only when it is not this year's. */
export function day(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return (date.getFullYear() === now.getFullYear() ? sameYear : withYear).format(date);
}

/** An instant as "Thu 1 Jan". */
export const dayWithWeekday = (iso: string, now: Date = new Date()) => `${weekday.format(new Date(iso))} ${day(iso, now)}`;

/** A calendar day (YYYY-MM-DD, as absences are kept) as "22 Dec". */
export function calendarDay(ymd: string, now: Date = new Date()): string {
  const date = new Date(`${ymd}T00:00:00Z`);
  return (date.getUTCFullYear() === now.getUTCFullYear() ? sameYearUtc : withYearUtc).format(date);
}

/** "2026-07" as "Jul". */
export const month = (ym: string) => monthName.format(new Date(`${ym}-01T00:00:00Z`));

export const INCOME_LABELS: Record<IncomeKey, string> = {
  direct: 'brings money in',
  indirect: 'supports income',
  none: 'no income',
  unset: 'income not set',
};

/** "4 runs a month" / "about 2.3 runs a month". */
export function runsText(runsPerMonth: number): string {
  if (runsPerMonth === 0) return 'no runs a month';
  if (Number.isInteger(runsPerMonth)) return `${runsPerMonth} run${runsPerMonth === 1 ? '' : 's'} a month`;
  return `about ${runsPerMonth.toFixed(1)} runs a month`;
}

export const plural = (n: number, noun: string) => `${n.toLocaleString('en-GB')} ${noun}${n === 1 ? '' : 's'}`;
