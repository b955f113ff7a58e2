/// <reference types="pdfkit" />
import { QUIET_ZONE, type Qr } from '../qr';

/** The QR code as filled rectangles (one per run of dark modules), `size` points square with its quiet zone. */
export function drawQr(doc: PDFKit.PDFDocument, qr: Qr, x: number, y: number, size: number): void {
  const unit = size / (qr.size + 2 * QUIET_ZONE);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (const run of qr.runs) {
    doc.rect(x + (run.col + QUIET_ZONE) * unit, y + (run.row + QUIET_ZONE) * unit, run.length * unit + 0.15, unit + 0.15);
  }
  doc.fill('#000000');
  doc.restore();
}
