import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

/**
 * A Word document made in the test, as a person writes one: a Title paragraph, headings,
 * text, and bulleted or numbered lists (nested with `level`).
 */
export type DocxBlock =
  | { title: string }
  | { heading: string; level?: 1 | 2 | 3 }
  | { text: string; bold?: boolean }
  | { bullet: string; level?: number }
  | { numbered: string; level?: number };

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

export async function makeDocx(blocks: DocxBlock[]): Promise<Buffer> {
  const children = blocks.map((block) => {
    if ('title' in block) return new Paragraph({ text: block.title, heading: HeadingLevel.TITLE });
    if ('heading' in block) return new Paragraph({ text: block.heading, heading: HEADINGS[block.level ?? 1] });
    if ('bullet' in block) return new Paragraph({ text: block.bullet, bullet: { level: block.level ?? 0 } });
    if ('numbered' in block) return new Paragraph({ text: block.numbered, numbering: { reference: 'steps', level: block.level ?? 0 } });
    return new Paragraph({ children: [new TextRun({ text: block.text, bold: block.bold ?? false })] });
  });
  const doc = new Document({
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [0, 1, 2].map((level) => ({ level, format: 'decimal' as const, text: `%${level + 1}.`, alignment: 'left' as const })),
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
