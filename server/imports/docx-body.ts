import { readXml, type ListLevel, type WordPackage } from './docx-package';

/**
 * word/document.xml read as a stream into the blocks a draft is made of: headings, paragraphs,
 * list items (bulleted or numbered, with their depth), tables. It follows the rules mammoth
 * (the converter used before) applies with this importer's style map, so Word files read as
 * they did: the Title style is the title, "heading N" styles (by id or name) are headings,
 * paragraphs numbered through numbering.xml are list items, bold and italic runs, hyperlinks
 * (as elements or as fields), check boxes (content controls and form fields), text boxes after
 * their paragraph, only the fallback of alternate content, deleted text and moved-from text left out.
 */

export interface Inline {
  text?: string;
  bold?: boolean;
  italic?: boolean;
  href?: string;
  checkbox?: boolean;
  checked?: boolean;
  lineBreak?: boolean;
}

export type Block =
  | { kind: 'title'; inlines: Inline[] }
  | { kind: 'heading'; level: number; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'item'; level: number; ordered: boolean; inlines: Inline[] }
  | { kind: 'table'; rows: Inline[][][] };

export interface WordBody {
  blocks: Block[];
  pictures: number;
  /** Links whose target is not http(s), mailto or tel: their text is kept, the link is not. */
  droppedScripts: number;
}

interface Paragraph {
  styleId?: string;
  numId?: string;
  level?: string;
  inlines: Inline[];
  /** Text boxes inside the paragraph come after it, as mammoth placed them. */
  after: Block[];
}

interface Field {
  kind: 'begin' | 'hyperlink' | 'checkbox' | 'other';
  instruction: string;
  href?: string;
  checked: boolean;
  checkedSeen: boolean;
}

const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;
const HEADING_NAME = /^heading\s*([1-6])?$/i;

function paragraphKind(p: Paragraph, word: WordPackage): 'title' | 'paragraph' | { heading: number } | ListLevel {
  const name = p.styleId === undefined ? undefined : (word.styleNames.get(p.styleId) ?? undefined);
  if (name === 'Title' || (name === undefined && p.styleId === 'Title')) return 'title';
  if (name === 'Subtitle') return 'paragraph';
  const id = p.styleId ?? '';
  const heading = /^Heading([1-6])?$/.exec(id) ?? (name === undefined ? null : HEADING_NAME.exec(name));
  if (heading) return { heading: Number(heading[1] ?? 1) };
  const list = word.listLevel(p.numId, p.level, p.styleId);
  if (list) return list;
  return 'paragraph';
}

export function readBody(word: WordPackage): WordBody {
  const blocks: Block[] = [];
  let pictures = 0;
  let droppedScripts = 0;

  const paragraphs: Paragraph[] = [];
  let run: { bold: boolean; italic: boolean } | null = null;
  let inRunProperties = false;
  let inParagraphProperties = 0;
  let inText = false;
  let inInstruction = false;
  // Elements whose content is not read: mc:Choice (its mc:Fallback is), moved-from text.
  let skipping = 0;
  const hyperlinks: (string | null)[] = [];
  const fields: Field[] = [];
  let fieldCheckbox: Field | null = null;
  const checkboxes: { checked: boolean; used: boolean; inContent: boolean; declared: boolean }[] = [];
  const noteNumbers = new Map<string, number>();

  // Tables nest: each holds its rows, each row its cells, each cell its paragraphs' inlines.
  const tables: { rows: Inline[][][]; row: Inline[][] | null; cell: Inline[] | null; merged: boolean; skipRow: boolean }[] = [];

  const paragraph = () => paragraphs[paragraphs.length - 1];

  const currentHref = (): string | null | undefined => {
    for (let i = fields.length - 1; i >= 0; i--) {
      const f = fields[i] as Field;
      if (f.kind === 'hyperlink') return f.href ?? null;
    }
    return hyperlinks.length > 0 ? hyperlinks[hyperlinks.length - 1] : undefined;
  };

  const push = (inline: Inline) => {
    const p = paragraph();
    if (!p) return;
    const href = currentHref();
    if (href) inline.href = href;
    if (run && inline.text !== undefined) {
      if (run.bold) inline.bold = true;
      if (run.italic) inline.italic = true;
    }
    p.inlines.push(inline);
  };

  const safeHref = (target: string | undefined): string | null => {
    if (!target) return null;
    if (SAFE_LINK.test(target.trim())) return target.trim();
    if (/^\s*javascript:/i.test(target)) droppedScripts++;
    return null;
  };

  const emit = (block: Block) => {
    const table = tables[tables.length - 1];
    const outer = paragraphs[paragraphs.length - 1];
    if (outer) outer.after.push(block);
    else if (table?.cell) {
      // A cell keeps its paragraphs' text, one after the other.
      const inlines = block.kind === 'table' ? block.rows.flat(2) : block.inlines;
      if (table.cell.length > 0) table.cell.push({ text: ' ' });
      for (const inline of inlines) table.cell.push(inline);
    } else blocks.push(block);
  };

  const parseInstruction = (field: Field) => {
    const link = /^\s*HYPERLINK\s+(\\l\s+)?(?:"(.*)"|([^\\]\S*))/.exec(field.instruction);
    if (link) {
      field.kind = 'hyperlink';
      // A link to a place in the document itself ("\l") means nothing outside Word.
      field.href = link[1] === undefined ? (safeHref(link[2] ?? link[3]) ?? undefined) : undefined;
    } else if (/\s*FORMCHECKBOX\s*/.test(field.instruction)) field.kind = 'checkbox';
    else field.kind = 'other';
  };

  readXml(word.body, {
    open: (name, a) => {
      if (skipping > 0) {
        skipping++;
        return;
      }
      switch (name) {
        case 'w:del': {
          // In a row's properties (before its first cell) it marks the whole row deleted.
          const table = tables[tables.length - 1];
          if (table?.row && !table.cell) table.skipRow = true;
          skipping = 1;
          return;
        }
        case 'mc:Choice':
        case 'w:moveFrom':
          skipping = 1;
          return;
        case 'w:p':
          paragraphs.push({ inlines: [], after: [] });
          return;
        case 'w:pPr':
          inParagraphProperties++;
          return;
        case 'w:pStyle':
          if (inParagraphProperties && paragraph()) (paragraph() as Paragraph).styleId = a['w:val'];
          return;
        case 'w:numId':
          if (inParagraphProperties && paragraph()) (paragraph() as Paragraph).numId = a['w:val'];
          return;
        case 'w:ilvl':
          if (inParagraphProperties && paragraph()) (paragraph() as Paragraph).level = a['w:val'];
          return;
        case 'w:r':
          run = { bold: false, italic: false };
          return;
        case 'w:rPr':
          inRunProperties = true;
          return;
        case 'w:b':
        case 'w:i':
          if (run && inRunProperties && !inParagraphProperties) {
            const on = a['w:val'] !== 'false' && a['w:val'] !== '0';
            if (name === 'w:b') run.bold = on;
            else run.italic = on;
          }
          return;
        case 'w:rStyle':
          if (run && inRunProperties && word.styleNames.get(a['w:val'] ?? '') === 'Strong') run.bold = true;
          return;
        case 'w:t':
          inText = true;
          return;
        case 'w:instrText':
          inInstruction = true;
          return;
        case 'w:tab':
          if (run && !inParagraphProperties) push({ text: ' ' });
          return;
        case 'w:noBreakHyphen':
          push({ text: '\u2011' });
          return;
        case 'w:br':
          if (a['w:type'] === undefined || a['w:type'] === 'textWrapping') push({ lineBreak: true });
          return;
        case 'w:hyperlink': {
          // An anchor alone points inside the document: only its text is kept.
          hyperlinks.push(a['r:id'] ? safeHref(word.links.get(a['r:id'])) : null);
          return;
        }
        case 'w:fldChar': {
          const type = a['w:fldCharType'];
          if (type === 'begin') {
            fields.push({ kind: 'begin', instruction: '', checked: false, checkedSeen: false });
            fieldCheckbox = fields[fields.length - 1] as Field;
          } else if (type === 'separate') {
            const field = fields[fields.length - 1];
            if (field?.kind === 'begin') parseInstruction(field);
          } else if (type === 'end') {
            const field = fields.pop();
            if (field?.kind === 'begin') parseInstruction(field);
            if (field?.kind === 'checkbox') push({ checkbox: true, checked: field.checked });
          }
          return;
        }
        case 'w:default':
        case 'w:checked':
          if (fieldCheckbox && name === 'w:checked') {
            fieldCheckbox.checked = a['w:val'] !== 'false' && a['w:val'] !== '0';
            fieldCheckbox.checkedSeen = true;
          } else if (fieldCheckbox && !fieldCheckbox.checkedSeen) fieldCheckbox.checked = a['w:val'] !== 'false' && a['w:val'] !== '0';
          return;
        case 'w:sdt':
          checkboxes.push({ checked: false, used: false, inContent: false, declared: false });
          return;
        case 'w14:checkbox': {
          const box = checkboxes[checkboxes.length - 1];
          if (box) box.declared = true;
          return;
        }
        case 'w14:checked': {
          const box = checkboxes[checkboxes.length - 1];
          if (box) box.checked = a['w14:val'] !== undefined && a['w14:val'] !== 'false' && a['w14:val'] !== '0';
          return;
        }
        case 'w:sdtContent': {
          const box = checkboxes[checkboxes.length - 1];
          if (box) box.inContent = true;
          return;
        }
        case 'w:footnoteReference':
        case 'w:endnoteReference': {
          const key = `${name === 'w:footnoteReference' ? 'footnote' : 'endnote'}:${a['w:id']}`;
          if (!word.notes.has(key)) return;
          if (!noteNumbers.has(key)) noteNumbers.set(key, noteNumbers.size + 1);
          push({ text: `[${noteNumbers.get(key)}]` });
          return;
        }
        case 'a:blip':
        case 'v:imagedata':
          pictures++;
          return;
        case 'w:tbl':
          tables.push({ rows: [], row: null, cell: null, merged: false, skipRow: false });
          return;
        case 'w:tr': {
          const table = tables[tables.length - 1];
          if (table) {
            table.row = [];
            table.skipRow = false;
          }
          return;
        }
        case 'w:tc': {
          const table = tables[tables.length - 1];
          if (table) {
            table.cell = [];
            table.merged = false;
          }
          return;
        }
        case 'w:vMerge': {
          const table = tables[tables.length - 1];
          if (table?.cell && (a['w:val'] === undefined || a['w:val'] === 'continue')) table.merged = true;
          return;
        }
        default:
          return;
      }
    },
    text: (text) => {
      if (skipping > 0) return;
      if (inInstruction) {
        const field = fields[fields.length - 1];
        if (field) field.instruction += text;
        return;
      }
      if (!inText || text === '') return;
      const box = checkboxes[checkboxes.length - 1];
      if (box?.declared && box.inContent && !box.used) {
        // A check box control holds the box character itself: the box replaces it.
        box.used = true;
        push({ checkbox: true, checked: box.checked });
        return;
      }
      push({ text });
    },
    close: (name) => {
      if (skipping > 0) {
        skipping--;
        return;
      }
      switch (name) {
        case 'w:t':
          inText = false;
          return;
        case 'w:instrText':
          inInstruction = false;
          return;
        case 'w:rPr':
          inRunProperties = false;
          return;
        case 'w:pPr':
          inParagraphProperties--;
          return;
        case 'w:r':
          run = null;
          return;
        case 'w:hyperlink':
          hyperlinks.pop();
          return;
        case 'w:fldChar':
          fieldCheckbox = null;
          return;
        case 'w:sdt': {
          const box = checkboxes.pop();
          if (box?.declared && !box.used) push({ checkbox: true, checked: box.checked });
          return;
        }
        case 'w:p': {
          const p = paragraphs.pop();
          if (!p) return;
          const kind = paragraphKind(p, word);
          if (kind === 'title' || kind === 'paragraph') emit({ kind, inlines: p.inlines });
          else if (typeof kind === 'object' && 'heading' in kind) emit({ kind: 'heading', level: kind.heading, inlines: p.inlines });
          else if (typeof kind === 'object') emit({ kind: 'item', level: kind.level, ordered: kind.ordered, inlines: p.inlines });
          for (const block of p.after) emit(block);
          return;
        }
        case 'w:tc': {
          const table = tables[tables.length - 1];
          // A cell merged into the one above it stays, empty, so that the columns stay in line.
          if (table?.cell && table.row) table.row.push(table.merged ? [] : table.cell);
          if (table) table.cell = null;
          return;
        }
        case 'w:tr': {
          const table = tables[tables.length - 1];
          if (table?.row && !table.skipRow) table.rows.push(table.row);
          if (table) table.row = null;
          return;
        }
        case 'w:tbl': {
          const table = tables.pop();
          if (table && table.rows.length > 0) emit({ kind: 'table', rows: table.rows });
          return;
        }
        default:
          return;
      }
    },
  });

  // Footnotes and endnotes follow the text, numbered as their references are.
  for (const [key, number] of noteNumbers) {
    const text = (word.notes.get(key) ?? []).join(' ');
    blocks.push({ kind: 'paragraph', inlines: [{ text: `[${number}] ${text}` }] });
  }
  return { blocks, pictures, droppedScripts };
}
