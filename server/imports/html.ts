import sanitizeHtml from 'sanitize-html';
import TurndownService from 'turndown';
import { BLOCK_AND_TEXT_TAGS } from '../markdown/render';
import { htmlTree } from './html-tree';

/**
 * HTML (a web page, a Google Docs "Web page" download) to Markdown.
 * The HTML is sanitised first with an allow-list, so scripts, styles, event handlers and
 * links to anything but http(s), mailto and tel are gone before a word is converted: what
 * comes out is Markdown, never HTML to store.
 */

const KEEP: sanitizeHtml.IOptions = {
  // Word and pasted pages write bold and italic as b and i.
  allowedTags: [...BLOCK_AND_TEXT_TAGS, 'b', 'i'],
  allowedAttributes: {
    h1: ['data-title'],
    a: ['href'],
    img: ['src', 'alt'],
    input: ['type', 'checked'],
    ol: ['start', 'data-level'],
    ul: ['data-level'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Elements nested deeper than any document needs are dropped (their text kept): the
  // converter's work grows with the depth, and no procedure is 60 boxes deep.
  nestingLimit: 60,
  // Text inside these is not text a reader sees on the page.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object', 'svg', 'math'],
  transformTags: {
    // Google Docs marks its Title paragraph with a class; Word's Title style comes the same way.
    p: markTitle,
    h1: markTitle,
    // Google Docs writes a nested list as a sibling list whose class ends in its depth.
    ul: nestedList,
    ol: nestedList,
    // Links through a redirector (Google Docs wraps every link) keep their real target.
    a: (tagName, attribs): sanitizeHtml.Tag => ({ tagName, attribs: attribs.href ? { href: unwrapRedirect(attribs.href) } : {} }),
  },
};

/**
 * A paragraph in the Title style (Word's, Google Docs') is the document's title: every
 * heading after it sits one level below it, as the writer meant.
 */
function markTitle(_tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  if (/(?:^|\s)title(?:\s|$)/.test(attribs.class ?? '')) return { tagName: 'h1', attribs: { 'data-title': '1' } };
  return { tagName: _tagName, attribs };
}

function nestedList(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const depth = /lst-kix_\w+-(\d+)/.exec(attribs.class ?? '')?.[1];
  const kept: sanitizeHtml.Attributes = {};
  if (attribs.start) kept.start = attribs.start;
  if (depth && depth !== '0') kept['data-level'] = depth;
  return { tagName, attribs: kept };
}

function unwrapRedirect(href: string): string {
  const match = /^https:\/\/www\.google\.com\/url\?(.*)$/.exec(href);
  if (!match) return href;
  const target = new URLSearchParams(match[1]).get('q');
  return target && /^https?:\/\//.test(target) ? target : href;
}

/** The little of the DOM these rules read (the project compiles without the DOM's types). */
interface DomNode {
  nodeName: string;
  parentNode: DomNode | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  getElementsByTagName(name: string): ArrayLike<DomNode>;
}
const dom = (node: unknown) => node as DomNode;

/** Each table's first row, looked up once: asked for every row, a table of 4,000 rows took 4 s. */
const firstRows = new WeakMap<DomNode, DomNode | undefined>();

function turndown(): TurndownService {
  const service = new TurndownService({ headingStyle: 'atx', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '*' });
  // Turndown runs thirteen replacements over every text node; most text has nothing to escape,
  // and the check that says so is a tenth of the cost (a 1 MB page spends 0.1 s here otherwise).
  const escapeAll = service.escape.bind(service);
  service.escape = (text: string) => (NEEDS_ESCAPE.test(text) ? escapeAll(text) : text);
  service.addRule('taskBox', {
    filter: (node) => node.nodeName === 'INPUT' && dom(node).getAttribute('type') === 'checkbox',
    replacement: (_content, node) => (dom(node).hasAttribute('checked') ? '[x] ' : '[ ] '),
  });
  service.addRule('heading', {
    filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
    replacement: (content, node) => {
      const level = dom(node).hasAttribute('data-title') ? 1 : Math.min(6, Number(node.nodeName.charAt(1)) + headingShift);
      const text = content.replace(/\s+/g, ' ').trim();
      return text === '' ? '' : `\n\n${'#'.repeat(level)} ${text}\n\n`;
    },
  });
  service.addRule('deeperList', {
    filter: (node) => (node.nodeName === 'UL' || node.nodeName === 'OL') && Number(dom(node).getAttribute('data-level')) > 0,
    replacement: (content, node) => {
      const indent = ' '.repeat(4 * Number(dom(node).getAttribute('data-level')));
      return `\n\n${content.replace(/\n+$/, '').replace(/^(?=.)/gm, indent)}\n\n`;
    },
  });
  // Tables become GitHub tables (turndown's core writes only their cells' text).
  service.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content) => ` ${content.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()} |`,
  });
  service.addRule('tableRow', {
    filter: 'tr',
    replacement: (content, node) => {
      const row = dom(node);
      let table = row.parentNode;
      while (table && table.nodeName !== 'TABLE') table = table.parentNode;
      if (table && !firstRows.has(table)) firstRows.set(table, table.getElementsByTagName('tr')[0]);
      const first = table !== null && firstRows.get(table) === row;
      const cells = row.getElementsByTagName('td').length + row.getElementsByTagName('th').length;
      return `|${content}\n${first ? `|${' --- |'.repeat(Math.max(1, cells))}\n` : ''}`;
    },
  });
  service.addRule('tableSection', { filter: ['thead', 'tbody', 'tfoot'], replacement: (content) => content });
  service.addRule('table', { filter: 'table', replacement: (content) => `\n\n${content.trim()}\n\n` });
  return service;
}

/** Whether turndown's escapes would change the text: a character it escapes anywhere, or one it escapes at the start. */
const NEEDS_ESCAPE = /[\\*`[\]_]|^[-+=#~>\d]/;

let service: TurndownService | null = null;
let headingShift = 0;

/** HTML as the allow-list leaves it: what the converter reads. */
export function cleanHtml(html: string): string {
  return sanitizeHtml(html, KEEP);
}

/**
 * Sanitised HTML as Markdown. Clean HTML is read into html-tree's small DOM unless HTML5 would
 * repair its structure; then, and with `parse: 'domino'` (for the test that holds the two
 * equal), turndown parses the string itself.
 */
export function htmlToMarkdown(html: string, parse: 'tree' | 'domino' = 'tree'): string {
  const clean = cleanHtml(html);
  service ??= turndown();
  headingShift = clean.includes('<h1 data-title="1">') ? 1 : 0;
  const tree = parse === 'tree' ? htmlTree(clean) : null;
  return service.turndown(tree ? (tree as unknown as TurndownService.Node) : clean).replace(/\u00a0/g, ' ');
}

/** Text as turndown escapes it (Word documents are written to Markdown without HTML: see docx.ts). */
export function escapeMarkdownText(text: string): string {
  service ??= turndown();
  return service.escape(text);
}

/** Whether text that came as "text" is in fact a web page (pasted source, a .html saved as .txt). */
export function looksLikeHtml(text: string): boolean {
  const start = text.trimStart().slice(0, 500).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || /^<(?:meta|body|div|p|h[1-6]|ul|ol|table)[\s>]/.test(start);
}
