import path from 'node:path';
import { unzipSync } from 'fflate';
import { Parser } from 'htmlparser2';

/**
 * The parts of a .docx (a zip of XML files) that a draft needs: the body, its links, its
 * styles' names and its numbering (which lists are bulleted, which numbered). Read with fflate
 * and htmlparser2's streaming XML mode: no DOM is built, so a 1 MB document costs a fraction
 * of what a tree of it would (mammoth's did, 1.9 s for the bench's handbook).
 */

/** A zip whose XML would unpack past this is refused: a 2 MB upload has no business being larger. */
const UNPACKED_LIMIT_BYTES = 64 * 1024 * 1024;

export interface ListLevel {
  ordered: boolean;
  /** Its depth, 0 for the outermost. */
  level: number;
}

export interface WordPackage {
  body: string;
  /** Relationship id → target, for hyperlinks. */
  links: Map<string, string>;
  /** Paragraph style id → its name ("heading 1", "Title"), character style id → name. */
  styleNames: Map<string, string>;
  /** The list level a paragraph's numbering (numId, ilvl) or its style stands for; null when none. */
  listLevel(numId: string | undefined, level: string | undefined, styleId: string | undefined): ListLevel | null;
  /** Footnote and endnote texts by kind and id. */
  notes: Map<string, string[]>;
}

type Attributes = Record<string, string>;

/** Streams an XML text through handlers of opening tags, text and closing tags. */
export function readXml(
  xml: string,
  handlers: { open?: (name: string, attributes: Attributes) => void; text?: (text: string) => void; close?: (name: string) => void },
): void {
  const parser = new Parser(
    {
      onopentag: handlers.open,
      ontext: handlers.text,
      onclosetag: handlers.close,
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
}

const RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';

function relationships(xml: string | undefined): { id: string; type: string; target: string; external: boolean }[] {
  const found: { id: string; type: string; target: string; external: boolean }[] = [];
  if (!xml) return found;
  readXml(xml, {
    open: (name, a) => {
      if (name === 'Relationship' && a.Id && a.Target) {
        found.push({ id: a.Id, type: a.Type ?? '', target: a.Target, external: a.TargetMode === 'External' });
      }
    },
  });
  return found;
}

/** A part's path inside the zip from a relationship target, relative to the part that names it. */
const partPath = (from: string, target: string) =>
  target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(from), target));

const relsOf = (part: string) => path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);

function unzip(bytes: Uint8Array): Map<string, string> {
  let unpacked = 0;
  const files = unzipSync(bytes, {
    // Only the XML parts: pictures and embedded files are never read.
    filter: (file) => {
      if (!/\.(?:xml|rels)$/i.test(file.name)) return false;
      unpacked += file.originalSize;
      if (unpacked > UNPACKED_LIMIT_BYTES) throw new Error('it unpacks to far more text than a document holds');
      return true;
    },
  });
  const parts = new Map<string, string>();
  // Node's UTF-8 decoder: twice as fast as fflate's on a large part.
  for (const [name, data] of Object.entries(files))
    parts.set(name, Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8'));
  return parts;
}

export function readPackage(bytes: Uint8Array): WordPackage {
  const parts = unzip(bytes);
  const main =
    relationships(parts.get('_rels/.rels'))
      .find((r) => r.type.endsWith('/officeDocument'))
      ?.target.replace(/^\//, '') ?? 'word/document.xml';
  const body = parts.get(main);
  if (body === undefined) throw new Error('it has no document part: it is a zip file but not a Word document');

  const links = new Map<string, string>();
  const named = new Map<string, string>();
  for (const r of relationships(parts.get(relsOf(main)))) {
    if (r.type === `${RELATIONSHIP}hyperlink` || r.external) links.set(r.id, r.target);
    else named.set(r.type.slice(r.type.lastIndexOf('/') + 1), partPath(main, r.target));
  }
  const part = (type: string, fallback: string) => parts.get(named.get(type) ?? path.posix.join(path.posix.dirname(main), fallback));

  const styles = readStyles(part('styles', 'styles.xml'));
  const numbering = readNumbering(part('numbering', 'numbering.xml'));
  const notes = new Map<string, string[]>();
  readNotes(part('footnotes', 'footnotes.xml'), 'footnote', notes);
  readNotes(part('endnotes', 'endnotes.xml'), 'endnote', notes);

  return {
    body,
    links,
    styleNames: styles.names,
    notes,
    listLevel(numId, level, styleId) {
      if (numId !== undefined && level !== undefined) return numbering.find(numId, level, styles.numberingStyles);
      if (styleId !== undefined) {
        const byStyle = numbering.byParagraphStyle.get(styleId);
        if (byStyle) return byStyle;
      }
      // Some documents number a paragraph without a level: it is the first level.
      return numId !== undefined ? numbering.find(numId, '0', styles.numberingStyles) : null;
    },
  };
}

/** Style id → name, and numbering styles' list (a list defined through a style names it). */
function readStyles(xml: string | undefined) {
  const names = new Map<string, string>();
  const numberingStyles = new Map<string, string>();
  if (!xml) return { names, numberingStyles };
  let current: { id: string; type: string } | null = null;
  readXml(xml, {
    open: (name, a) => {
      if (name === 'w:style') current = { id: a['w:styleId'] ?? '', type: a['w:type'] ?? '' };
      else if (current && name === 'w:name' && a['w:val']) names.set(current.id, a['w:val']);
      else if (current?.type === 'numbering' && name === 'w:numId' && a['w:val']) numberingStyles.set(current.id, a['w:val']);
    },
    close: (name) => {
      if (name === 'w:style') current = null;
    },
  });
  return { names, numberingStyles };
}

/**
 * numbering.xml: each list (w:num) points at an abstract definition whose levels say bullet or
 * number; a definition may instead link to a numbering style, which names another list.
 */
function readNumbering(xml: string | undefined) {
  const abstracts = new Map<string, { levels: Map<string, ListLevel>; styleLink?: string }>();
  const lists = new Map<string, string>();
  const byParagraphStyle = new Map<string, ListLevel>();
  if (xml) {
    let abstract: { levels: Map<string, ListLevel>; styleLink?: string } | null = null;
    let level: { index: string; ordered: boolean; style?: string } | null = null;
    let list: string | null = null;
    readXml(xml, {
      open: (name, a) => {
        if (name === 'w:abstractNum') {
          abstract = { levels: new Map() };
          abstracts.set(a['w:abstractNumId'] ?? '', abstract);
        } else if (abstract && name === 'w:lvl') level = { index: a['w:ilvl'] ?? '0', ordered: true };
        else if (level && name === 'w:numFmt') level.ordered = a['w:val'] !== 'bullet';
        else if (level && name === 'w:pStyle') level.style = a['w:val'];
        else if (abstract && !level && name === 'w:numStyleLink') abstract.styleLink = a['w:val'];
        else if (name === 'w:num') list = a['w:numId'] ?? null;
        else if (list !== null && name === 'w:abstractNumId' && a['w:val'] !== undefined) lists.set(list, a['w:val']);
      },
      close: (name) => {
        if (name === 'w:lvl' && abstract && level) {
          const found = { ordered: level.ordered, level: Number(level.index) || 0 };
          abstract.levels.set(level.index, found);
          if (level.style) byParagraphStyle.set(level.style, found);
          level = null;
        } else if (name === 'w:abstractNum') abstract = null;
        else if (name === 'w:num') list = null;
      },
    });
  }
  const find = (numId: string, level: string, numberingStyles: Map<string, string>): ListLevel | null => {
    const seen = new Set<string>();
    let id: string | undefined = numId;
    while (id !== undefined && !seen.has(id)) {
      seen.add(id);
      const abstract = abstracts.get(lists.get(id) ?? '');
      if (!abstract) return null;
      if (abstract.styleLink === undefined) return abstract.levels.get(level) ?? null;
      id = numberingStyles.get(abstract.styleLink);
    }
    return null;
  };
  return { find, byParagraphStyle };
}

/** Footnotes and endnotes as plain text, one string per paragraph (separators skipped). */
function readNotes(xml: string | undefined, kind: string, notes: Map<string, string[]>): void {
  if (!xml) return;
  let id: string | null = null;
  let inText = false;
  let paragraph = '';
  let paragraphs: string[] = [];
  readXml(xml, {
    open: (name, a) => {
      if (name === `w:${kind}`) {
        id = a['w:type'] && a['w:type'] !== 'normal' ? null : (a['w:id'] ?? null);
        paragraphs = [];
      } else if (name === 'w:t') inText = true;
      else if (name === 'w:tab' || name === 'w:br') paragraph += ' ';
    },
    text: (text) => {
      if (inText && id !== null) paragraph += text;
    },
    close: (name) => {
      if (name === 'w:t') inText = false;
      else if (name === 'w:p') {
        if (paragraph.trim() !== '') paragraphs.push(paragraph);
        paragraph = '';
      } else if (name === `w:${kind}` && id !== null) {
        notes.set(`${kind}:${id}`, paragraphs);
        id = null;
      }
    },
  });
}
