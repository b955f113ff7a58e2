/** `(or a b)`: the first value that is set, e.g. a form's typed value or else its default. */
export function or(...args: unknown[]): unknown {
  const values = args.slice(0, -1); // the last argument is Handlebars' options object
  return values.find((value) => value !== undefined && value !== null && value !== '') ?? '';
}
