import type PDFKit from 'pdfkit';
import type { PrintDocument } from '../model';
import type { Column } from './blocks';
import { LINE, MUTED, INK, type Frame } from './frame';
import { registerFonts } from './fonts';
import { emptyPiece, groupHead, introPieces, stepPieces, titlePiece, type Piece } from './pieces';

export type Paper = 'a4' | 'letter';

// pdfkit is loaded with the first PDF, not at start: with its font engine it holds about 12 MB
// that a server which never prints does not need (see README, Retention and memory).
let pdfkit: typeof PDFKit | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when first needed, typed above
const loadPdfkit = () => (pdfkit ??= require('pdfkit') as typeof PDFKit);

const MARGINS = { top: 58, bottom: 52, left: 48, right: 48 };
/** Taller than any step could be: pieces are drawn here first to learn their height. */
const SCRATCH_HEIGHT = 1_000_000;

/**
 * The document as a PDF: text as real text in embedded DejaVu fonts, a header (title, version,
 * date printed) and "Page i of n" on every page, and each step kept on one page when it fits
 * on one. Made in memory; nothing is fetched.
 */
export function writePdf(d: PrintDocument, paper: Paper): Promise<Buffer> {
  const PDFDocument = loadPdfkit();
  const pdf = new PDFDocument({
    size: paper === 'a4' ? 'A4' : 'LETTER',
    margins: MARGINS,
    bufferPages: true,
    lang: 'en',
    displayTitle: true,
    info: { Title: d.title, Subject: d.kindLabel, Creator: 'Runbooks' },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const scratch = new PDFDocument({ size: [pdf.page.width, SCRATCH_HEIGHT], margins: { ...MARGINS, top: 0, bottom: 0 } });
  scratch.on('data', () => undefined);
  registerFonts(pdf);
  registerFonts(scratch);

  const col: Column = { left: MARGINS.left, width: pdf.page.width - MARGINS.left - MARGINS.right };
  const frame: Frame = {
    doc: pdf,
    left: col.left,
    width: col.width,
    top: MARGINS.top,
    bottom: pdf.page.height - MARGINS.bottom,
    pageHeight: pdf.page.height - MARGINS.top - MARGINS.bottom,
    newPage: () => {
      pdf.addPage();
      pdf.x = col.left;
      pdf.y = MARGINS.top;
    },
  };
  const measuring: Frame = { ...frame, doc: scratch, top: 0, bottom: Infinity, newPage: () => undefined };
  const { pageHeight } = frame;

  let measured = 0;
  const measure = (pieces: Piece[]): number => {
    // A fresh scratch page now and then, so its content does not grow without end.
    if (++measured % 50 === 0) scratch.addPage();
    scratch.x = col.left;
    scratch.y = 10;
    for (const piece of pieces) piece(measuring);
    return scratch.y - 10;
  };
  const room = () => frame.bottom - pdf.y;
  const atTop = () => pdf.y <= frame.top + 1;

  /** Pieces kept together when they fit on a page; else each placed on its own, breaking between them. */
  const place = (pieces: Piece[], keepWith: Piece[] = []) => {
    const height = measure(pieces);
    const withNext = keepWith.length > 0 ? height + measure(keepWith) : height;
    if (!atTop() && ((withNext > room() && withNext <= pageHeight) || (height > room() && height <= pageHeight))) frame.newPage();
    if (height <= room()) {
      for (const piece of pieces) piece(frame);
      return;
    }
    // Longer than a page: start on a fresh one unless most of this one is free, then piece by piece.
    if (!atTop() && room() < pageHeight * 0.4) frame.newPage();
    pieces.forEach((piece, i) => {
      const own = measure([piece]);
      // A step's head stays with what follows it.
      const next = i === 0 && pieces[1] ? own + Math.min(measure([pieces[1]]), pageHeight / 3) : own;
      if (!atTop() && next > room() && own <= pageHeight) frame.newPage();
      piece(frame);
    });
  };

  pdf.x = col.left;
  pdf.y = MARGINS.top;
  place([titlePiece(d, col)]);
  for (const piece of introPieces(d.intro, col)) place([piece]);
  let steps = 0;
  for (const group of d.groups) {
    const first = group.steps[0];
    const firstPieces = first ? stepPieces(first, col, group.heading !== null) : [];
    if (group.heading !== null)
      place([groupHead(group, col)], firstPieces.length > 0 ? [firstPieces[0] as Piece, ...firstPieces.slice(1, 2)] : []);
    for (const piece of introPieces(group.intro, col)) place([piece]);
    group.steps.forEach((step, i) => place(i === 0 ? firstPieces : stepPieces(step, col)));
    steps += group.steps.length;
  }
  if (steps === 0) place([emptyPiece(d, col)]);

  decoratePages(pdf, d, col);
  pdf.end();
  scratch.end();
  return finished;
}

/** The running header and the page numbers, drawn on every page once the page count is known. */
function decoratePages(pdf: PDFKit.PDFDocument, d: PrintDocument, col: Column): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottomMargin = pdf.page.margins.bottom;
    // Writing in the margins must not start new pages.
    pdf.page.margins.bottom = 0;
    pdf.font('regular').fontSize(8).fillColor(MUTED);
    pdf.text(d.header, col.left, 26, { width: col.width, height: 10, ellipsis: true, lineBreak: false });
    pdf
      .save()
      .lineWidth(0.5)
      .strokeColor(LINE)
      .moveTo(col.left, 40)
      .lineTo(col.left + col.width, 40)
      .stroke()
      .restore();
    const footY = pdf.page.height - 34;
    pdf.font('regular').fontSize(8).fillColor(MUTED);
    pdf.text(d.kindLabel, col.left, footY, { width: col.width / 2, lineBreak: false });
    pdf.text(`Page ${i - range.start + 1} of ${range.count}`, col.left + col.width / 2, footY, {
      width: col.width / 2,
      align: 'right',
      lineBreak: false,
    });
    pdf.fillColor(INK);
    pdf.page.margins.bottom = bottomMargin;
  }
}
