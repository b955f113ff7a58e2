/** `{{minutes 90}}` → "1 h 30 min": an estimate as people say it. */
export function minutes(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return '';
  const hours = Math.floor(value / 60);
  const rest = Math.round(value % 60);
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
