/** `{{#if (eq a b)}}`: strict equality, for selected options and current nav items. */
export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}
