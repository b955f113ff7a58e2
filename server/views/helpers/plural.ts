/** `{{plural count "step"}}` → "1 step", "3 steps". */
export function plural(count: unknown, noun: unknown): string {
  const n = typeof count === 'number' ? count : 0;
  return `${n} ${String(noun)}${n === 1 ? '' : 's'}`;
}
