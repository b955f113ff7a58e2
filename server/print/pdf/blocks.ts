import type { PrintCheck } from '../model';
import { breakable, drawBox, drawRule, drawRuns, drawSignBlanks, INK, LINE, LINE_GAP, MUTED, SIZE, type Frame } from './frame';
import type { Block, Run } from './markdown';

/** Drawing the blocks of pdf/markdown.ts: paragraphs, list items, checks, code, tables, rules. */

export const INDENT = 16;
const QUOTE = 10;
/** Room on the right of a step or a check for initials and a date (or who ticked it). */
export const SIGN_WIDTH = 160;
const BOX = 9;

export interface Column {
  left: number;
  width: number;
}

/** Quote bars come first (at the left, one per level), then list indentation. */
const xOf = (col: Column, block: { indent: number; quote: number }) => col.left + block.quote * QUOTE + block.indent * INDENT;

/** Who ticked a check, or the blanks to initial and date it, right-aligned in the column. */
function drawCheckSign(f: Frame, check: PrintCheck | null, right: number, y: number): number {
  if (!check) return y;
  if (!check.ticked) return drawSignBlanks(f, right - SIGN_WIDTH, y + 1, SIGN_WIDTH);
  f.doc.font('regular').fontSize(SIZE.small).fillColor(MUTED);
  f.doc.text(`✓ ${check.tickedBy ?? ''}`, right - SIGN_WIDTH, y + 1, { width: SIGN_WIDTH, align: 'right', lineGap: LINE_GAP });
  f.doc.fillColor(INK);
  return f.doc.y;
}

/** A row to tick: the box, the words, and on the right the room to sign (or who ticked it). */
export function drawCheckRow(f: Frame, col: Column, x: number, runs: Run[], check: PrintCheck | null): void {
  const { doc } = f;
  const y = doc.y + 3;
  const right = col.left + col.width;
  const signed = check !== null;
  drawBox(f, x - INDENT + 3, y + 1, BOX, check?.ticked ? '✓' : '');
  doc.y = y;
  const textWidth = Math.max(40, right - x - (signed ? SIGN_WIDTH + 10 : 0));
  drawRuns(f, runs.length > 0 ? runs : [{ text: ' ' }], x, textWidth, SIZE.body);
  const textEnd = doc.y;
  const signEnd = drawCheckSign(f, check, right, y);
  const end = Math.max(textEnd, signEnd, y + 16) + 3;
  if (signed) {
    doc
      .save()
      .lineWidth(0.4)
      .strokeColor(LINE)
      .dash(1, { space: 2 })
      .moveTo(x - INDENT + 3, end)
      .lineTo(right, end)
      .stroke()
      .undash()
      .restore();
  }
  doc.x = col.left;
  doc.y = end + 1;
}

function drawCode(f: Frame, x: number, width: number, text: string): void {
  const { doc } = f;
  const pad = 4;
  doc.font('mono').fontSize(SIZE.code);
  // Split a block taller than what is left of the page at line ends, each part with its background.
  const lines = breakable(text).split('\n');
  let start = 0;
  while (start < lines.length) {
    let end = lines.length;
    let chunk = lines.slice(start, end).join('\n');
    let height = doc.heightOfString(chunk || ' ', { width: width - 2 * pad }) + 2 * pad;
    const room = f.bottom - doc.y;
    if (height > room && Number.isFinite(room)) {
      // As many whole lines as fit; at least one (a single huge line simply flows).
      let fit = start + 1;
      for (let n = start + 1; n <= lines.length; n++) {
        if (doc.heightOfString(lines.slice(start, n).join('\n') || ' ', { width: width - 2 * pad }) + 2 * pad > room) break;
        fit = n;
      }
      if (fit === start + 1 && doc.y > f.top + 1 && doc.heightOfString(lines[start] || ' ', { width: width - 2 * pad }) + 2 * pad > room) {
        f.newPage();
        continue;
      }
      end = fit;
      chunk = lines.slice(start, end).join('\n');
      height = doc.heightOfString(chunk || ' ', { width: width - 2 * pad }) + 2 * pad;
    }
    const y = doc.y;
    doc.save().rect(x, y, width, height).fill('#f2f2f2').restore();
    doc
      .font('mono')
      .fontSize(SIZE.code)
      .fillColor(INK)
      .text(chunk || ' ', x + pad, y + pad, { width: width - 2 * pad, lineGap: 0 });
    doc.y = y + height;
    start = end;
    if (start < lines.length) f.newPage();
  }
  doc.x = x;
}

/** Column widths for a table: natural widths when they fit, else shared out with a floor. */
function columnWidths(f: Frame, table: Extract<Block, { kind: 'table' }>, n: number, width: number, size: number, pad: number): number[] {
  const { doc } = f;
  const natural: number[] = [];
  const longestWord: number[] = [];
  for (let c = 0; c < n; c++) {
    let most = 0;
    let word = 0;
    const measure = (text: string, bold: boolean) => {
      doc.font(bold ? 'bold' : 'regular').fontSize(size);
      most = Math.max(most, doc.widthOfString(text));
      for (const w of text.split(/\s+/)) word = Math.max(word, doc.widthOfString(w));
    };
    measure(table.header[c] ?? '', true);
    for (const row of table.rows) measure(row[c] ?? '', false);
    natural.push(Math.min(most, width) + 2 * pad);
    longestWord.push(Math.min(word, width / n) + 2 * pad);
  }
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= width) return natural;
  const floor = longestWord.map((w) => Math.min(w, width / n));
  const spare = width - floor.reduce((a, b) => a + b, 0);
  const wants = natural.map((w, i) => Math.max(0, w - (floor[i] ?? 0)));
  const wanted = wants.reduce((a, b) => a + b, 0) || 1;
  return floor.map((w, i) => w + (spare * (wants[i] ?? 0)) / wanted);
}

const MIN_CELL = 14;

function drawTable(f: Frame, x: number, width: number, table: Extract<Block, { kind: 'table' }>): void {
  const { doc } = f;
  const n = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  const size = n > 5 ? 7 : 8.5;
  const pad = n > 5 ? 2 : 3;
  if (n === 0) return;
  if (n * (MIN_CELL + 2 * pad) > width) {
    // Too many columns to draw legibly within the page: each row as a line of "heading: value".
    for (const row of table.rows) {
      const text = row.map((cell, i) => `${table.header[i] ?? ''}: ${cell}`).join(' · ');
      drawRuns(f, [{ text }], x, width, SIZE.small);
      doc.y += 2;
    }
    return;
  }
  table = { ...table, header: table.header.map(breakable), rows: table.rows.map((row) => row.map(breakable)) };
  const widths = columnWidths(f, table, n, width, size, pad);
  // A row taller than a page is cut short (with an ellipsis) rather than run off the page.
  const maxRow = f.pageHeight * 0.8;
  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    const tallest = Math.max(...widths.map((w, i) => doc.heightOfString(cells[i] || ' ', { width: w - 2 * pad, lineGap: 0.5 })));
    return Math.min(tallest + 2 * pad, maxRow);
  };
  const drawRow = (cells: string[], bold: boolean, height: number) => {
    const y = doc.y;
    let cx = x;
    widths.forEach((w, i) => {
      if (bold) doc.save().rect(cx, y, w, height).fill('#ececec').restore();
      doc.save().lineWidth(0.5).strokeColor(LINE).rect(cx, y, w, height).stroke().restore();
      doc
        .font(bold ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(INK)
        .text(cells[i] ?? '', cx + pad, y + pad, {
          width: w - 2 * pad,
          height: height - 2 * pad,
          ellipsis: true,
          align: table.align[i] ?? 'left',
          lineGap: 0.5,
        });
      cx += w;
    });
    doc.x = x;
    doc.y = y + height;
  };
  const headHeight = rowHeight(table.header, true);
  drawRow(table.header, true, headHeight);
  for (const row of table.rows) {
    const height = rowHeight(row, false);
    if (doc.y + height > f.bottom) {
      f.newPage();
      drawRow(table.header, true, headHeight);
    }
    drawRow(row, false, height);
  }
}

/** One block of a step's instructions at doc.y; `checks` are the step's checks when its task items are them. */
export function drawBlock(f: Frame, col: Column, block: Block, checks: PrintCheck[] | null): void {
  const { doc } = f;
  const x = xOf(col, block);
  const width = col.left + col.width - x;
  const top = doc.y;
  switch (block.kind) {
    case 'text': {
      const size = block.heading === 0 ? SIZE.body : block.heading <= 2 ? 11 : 10;
      if (block.heading > 0) doc.y += 3;
      if (block.marker) {
        const y = doc.y;
        doc
          .font('regular')
          .fontSize(size)
          .fillColor(INK)
          .text(block.marker, x - INDENT, y, { width: INDENT - 4, align: 'right', lineBreak: false });
        doc.y = y;
      }
      drawRuns(f, block.runs, x, width, size, { bold: block.heading > 0 });
      doc.y += block.heading > 0 ? 2 : 3;
      break;
    }
    case 'check':
      drawCheckRow(f, col, x, block.runs, block.box === 'check' ? (checks?.[block.index] ?? null) : null);
      break;
    case 'code':
      drawCode(f, x, width, block.text);
      doc.y += 4;
      break;
    case 'table':
      drawTable(f, x, width, block);
      doc.y += 5;
      break;
    case 'rule':
      doc.y += 3;
      drawRule(f, x, width);
      doc.y += 5;
      break;
  }
  if (block.quote > 0 && doc.y > top) {
    for (let q = 0; q < block.quote; q++) {
      const bx = col.left + q * QUOTE + 2;
      doc
        .save()
        .lineWidth(1.5)
        .strokeColor('#999999')
        .moveTo(bx, top)
        .lineTo(bx, doc.y - 3)
        .stroke()
        .restore();
    }
  }
  doc.x = col.left;
}
