import Handlebars from 'handlebars';

const OPEN = '\u0002';
const CLOSE = '\u0003';

/**
 * `{{highlight text}}`: text from SQLite's `snippet()` or `highlight()` with the matched words
 * between \x02 and \x03. The text is HTML-escaped first; only then do the markers become
 * `<mark>` tags. A marker that does not pair up (the stored text held one) is dropped.
 */
export function highlight(value: unknown): Handlebars.SafeString {
  if (typeof value !== 'string') return new Handlebars.SafeString('');
  let html = '';
  let open = false;
  // eslint-disable-next-line no-control-regex -- SQLite's snippet() marks matches with these two characters
  for (const part of value.split(/([\u0002\u0003])/)) {
    if (part === OPEN) {
      if (!open) html += '<mark>';
      open = true;
    } else if (part === CLOSE) {
      if (open) html += '</mark>';
      open = false;
    } else {
      html += Handlebars.escapeExpression(part);
    }
  }
  return new Handlebars.SafeString(open ? `${html}</mark>` : html);
}
