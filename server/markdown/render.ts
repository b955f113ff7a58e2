import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * The only place Markdown becomes HTML. Runbook text is written by the team but shown to
 * everyone (outsourcers included), so whatever it holds, the HTML that leaves here has no
 * script, no event handlers, no style, and links only to http(s), mailto and tel.
 */
/** Raise when the rules below change: stored HTML is rendered again at the next start. */
export const RENDERER_VERSION = '1';

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img', 'input',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub', 'kbd',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    input: ['type', 'checked', 'disabled'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // Task-list boxes in rendered text are pictures of the file, never live controls.
    input: (tagName, attribs) =>
      attribs.type === 'checkbox'
        ? { tagName, attribs: { type: 'checkbox', disabled: '', ...(attribs.checked !== undefined ? { checked: '' } : {}) } }
        : { tagName: 'span', attribs: {} },
  },
};

// Versions never change, so the same text is rendered again and again (every run page shows
// every step); a bounded memo keeps that off the hot path.
const cache = new Map<string, string>();
const CACHE_LIMIT = 5000;

export function renderMarkdown(source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(markdown.parse(source) as string, SANITIZE);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, html);
  return html;
}

/** One line of Markdown (a check, a title) as inline HTML, sanitised the same way. */
export function renderInlineMarkdown(source: string): string {
  const key = `\u0000inline\u0000${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(markdown.parseInline(source) as string, SANITIZE);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, html);
  return html;
}
