import { readBody, type Block, type Inline } from './docx-body';
import { readPackage } from './docx-package';
import { escapeMarkdownText } from './html';

/**
 * A Word document (.docx) as Markdown, written the way the HTML path writes a page (turndown's
 * escaping and list layout, GitHub tables), so a Word file and the same text as a web page
 * come out alike. Reading is in docx-package.ts (the zip, styles, numbering) and docx-body.ts
 * (the body as blocks); this file only writes.
 */

export interface WordMarkdown {
  markdown: string;
  pictures: number;
  /** Links to javascript: and the like whose text was kept without the link. */
  droppedScripts: number;
}

/** Throws an Error that says in plain words why a file cannot be read. */
export function wordToMarkdown(bytes: Uint8Array): WordMarkdown {
  const body = readBody(readPackage(bytes));
  return { markdown: writeBlocks(body.blocks), pictures: body.pictures, droppedScripts: body.droppedScripts };
}

/** Bold and italic keep their spaces outside the markers, as turndown writes them ("**a** b"). */
function wrap(text: string, marker: string): string {
  if (text.trim() === '') return text;
  const [, before = '', middle = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  return `${before}${marker}${middle}${marker}${after}`;
}

/** Text's own whitespace is collapsed to spaces first, so a newline is only ever a line break. */
const LINE_BREAK = '\n';

/**
 * Whitespace as a browser shows it: runs of it are one space, none at the start of a line. So
 * the escaping sees a line's real first character ("- not a list" is escaped, " - " would not be).
 */
function collapseSpaces(inlines: Inline[]): Inline[] {
  let lineStart = true;
  return inlines.map((inline) => {
    if (inline.text === undefined) {
      lineStart = inline.lineBreak === true;
      return inline;
    }
    let text = inline.text.replace(/[ \t\r\n]+/g, ' ');
    if (lineStart) text = text.replace(/^ /, '');
    if (text !== '') lineStart = false;
    return { ...inline, text };
  });
}

/** Each run of like inlines (same link, bold, italic) escaped as one text, so "a" + "-b" stays "a-b". */
function writeInlines(inlines: Inline[]): string {
  // Most paragraphs are one plain run.
  const only = inlines.length === 1 ? inlines[0] : undefined;
  if (only?.text !== undefined && !only.bold && !only.italic && !only.href)
    return escapeMarkdownText(only.text.replace(/[ \t\r\n]+/g, ' ').trim());
  inlines = collapseSpaces(inlines);
  let out = '';
  let i = 0;
  while (i < inlines.length) {
    const first = inlines[i] as Inline;
    if (first.checkbox) {
      out += first.checked ? '[x] ' : '[ ] ';
      i++;
      continue;
    }
    if (first.lineBreak) {
      out += LINE_BREAK;
      i++;
      continue;
    }
    // The link: every following text inline with the same target.
    let end = i;
    while (end < inlines.length && inlines[end]?.text !== undefined && inlines[end]?.href === first.href) end++;
    let linked = '';
    let j = i;
    while (j < end) {
      const bold = inlines[j]?.bold === true;
      let k = j;
      let boldText = '';
      while (k < end && (inlines[k]?.bold === true) === bold) {
        const italic = inlines[k]?.italic === true;
        let text = '';
        while (k < end && (inlines[k]?.bold === true) === bold && (inlines[k]?.italic === true) === italic) text += inlines[k++]?.text;
        const escaped = escapeMarkdownText(text);
        boldText += italic ? wrap(escaped, '*') : escaped;
      }
      linked += bold ? wrap(boldText, '**') : boldText;
      j = k;
    }
    if (first.href && linked.trim() !== '') {
      const destination = first.href.replace(/([<>()])/g, '\\$1');
      const [, before = '', middle = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(linked) ?? [];
      out += `${before}[${middle}](${destination.includes(' ') ? `<${destination}>` : destination})${after}`;
    } else out += linked;
    i = end;
  }
  return out
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(/ ?\n ?/g, LINE_BREAK)
    .replace(/^\n+|\n+$/g, '');
}

/** Line breaks in a paragraph as Markdown's (two spaces at the end of the line), continuation lines indented. */
const withBreaks = (text: string, indent = '') => text.replace(/\n/g, `  \n${indent}`);

function writeTable(rows: Inline[][][]): string {
  const lines = rows.map(
    (cells) =>
      `|${cells.map((cell) => ` ${writeInlines(cell).replace(/\n/g, ' ').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim()} |`).join('')}`,
  );
  const width = Math.max(1, rows[0]?.length ?? 1);
  lines.splice(1, 0, `|${' --- |'.repeat(width)}`);
  return lines.join('\n');
}

export function writeBlocks(blocks: Block[]): string {
  // A Title paragraph is the document's title: every heading sits one level below it.
  const shift = blocks.some((b) => b.kind === 'title' && b.inlines.some((i) => (i.text ?? '') !== '')) ? 1 : 0;
  const parts: string[] = [];
  // Open lists, outermost first: each with its kind, its next number and its items' indent.
  let lists: { ordered: boolean; next: number; indent: string }[] = [];
  let listText = '';

  const closeLists = () => {
    if (listText !== '') parts.push(listText);
    listText = '';
    lists = [];
  };

  for (const block of blocks) {
    if (block.kind === 'item') {
      const text = writeInlines(block.inlines);
      if (text === '') continue;
      // A level deeper than the one below it opens just one level deeper.
      const level = Math.min(block.level, lists.length);
      if (level === 0 && lists[0] && lists[0].ordered !== block.ordered) closeLists();
      lists = lists.slice(0, level + 1);
      const parentIndent = level === 0 ? '' : (lists[level - 1]?.indent ?? '');
      let list = lists[level];
      if (!list || list.ordered !== block.ordered) {
        list = { ordered: block.ordered, next: 1, indent: parentIndent };
        lists[level] = list;
      }
      const prefix = block.ordered ? `${list.next++}.  ` : '-   ';
      list.indent = parentIndent + ' '.repeat(prefix.length);
      listText += `${listText === '' ? '' : '\n'}${parentIndent}${prefix}${withBreaks(text, list.indent)}`;
      continue;
    }
    closeLists();
    if (block.kind === 'table') {
      parts.push(writeTable(block.rows));
      continue;
    }
    const text = writeInlines(block.inlines);
    if (text === '') continue;
    if (block.kind === 'title') parts.push(`# ${text.replace(/\n/g, ' ').replace(/\s+/g, ' ')}`);
    else if (block.kind === 'heading') {
      parts.push(`${'#'.repeat(Math.min(6, block.level + shift))} ${text.replace(/\n/g, ' ').replace(/\s+/g, ' ')}`);
    } else parts.push(withBreaks(text));
  }
  closeLists();
  return parts.join('\n\n').replace(/\u00a0/g, ' ');
}
