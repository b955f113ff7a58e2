/** `(concat "field-" position "-" @index)`: parts joined into one string (an element id from several values). */
export function concat(...args: unknown[]): string {
  // Handlebars passes its options object last.
  return args
    .slice(0, -1)
    .map((part) => (part === undefined || part === null ? '' : String(part)))
    .join('');
}
