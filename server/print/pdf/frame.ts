/// <reference types="pdfkit" />
import { fontFor } from './fonts';
import type { Run } from './markdown';

/**
 * Where drawing happens: the document, the column, and the page's lowest point. The writer
 * draws every piece twice with the same code: once on a scratch page taller than anything
 * (bottom = Infinity, to measure it), then for real, where a piece that does not fit starts a
 * page. Every draw function starts at `doc.y` and leaves `doc.y` below what it drew.
 */
export interface Frame {
  doc: PDFKit.PDFDocument;
  left: number;
  width: number;
  top: number;
  bottom: number;
  /** The height a page has for content (the same while measuring). */
  pageHeight: number;
  /** Starts a new page (never called while measuring). */
  newPage(): void;
}

export const INK = '#000000';
export const MUTED = '#444444';
export const LINE = '#808080';

export const SIZE = { body: 9.5, small: 8, meta: 8.5, stepTitle: 11.5, title: 18, group: 13, code: 8 } as const;
export const LINE_GAP = 1.5;

const LONG_WORD = /[^\s\u200b]{120,}/gu;

/**
 * pdfkit splits a word longer than a line letter by letter, in time that grows with the square
 * of its length (10,000 letters: seconds). Long words get a break opportunity, a zero-width
 * space, every 60 characters first; shorter ones are left alone (an address stays copyable).
 */
export const breakable = (text: string) =>
  text.length < 120 ? text : text.replace(LONG_WORD, (word) => word.replace(/(.{60})/gsu, '$1\u200b'));

/** Inline runs as one flowing paragraph at (x, doc.y); returns nothing, leaves doc.y below it. */
export function drawRuns(
  f: Frame,
  runs: Run[],
  x: number,
  width: number,
  size: number,
  base: { bold?: boolean; color?: string } = {},
): void {
  const { doc } = f;
  const list = trimRuns(runs);
  if (list.length === 0) return;
  const y = doc.y;
  list.forEach((run, i) => {
    doc
      .font(fontFor({ bold: base.bold || run.bold, italic: run.italic, code: run.code }))
      .fontSize(run.code ? size * 0.92 : size)
      .fillColor(run.muted ? MUTED : (base.color ?? INK));
    const options: PDFKit.Mixins.TextOptions = {
      width,
      lineGap: LINE_GAP,
      continued: i < list.length - 1,
      strike: run.strike ?? false,
      ...(run.link ? { link: run.link } : {}),
    };
    if (i === 0) doc.text(breakable(run.text), x, y, options);
    else doc.text(breakable(run.text), options);
  });
  doc.fillColor(INK);
}

/** Leading and trailing line breaks would leave empty lines; an empty run list draws nothing. */
function trimRuns(runs: Run[]): Run[] {
  const list = runs.filter((r) => r.text !== '');
  while (list.length > 0 && /^\s*$/.test(list[0]?.text ?? 'x') && list[0]?.text.includes('\n')) list.shift();
  while (list.length > 0 && /^\s*$/.test(list.at(-1)?.text ?? 'x') && list.at(-1)?.text.includes('\n')) list.pop();
  return list;
}

/** A box to tick by hand at (x, y), with a tick in it when `ticked`. */
export function drawBox(f: Frame, x: number, y: number, size: number, mark: '' | '✓' | '–'): void {
  const { doc } = f;
  doc
    .save()
    .lineWidth(size > 11 ? 1.3 : 1)
    .strokeColor(INK)
    .rect(x, y, size, size)
    .stroke()
    .restore();
  if (mark) {
    doc
      .font('bold')
      .fontSize(size * 0.85)
      .fillColor(INK)
      .text(mark, x, y + size * 0.08, { width: size, align: 'center', lineBreak: false });
  }
}

/** "Initials ____  Date ____" at (x, y) within `width`: the room to sign a step or a check by hand. */
export function drawSignBlanks(f: Frame, x: number, y: number, width: number): number {
  const { doc } = f;
  doc.font('regular').fontSize(SIZE.small).fillColor(MUTED);
  const initials = doc.widthOfString('Initials ');
  const date = doc.widthOfString('Date ');
  const gap = 8;
  const lines = width - initials - date - gap;
  const first = Math.max(20, lines * 0.42);
  const second = Math.max(20, lines - first);
  const base = y + SIZE.small + 1;
  doc.text('Initials', x, y, { lineBreak: false });
  doc.text('Date', x + initials + first + gap, y, { lineBreak: false });
  doc
    .save()
    .lineWidth(0.7)
    .strokeColor(INK)
    .moveTo(x + initials, base)
    .lineTo(x + initials + first, base)
    .moveTo(x + initials + first + gap + date, base)
    .lineTo(x + initials + first + gap + date + second, base)
    .stroke()
    .restore();
  doc.fillColor(INK);
  return base + 2;
}

/** A thin horizontal rule across the column at doc.y. */
export function drawRule(f: Frame, x: number, width: number, color = LINE, lineWidth = 0.6): void {
  const y = f.doc.y;
  f.doc
    .save()
    .lineWidth(lineWidth)
    .strokeColor(color)
    .moveTo(x, y)
    .lineTo(x + width, y)
    .stroke()
    .restore();
}
