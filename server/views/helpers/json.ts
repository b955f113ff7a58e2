import Handlebars from 'handlebars';

/**
 * `{{json value}}`: a value as JSON inside an HTML attribute (data-*). Escaped like any other
 * output, so it cannot close the attribute or open a tag.
 */
export function json(value: unknown): Handlebars.SafeString {
  return new Handlebars.SafeString(Handlebars.escapeExpression(JSON.stringify(value ?? null)));
}
