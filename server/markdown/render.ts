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

/**
 * The elements Markdown makes of headings, paragraphs, lists, quotes, code, links, images,
 * task boxes and tables: kept by this sanitiser, and by the importer's (server/imports/html.ts),
 * which reads HTML into Markdown and so keeps exactly what Markdown can say.
 */
export const BLOCK_AND_TEXT_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'del',
  's',
  'a',
  'img',
  'input',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
] as const;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...BLOCK_AND_TEXT_TAGS, 'sup', 'sub', 'kbd'],
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
        : { tagName, attribs },
  },
  // Any other input is dropped whole (renaming it would leave an unbalanced closing tag).
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Markdown nested thousands of levels deep overflows the parser's stack. Such text is shown
 * as it was written rather than failing the request (the importer refuses it anyway).
 */
function safely(render: () => string, source: string): string {
  try {
    return sanitizeHtml(render(), SANITIZE);
  } catch (error) {
    if (error instanceof RangeError) return `<pre>${escapeHtml(source)}</pre>`;
    throw error;
  }
}

/** Markdown to sanitised HTML. Called when a version is saved; the result is stored. */
export function renderMarkdown(source: string): string {
  return safely(() => markdown.parse(source) as string, source);
}

/** One line of Markdown (a check, a title) as inline HTML, sanitised the same way. */
export function renderInlineMarkdown(source: string): string {
  return safely(() => markdown.parseInline(source) as string, source);
}
