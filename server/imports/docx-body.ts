import { readXml, type WordPackage } from './docx-package';
import {
  paragraphKind,
  readInstruction,
  SAFE_LINK,
  type Block,
  type Field,
  type Inline,
  type Paragraph,
  type WordBody,
} from './docx-blocks';
import { TableStack } from './docx-tables';

export type { Block, Inline, WordBody } from './docx-blocks';

/**
 * word/document.xml read as a stream into the blocks a draft is made of: headings, paragraphs,
 * list items (bulleted or numbered, with their depth), tables. It follows the rules mammoth
 * (the converter used before) applies with this importer's style map, so Word files read as
 * they did: the Title style is the title, "heading N" styles (by id or name) are headings,
 * paragraphs numbered through numbering.xml are list items, bold and italic runs, hyperlinks
 * (as elements or as fields), check boxes (content controls and form fields), text boxes after
 * their paragraph, only the fallback of alternate content, deleted text and moved-from text left out.
 */

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

  const tables = new TableStack();

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
    const outer = paragraphs[paragraphs.length - 1];
    if (outer) outer.after.push(block);
    else if (!tables.addToCell(block)) blocks.push(block);
  };

  readXml(word.body, {
    open: (name, a) => {
      if (skipping > 0) {
        skipping++;
        return;
      }
      switch (name) {
        case 'w:del':
          tables.deleted();
          skipping = 1;
          return;
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
            if (field?.kind === 'begin') readInstruction(field, safeHref);
          } else if (type === 'end') {
            const field = fields.pop();
            if (field?.kind === 'begin') readInstruction(field, safeHref);
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
          tables.openTable();
          return;
        case 'w:tr':
          tables.openRow();
          return;
        case 'w:tc':
          tables.openCell();
          return;
        case 'w:vMerge':
          if (a['w:val'] === undefined || a['w:val'] === 'continue') tables.mergedAbove();
          return;
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
        case 'w:tc':
          tables.closeCell();
          return;
        case 'w:tr':
          tables.closeRow();
          return;
        case 'w:tbl': {
          const table = tables.closeTable();
          if (table) emit(table);
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
