/**
 * `{{formatDate iso}}`: a timestamp as people read it ("22 Nov 2026, 14:05"), in the server's
 * time zone; `{{formatDate iso "date"}}` for the date alone. Empty for no date.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
// A calendar day ("2026-12-24", an absence) is a day everywhere: read in any other zone, UTC
// midnight could fall on the day before.
const calendarDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatDate(value: unknown, style?: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return calendarDay.format(new Date(`${value}T00:00:00Z`));
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return (style === 'date' ? dateOnly : dateTime).format(date);
}

/** A calendar day ("2026-12-06") as people write it ("6 Dec 2026"), for messages built outside a template. */
export function formatDay(day: string): string {
  return formatDate(day) || day;
}
