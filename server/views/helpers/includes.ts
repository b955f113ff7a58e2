/**
 * `(includes list value)`: whether a form's sent value (one string, or several) holds this one,
 * e.g. to keep a ticked checkbox ticked when the form comes back with an error.
 */
export function includes(list: unknown, value: unknown): boolean {
  if (list === undefined || list === null) return false;
  return [list].flat().map(String).includes(String(value));
}
