import path from 'node:path';
import { AppError, UnprocessableError } from '../http/errors';
import { wordToMarkdown, type WordMarkdown } from './docx';
import { htmlToMarkdown, looksLikeHtml } from './html';

/**
 * A file as it comes (bytes, a name, a declared type) to the document as Markdown, the one
 * form the rules read. Word is read as a stream of its XML (docx.ts), HTML goes through the
 * sanitiser and turndown; anything that is not what it says it is gets a plain message, never
 * a 500.
 */

/** Uploads and API bodies: the page states this limit. */
export const IMPORT_LIMIT_BYTES = 2 * 1024 * 1024;
export const IMPORT_LIMIT_LABEL = '2 MB';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export type DocumentKind = 'markdown' | 'text' | 'html' | 'docx';

export const KIND_LABELS: Record<DocumentKind, string> = {
  markdown: 'Markdown',
  text: 'plain text',
  html: 'web page (HTML)',
  docx: 'Word document',
};

const BY_TYPE: Record<string, DocumentKind> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  [DOCX_TYPE]: 'docx',
};

const BY_EXTENSION: Record<string, DocumentKind> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdown': 'markdown',
  '.mkd': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.docx': 'docx',
};

const REFUSED_EXTENSIONS: Record<string, string> = {
  '.doc': 'This is an old Word file (.doc). Open it in Word and save it as .docx, then import that.',
  '.pdf': 'PDF files cannot be imported. Copy the text out of the PDF and paste it here instead.',
  '.odt': 'OpenDocument files cannot be imported. Save it as .docx (Word) and import that.',
  '.rtf': 'RTF files cannot be imported. Save it as .docx (Word) and import that.',
  '.pages': 'Pages files cannot be imported. Export it as Word (.docx) and import that.',
};

export const IMPORTABLE_EXTENSIONS = Object.keys(BY_EXTENSION);

export interface ReadDocument {
  kind: DocumentKind;
  markdown: string;
  notes: string[];
}

const unreadable = (message: string) => new UnprocessableError('unreadable-document', message, 'document');

/** What kind a file is, from its declared type, else its name; null when neither says. */
export function kindOf(contentType: string | null, filename: string | null): DocumentKind | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = filename ? path.extname(filename).toLowerCase() : '';
  if (REFUSED_EXTENSIONS[extension]) throw unreadable(REFUSED_EXTENSIONS[extension] as string);
  if (type !== '' && type !== 'application/octet-stream') {
    const kind = BY_TYPE[type];
    if (!kind) {
      throw new AppError(
        415,
        'unsupported-media-type',
        `Send the document as text/markdown, text/plain, text/html or ${DOCX_TYPE} (this was ${type})`,
        'content-type',
      );
    }
    return kind;
  }
  return BY_EXTENSION[extension] ?? null;
}

const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

/** Text in UTF-8 (or UTF-16 with its mark), else Windows-1252 as older Windows tools save it; null for a binary. */
function decodeText(bytes: Buffer): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const SCRIPTS_DROPPED = 'Scripts, event handlers and javascript: links in the document were dropped.';
const HOSTILE = /<script\b|\son[a-z]+\s*=|javascript:|<iframe\b|<object\b|<embed\b/i;

function fromHtml(html: string, notes: string[]): string {
  if (HOSTILE.test(html)) notes.push(SCRIPTS_DROPPED);
  try {
    return htmlToMarkdown(html);
  } catch (error) {
    // Elements nested thousands deep overflow the converter's stack: a bad file, not a crash.
    if (error instanceof RangeError) throw unreadable('This document is nested too deeply to read.');
    throw error;
  }
}

/**
 * Plain text written as a document: a short line in capitals on its own ("OPENING THE
 * SHOP") is a heading there, and becomes one.
 */
function fromPlainText(text: string): string {
  let first = true;
  const body = text.replace(/^\s+/, '');
  return body.replace(/(^|\n\n)([^\na-z]*[A-Z][^\na-z]*)(?=\n)/g, (all, before: string, line: string, offset: number) => {
    const trimmed = line.trim();
    if (trimmed.length < 3 || trimmed.length > 80 || !/[A-Z]{2}/.test(trimmed) || /^[-*+#>|\d]/.test(trimmed) || /[.,;]$/.test(trimmed)) {
      return all;
    }
    // The first line of the file, in capitals, is its title.
    const level = first && offset === 0 ? '#' : '##';
    first = false;
    return `${before}${level} ${sentenceCase(trimmed.replace(/:$/, ''))}`;
  });
}

/** "STORE OPENING PROCEDURE" → "Store opening procedure"; words with digits or short acronyms stay. */
const ACRONYMS = new Set(['IT', 'HR', 'VAT', 'POS', 'ATM', 'CEO', 'PPE', 'ID', 'PIN', 'CCTV', 'UK', 'US', 'EU', 'FAQ', 'SOP']);

function sentenceCase(line: string): string {
  const words = line.split(/\s+/).map((word) => (/\d/.test(word) || ACRONYMS.has(word.replace(/\W/g, '')) ? word : word.toLowerCase()));
  const joined = words.join(' ');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function fromDocx(bytes: Buffer, notes: string[]): string {
  if (!isZip(bytes)) throw unreadable('This file is not a Word document (.docx): it could not be opened.');
  let word: WordMarkdown;
  try {
    word = wordToMarkdown(bytes);
  } catch (error) {
    throw unreadable(`This Word document could not be read (${(error as Error).message.split('\n')[0]?.slice(0, 200)}).`);
  }
  const pictures = word.pictures;
  if (pictures > 0)
    notes.push(
      `${pictures === 1 ? 'A picture' : `${pictures} pictures`} in the Word document ${pictures === 1 ? 'was' : 'were'} not brought in: add ${pictures === 1 ? 'it' : 'them'} as links if the steps need ${pictures === 1 ? 'it' : 'them'}.`,
    );
  if (word.droppedScripts > 0) notes.push(SCRIPTS_DROPPED);
  return word.markdown;
}

/** Reads an uploaded or posted document as Markdown for the rules. */
export async function readDocument(
  bytes: Buffer,
  { filename, contentType }: { filename: string | null; contentType: string | null },
): Promise<ReadDocument> {
  if (bytes.length > IMPORT_LIMIT_BYTES) {
    throw new AppError(413, 'document-too-large', `The document is larger than the limit of ${IMPORT_LIMIT_LABEL}.`, 'document');
  }
  const declared = kindOf(contentType, filename);
  if (bytes.length === 0) throw new UnprocessableError('empty-document', 'The document is empty: there is nothing to import.', 'document');
  const notes: string[] = [];
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') throw unreadable(REFUSED_EXTENSIONS['.pdf'] as string);
  let kind = declared ?? (isZip(bytes) ? 'docx' : 'text');
  if (kind === 'docx') return { kind, markdown: fromDocx(bytes, notes), notes };
  if (isZip(bytes)) throw unreadable('This file is not text: it looks like a compressed file (a Word document must be named .docx).');
  const text = decodeText(bytes);
  if (text === null) throw unreadable('This file is not text, a web page or a Word document, so it cannot be imported.');
  if (text.trim() === '') throw new UnprocessableError('empty-document', 'The document is empty: there is nothing to import.', 'document');
  if (kind !== 'html' && looksLikeHtml(text)) kind = 'html';
  if (kind === 'html') return { kind, markdown: fromHtml(text, notes), notes };
  return { kind, markdown: kind === 'text' ? fromPlainText(text) : text, notes };
}

/** A pasted text: a web page's source is read as HTML, anything else as Markdown (plain text is Markdown too). */
export function readPasted(text: string): ReadDocument {
  const notes: string[] = [];
  if (looksLikeHtml(text)) return { kind: 'html', markdown: fromHtml(text, notes), notes };
  // Text copied out of a word processor has no Markdown headings; its lines in capitals are its headings.
  if (!/^ {0,3}#{1,6}[ \t]/m.test(text)) return { kind: 'text', markdown: fromPlainText(text), notes };
  return { kind: 'markdown', markdown: text, notes };
}
