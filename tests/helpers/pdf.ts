import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'supertest';

/**
 * Reading PDFs in tests with poppler-utils (pdftotext, pdfinfo), as a person would copy the
 * text out of them. Installed by .ci/run; a clear message when they are missing.
 */

function poppler(tool: 'pdftotext' | 'pdfinfo', args: string[], pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-pdf-'));
  const file = path.join(dir, 'document.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is missing: PDF tests need poppler-utils (apt-get install poppler-utils)`, { cause: error });
    }
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text (of pages `first` to `last`, 1-based, when given), with line breaks as laid out. */
export function pdfText(pdf: Buffer, pages: { first?: number; last?: number } = {}): string {
  const args = ['-layout', '-enc', 'UTF-8'];
  if (pages.first) args.push('-f', String(pages.first));
  if (pages.last) args.push('-l', String(pages.last));
  return poppler('pdftotext', args, pdf);
}

/** Each page's text, in order. */
export function pdfPageTexts(pdf: Buffer): string[] {
  return Array.from({ length: pdfInfo(pdf).pages }, (_, i) => pdfText(pdf, { first: i + 1, last: i + 1 }));
}

export function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number; title: string | null } {
  const info = poppler('pdfinfo', [], pdf);
  const pages = /^Pages:\s+(\d+)/m.exec(info);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
  const title = /^Title:\s+(.*)$/m.exec(info);
  if (!pages || !size) throw new Error(`pdfinfo gave no page count or size:\n${info}`);
  return { pages: Number(pages[1]), width: Number(size[1]), height: Number(size[2]), title: title?.[1] ?? null };
}

/** A supertest request whose body is read as bytes (for PDFs). */
export const asBytes = (req: Test): Test =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** Text with runs of spaces made single: pdftotext lays words out with padding. */
export const squeeze = (text: string) => text.replace(/[ \t]+/g, ' ');
