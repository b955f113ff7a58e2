/// <reference types="pdfkit" />
import fs from 'node:fs';
import path from 'node:path';

/**
 * DejaVu, embedded (as subsets) in every PDF: any Latin, Greek or Cyrillic name prints, and the
 * text stays real text. Read once; pdfkit parses them per document.
 */
const DIR = path.dirname(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));

const FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

export type FontName = keyof typeof FILES;

let loaded: Record<FontName, Buffer> | null = null;

export function registerFonts(doc: PDFKit.PDFDocument): void {
  loaded ??= Object.fromEntries(Object.entries(FILES).map(([name, file]) => [name, fs.readFileSync(path.join(DIR, file))])) as Record<FontName, Buffer>;
  for (const [name, data] of Object.entries(loaded)) doc.registerFont(name, data);
}

export function fontFor(style: { bold?: boolean; italic?: boolean; code?: boolean }): FontName {
  if (style.code) return 'mono';
  if (style.bold) return style.italic ? 'boldItalic' : 'bold';
  return style.italic ? 'italic' : 'regular';
}
