/// <reference types="pdfkit" />
import fs from 'node:fs';
import path from 'node:path';

/**
 * DejaVu, embedded (as subsets) in every PDF: any Latin, Greek or Cyrillic name prints, and the
 * text stays real text.
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

/**
 * Parsing a font file costs about 20 ms, and every PDF uses up to five of them twice (the page
 * and the scratch page it measures on): the fonts are parsed once, by fontkit (pdfkit's own font
 * reader, which pdfkit takes as a font source; listed in package.json at pdfkit's version), and
 * shared; each document still embeds its own subset. Should a font not parse that way, pdfkit
 * reads its bytes itself, more slowly.
 */
type FontSource = Buffer | object;
let sources: Record<FontName, FontSource> | null = null;

function loadSources(): Record<FontName, FontSource> {
  let parse: (data: Buffer) => FontSource = (data) => data;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- fontkit ships no types; its one call is typed here
    const fontkit = require('fontkit') as { create(data: Buffer): { layout?: unknown } };
    parse = (data) => {
      const font = fontkit.create(data);
      return typeof font.layout === 'function' ? font : data;
    };
  } catch {
    // pdfkit reads the bytes.
  }
  return Object.fromEntries(Object.entries(FILES).map(([name, file]) => [name, parse(fs.readFileSync(path.join(DIR, file)))])) as Record<
    FontName,
    FontSource
  >;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  sources ??= loadSources();
  for (const [name, source] of Object.entries(sources)) doc.registerFont(name, source as Buffer);
}

export function fontFor(style: { bold?: boolean; italic?: boolean; code?: boolean }): FontName {
  if (style.code) return 'mono';
  if (style.bold) return style.italic ? 'boldItalic' : 'bold';
  return style.italic ? 'italic' : 'regular';
}
