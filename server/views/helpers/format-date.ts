/**
 * `{{formatDate iso}}`: a timestamp as people read it ("22 Nov 2026, 14:05"), in the server's
 * time zone; `{{formatDate iso "date"}}` for the date alone. Empty for no date.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export function formatDate(value: unknown, style?: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return (style === 'date' ? dateOnly : dateTime).format(date);
}
