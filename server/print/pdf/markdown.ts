import { Lexer, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * A step's Markdown as simple blocks for the PDF, from marked's tokens (the same lexer the
 * renderer and the check extractor use). Nothing is fetched (an image is its alt text), raw
 * HTML is reduced to its text, and whatever the Markdown holds, the result is plain data the
 * writer can lay out: at worst, the source as written.
 */

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  link?: string;
  muted?: boolean;
}

interface Placed {
  /** Nesting depth of lists (0 at the top), capped so text keeps a usable width. */
  indent: number;
  /** How many block quotes it is in. */
  quote: number;
}

export type Block =
  | (Placed & { kind: 'text'; runs: Run[]; heading: number; marker: string | null })
  /** A task item that is one of the step's checks (the n-th). */
  | (Placed & { kind: 'check'; index: number; runs: Run[]; box: 'check' })
  /** A task item that is not tracked as a check: a box, without room to sign. */
  | (Placed & { kind: 'check'; index: null; runs: Run[]; box: 'plain' })
  | (Placed & { kind: 'code'; text: string })
  | (Placed & { kind: 'table'; header: string[]; rows: string[][]; align: ('left' | 'right' | 'center')[] })
  | (Placed & { kind: 'rule' });

export const MAX_INDENT = 5;
const MAX_DEPTH = 40;

/** The schemes the sanitiser lets links have on the page (server/markdown/render.ts). */
const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references as the browser would show them (marked leaves them in the text). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Raw HTML in the Markdown, as its text only (no script or style content, as on the page). */
const htmlText = (html: string) => decodeEntities(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }));

/** Text without control characters a font has no glyph for (tabs become spaces). */
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const clean = (text: string) => text.replace(/\t/g, '    ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

function inline(tokens: Token[] | undefined, style: Omit<Run, 'text'>, depth: number): Run[] {
  const runs: Run[] = [];
  for (const token of tokens ?? []) {
    const t = token as Tokens.Generic;
    const inner = (extra: Omit<Run, 'text'>) =>
      depth > MAX_DEPTH ? [{ ...style, ...extra, text: clean(String(t.text ?? '')) }] : inline(t.tokens, { ...style, ...extra }, depth + 1);
    switch (token.type) {
      case 'strong':
        runs.push(...inner({ bold: true }));
        break;
      case 'em':
        runs.push(...inner({ italic: true }));
        break;
      case 'del':
        runs.push(...inner({ strike: true }));
        break;
      case 'codespan':
        runs.push({ ...style, code: true, text: clean(decodeEntities(String(t.text))) });
        break;
      case 'br':
        runs.push({ ...style, text: '\n' });
        break;
      case 'checkbox':
        break;
      case 'html':
        runs.push({ ...style, text: clean(htmlText(String(t.text ?? t.raw))) });
        break;
      case 'image':
        runs.push({ ...style, italic: true, text: `[image: ${clean(decodeEntities(String(t.text || 'no description')))}]` });
        break;
      case 'link': {
        const href = String(t.href ?? '');
        // Only addresses the page would link to become live links; any other is shown as text.
        const label = inner(SAFE_LINK.test(href) ? { link: href } : {});
        runs.push(...label);
        const shown = label.map((r) => r.text).join('');
        if (href && shown.trim() !== href && `mailto:${shown.trim()}` !== href)
          runs.push({ ...style, muted: true, text: ` (${clean(href)})` });
        break;
      }
      default:
        if (Array.isArray(t.tokens) && t.tokens.length > 0) runs.push(...inner({}));
        else runs.push({ ...style, text: clean(decodeEntities(String(t.text ?? t.raw ?? ''))) });
    }
  }
  return runs.filter((r) => r.text !== '');
}

/** A table cell (or anything inline) as plain text, links with their address. */
export const plainText = (runs: Run[]) =>
  runs
    .map((r) => r.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

const ALIGNS = new Set(['left', 'right', 'center']);

export function markdownBlocks(markdown: string, options: { checks: boolean }): Block[] {
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(markdown);
  } catch {
    // Nested too deep for the lexer: the text as written (the importer refuses such files anyway).
    return [{ kind: 'code', text: clean(markdown), indent: 0, quote: 0 }];
  }
  const blocks: Block[] = [];
  let checkIndex = 0;

  const visit = (list: Token[], indent: number, quote: number, depth: number, marker: string | null) => {
    const at = { indent: Math.min(indent, MAX_INDENT), quote: Math.min(quote, MAX_INDENT) };
    let pendingMarker = marker;
    const takeMarker = () => {
      const m = pendingMarker;
      pendingMarker = null;
      return m;
    };
    for (const token of list) {
      const t = token as Tokens.Generic;
      if (depth > MAX_DEPTH) {
        // Deeper than anyone writes on purpose: the rest as written, a line each, without its indentation.
        const raw = String(t.raw ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .join('\n');
        if (raw) blocks.push({ kind: 'text', runs: [{ text: clean(raw) }], heading: 0, marker: takeMarker(), ...at });
        continue;
      }
      switch (token.type) {
        case 'space':
        case 'def':
        case 'checkbox':
          break;
        case 'paragraph':
        case 'text': {
          const runs = Array.isArray(t.tokens) ? inline(t.tokens, {}, depth) : [{ text: clean(decodeEntities(String(t.text ?? ''))) }];
          if (runs.length > 0) blocks.push({ kind: 'text', runs, heading: 0, marker: takeMarker(), ...at });
          break;
        }
        case 'heading':
          blocks.push({
            kind: 'text',
            runs: inline(t.tokens, { bold: true }, depth),
            heading: Number(t.depth) || 3,
            marker: takeMarker(),
            ...at,
          });
          break;
        case 'code':
          blocks.push({ kind: 'code', text: clean(String(t.text ?? '')), ...at });
          break;
        case 'hr':
          blocks.push({ kind: 'rule', ...at });
          break;
        case 'html': {
          const text = htmlText(String(t.text ?? '')).trim();
          if (text) blocks.push({ kind: 'text', runs: [{ text: clean(text) }], heading: 0, marker: takeMarker(), ...at });
          break;
        }
        case 'blockquote':
          visit(t.tokens ?? [], indent, quote + 1, depth + 1, takeMarker());
          break;
        case 'list': {
          const listToken = token as Tokens.List;
          const start = typeof listToken.start === 'number' ? listToken.start : 1;
          listToken.items.forEach((item, i) => {
            const itemMarker = listToken.ordered ? `${start + i}.` : '•';
            if (item.task) {
              // The item's own text is the check (as extractChecks reads it); the rest follows under it.
              const own = item.tokens.findIndex((x) => x.type === 'text' || x.type === 'paragraph');
              const first = item.tokens[own] as Tokens.Generic | undefined;
              const runs = first ? inline(first.tokens, {}, depth + 1) : [];
              const placed = { indent: Math.min(indent + 1, MAX_INDENT), quote: at.quote };
              visit(item.tokens.slice(0, Math.max(own, 0)), indent + 1, quote, depth + 1, null);
              if (options.checks) blocks.push({ kind: 'check', index: checkIndex++, runs, box: 'check', ...placed });
              else blocks.push({ kind: 'check', index: null, runs, box: 'plain', ...placed });
              visit(own >= 0 ? item.tokens.slice(own + 1) : item.tokens, indent + 1, quote, depth + 1, null);
            } else {
              visit(item.tokens, indent + 1, quote, depth + 1, itemMarker);
            }
          });
          break;
        }
        case 'table': {
          const table = token as Tokens.Table;
          blocks.push({
            kind: 'table',
            header: table.header.map((cell) => plainText(inline(cell.tokens, {}, depth))),
            rows: table.rows.map((row) => row.map((cell) => plainText(inline(cell.tokens, {}, depth)))),
            align: table.align.map((a) => (a && ALIGNS.has(a) ? a : 'left')),
            ...at,
          });
          break;
        }
        default:
          if (Array.isArray(t.tokens)) visit(t.tokens, indent, quote, depth + 1, takeMarker());
          else if (typeof t.text === 'string' && t.text.trim())
            blocks.push({ kind: 'text', runs: [{ text: clean(t.text) }], heading: 0, marker: takeMarker(), ...at });
      }
    }
  };
  visit(tokens, 0, 0, 0, null);
  return blocks;
}
