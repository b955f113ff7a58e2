import type { Body, PrintDocument, PrintField, PrintGroup, PrintStep } from '../model';
import type { Qr } from '../qr';
import { drawBlock, drawCheckRow, INDENT, SIGN_WIDTH, type Column } from './blocks';
import { drawBox, drawRule, drawRuns, drawSignBlanks, INK, LINE_GAP, MUTED, SIZE, type Frame } from './frame';
import { markdownBlocks, type Run } from './markdown';
import { drawQr } from './qr';

/**
 * The parts of a document as pieces the writer places on pages. A step's pieces are kept on
 * one page when they fit on one; a longer step breaks between its pieces, never inside a line.
 */
export type Piece = (f: Frame) => void;

const STEP_BOX = 13;
const TITLE_X = STEP_BOX + 8;

/** A check written as inline Markdown, as runs (its text as written if it cannot be read). */
function checkRuns(text: string): Run[] {
  try {
    const blocks = markdownBlocks(text, { checks: false });
    const runs = blocks.flatMap((b) => (b.kind === 'text' || b.kind === 'check' ? b.runs : b.kind === 'code' ? [{ text: b.text }] : []));
    return runs.length > 0 ? runs : [{ text }];
  } catch {
    return [{ text }];
  }
}

/** "Order number: 1042", or the name and a line to write on. */
const fieldRuns = (field: PrintField): Run[] => [
  { text: `${field.name}: `, muted: true },
  field.value === null ? { text: '______________________________' } : { text: field.value, bold: true },
];

function stepHead(step: PrintStep, col: Column, underHeading: boolean): Piece {
  return (f) => {
    const { doc } = f;
    doc.y += 2;
    if (!underHeading) drawRule(f, col.left, col.width);
    const y = doc.y + 7;
    const right = col.left + col.width;
    const mark = step.state === 'done' ? '✓' : step.state === 'skipped' ? '–' : '';
    drawBox(f, col.left, y, STEP_BOX, mark);
    doc.y = y;
    const title: Run[] = [{ text: `${step.position}. `, muted: true }, { text: step.title }];
    if (step.optional) title.push({ text: '  (optional)', muted: true });
    drawRuns(f, title, col.left + TITLE_X, col.width - TITLE_X - SIGN_WIDTH - 10, SIZE.stepTitle, { bold: true });
    const titleEnd = doc.y;
    let signEnd: number;
    if (step.finished) {
      doc
        .font('bold')
        .fontSize(SIZE.small)
        .fillColor(INK)
        .text(step.finished.by, right - SIGN_WIDTH, y + 1, { width: SIGN_WIDTH, align: 'right', lineGap: LINE_GAP });
      doc.font('regular').fillColor(MUTED).text(step.finished.at, { width: SIGN_WIDTH, align: 'right', lineGap: LINE_GAP });
      signEnd = doc.y;
    } else {
      signEnd = drawSignBlanks(f, right - SIGN_WIDTH, y + 3, SIGN_WIDTH);
    }
    doc.y = Math.max(titleEnd, signEnd, y + STEP_BOX) + 2;
    const meta: Run[] = [
      { text: 'Owner: ', muted: true },
      { text: step.owner, bold: true },
      { text: '     Due: ', muted: true },
    ];
    meta.push(step.due ? { text: step.due, bold: true } : { text: 'no due time' });
    if (step.overdue) meta.push({ text: ' (overdue)', bold: true });
    if (step.estimate) meta.push({ text: '     Estimate: ', muted: true }, { text: step.estimate });
    drawRuns(f, meta, col.left + TITLE_X, col.width - TITLE_X, SIZE.meta);
    if (step.notNeeded) {
      doc.y += 1;
      drawRuns(f, [{ text: step.notNeeded, italic: true, muted: true }], col.left + TITLE_X, col.width - TITLE_X, SIZE.meta);
    }
    for (const field of step.fields) {
      doc.y += 1;
      drawRuns(f, fieldRuns(field), col.left + TITLE_X, col.width - TITLE_X, SIZE.meta);
    }
    if (step.approval) {
      doc.y += 1;
      drawRuns(
        f,
        [
          { text: 'Approval: ', muted: true },
          { text: step.approval, bold: true },
        ],
        col.left + TITLE_X,
        col.width - TITLE_X,
        SIZE.meta,
      );
    }
    if (step.waiting) {
      doc.y += 1;
      drawRuns(f, [{ text: step.waiting, bold: true }], col.left + TITLE_X, col.width - TITLE_X, SIZE.meta);
    }
    if (step.note) {
      doc.y += 1;
      drawRuns(f, [{ text: `Note: ${step.note}`, italic: true }], col.left + TITLE_X, col.width - TITLE_X, SIZE.meta);
    }
    doc.fillColor(INK);
    doc.y += 3;
  };
}

/** A step: its head (box, title, owner, due, room to sign), its instructions, its checks. */
export function stepPieces(step: PrintStep, col: Column, underHeading = false): Piece[] {
  const inner: Column = { left: col.left + TITLE_X, width: col.width - TITLE_X };
  const pieces: Piece[] = [stepHead(step, col, underHeading)];
  if (step.body) {
    const checks = step.checksInBody ? step.checks : null;
    for (const block of markdownBlocks(step.body.markdown, { checks: step.checksInBody })) {
      pieces.push((f) => drawBlock(f, inner, block, checks));
    }
  }
  if (!step.checksInBody) {
    for (const check of step.checks) {
      pieces.push((f) => drawCheckRow(f, inner, inner.left + INDENT, checkRuns(check.text), check));
    }
  }
  // Notes come after the work, as on the run page: each one a piece, so a long list breaks between notes.
  if (step.notes.length > 0 || step.olderNotes) {
    pieces.push((f) => {
      f.doc.y += 2;
      drawRuns(f, [{ text: 'Notes', bold: true }], inner.left, inner.width, SIZE.meta);
      if (step.olderNotes) drawRuns(f, [{ text: step.olderNotes, italic: true, muted: true }], inner.left, inner.width, SIZE.meta);
    });
    for (const note of step.notes) {
      pieces.push((f) => {
        f.doc.y += 1;
        drawRuns(f, [{ text: `${note.by}: `, muted: true }, { text: note.text }], inner.left, inner.width, SIZE.meta);
      });
    }
  }
  pieces.push((f) => {
    f.doc.y += 4;
  });
  return pieces;
}

function drawQrWithCaption(f: Frame, qr: Qr, x: number, y: number, size: number, caption: string | null): number {
  drawQr(f.doc, qr, x, y, size);
  const { doc } = f;
  doc.font('regular').fontSize(6.5).fillColor(MUTED);
  const lines = caption ? `${caption}\n${qr.url}` : qr.url;
  // Right-aligned under the code, as wide as an address needs (up to 150 points).
  const width = Math.max(size, Math.min(150, doc.widthOfString(qr.url) + 2));
  doc.text(lines, x + size - width, y + size + 1, { width, align: 'right', lineGap: 0.5 });
  doc.fillColor(INK);
  return doc.y;
}

/** The top of the first page: kind, title, facts, blanks to fill in, the QR code to the run. */
export function titlePiece(d: PrintDocument, col: Column): Piece {
  return (f) => {
    const { doc } = f;
    const top = doc.y;
    const qrSize = 78;
    const qr = d.link?.qr ?? null;
    const textWidth = col.width - (qr ? qrSize + 24 : 0);
    drawRuns(f, [{ text: `${d.kindLabel.toUpperCase()} · PRINTED ${d.printedAt.toUpperCase()}` }], col.left, textWidth, SIZE.small, {
      color: MUTED,
    });
    doc.y += 2;
    drawRuns(f, [{ text: d.title }], col.left, textWidth, SIZE.title, { bold: true });
    doc.y += 4;
    const facts: Run[] = d.facts.flatMap((fact, i) => [
      { text: `${i > 0 ? '      ' : ''}${fact.label}: `, muted: true },
      { text: fact.value, bold: true },
    ]);
    drawRuns(f, facts, col.left, textWidth, SIZE.meta);
    for (const field of d.record) {
      doc.y += 2;
      drawRuns(f, fieldRuns(field), col.left, textWidth, SIZE.meta);
    }
    if (d.fillIn.length > 0) {
      doc.y += 8;
      const each = textWidth / d.fillIn.length;
      const y = doc.y;
      let end = y;
      d.fillIn.forEach((label, i) => {
        const x = col.left + i * each;
        doc
          .font('regular')
          .fontSize(SIZE.small)
          .fillColor(MUTED)
          .text(label, x, y, { width: each - 12, lineBreak: false });
        const base = y + 24;
        doc
          .save()
          .lineWidth(0.7)
          .strokeColor(INK)
          .moveTo(x, base)
          .lineTo(x + each - 12, base)
          .stroke()
          .restore();
        end = Math.max(end, base + 2);
      });
      doc.fillColor(INK);
      doc.y = end;
    }
    let bottom = doc.y;
    if (qr) bottom = Math.max(bottom, drawQrWithCaption(f, qr, col.left + col.width - qrSize, top, qrSize, 'Open online'));
    doc.x = col.left;
    doc.y = bottom + 10;
  };
}

/** An introduction (the document's, or on a packet each run's): its Markdown drawn block by block. */
export function introPieces(intro: Body | null, col: Column): Piece[] {
  if (!intro) return [];
  return [
    ...markdownBlocks(intro.markdown, { checks: false }).map(
      (block): Piece =>
        (f) =>
          drawBlock(f, col, block, null),
    ),
    (f) => {
      f.doc.y += 4;
    },
  ];
}

/** A run's heading on an assignment sheet or a packet, with its QR code on a sheet. */
export function groupHead(group: PrintGroup, col: Column): Piece {
  return (f) => {
    const { doc } = f;
    doc.y += 6;
    const top = doc.y;
    const qrSize = 54;
    const qr = group.link?.qr ?? null;
    const textWidth = col.width - (qr ? qrSize + 30 : 0);
    drawRuns(f, [{ text: group.heading ?? '' }], col.left, textWidth, SIZE.group, { bold: true });
    for (const line of group.lines) drawRuns(f, [{ text: line }], col.left, textWidth, SIZE.meta, { color: MUTED });
    let bottom = doc.y;
    if (qr) bottom = Math.max(bottom, drawQrWithCaption(f, qr, col.left + col.width - qrSize - 10, top, qrSize, null));
    doc.y = bottom + 3;
    drawRule(f, col.left, col.width, INK, 1.5);
    doc.y += 2;
  };
}

export function emptyPiece(d: PrintDocument, col: Column): Piece {
  return (f) => drawRuns(f, [{ text: d.empty, italic: true }], col.left, col.width, SIZE.body);
}
