import type { ListLevel, WordPackage } from './docx-package';

/** What the Word reader (docx-body.ts) makes of a document's paragraphs, and how a paragraph's style reads. */

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

export interface Paragraph {
  styleId?: string;
  numId?: string;
  level?: string;
  inlines: Inline[];
  /** Text boxes inside the paragraph come after it, as mammoth placed them. */
  after: Block[];
}

export interface Field {
  kind: 'begin' | 'hyperlink' | 'checkbox' | 'other';
  instruction: string;
  href?: string;
  checked: boolean;
  checkedSeen: boolean;
}

export const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;
const HEADING_NAME = /^heading\s*([1-6])?$/i;

export function paragraphKind(p: Paragraph, word: WordPackage): 'title' | 'paragraph' | { heading: number } | ListLevel {
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

/** What a field's instruction makes it: a link (to a safe address, else none), a check box, or something else. */
export function readInstruction(field: Field, safeHref: (target: string | undefined) => string | null): void {
  const link = /^\s*HYPERLINK\s+(\\l\s+)?(?:"(.*)"|([^\\]\S*))/.exec(field.instruction);
  if (link) {
    field.kind = 'hyperlink';
    // A link to a place in the document itself ("\l") means nothing outside Word.
    field.href = link[1] === undefined ? (safeHref(link[2] ?? link[3]) ?? undefined) : undefined;
  } else if (/\s*FORMCHECKBOX\s*/.test(field.instruction)) field.kind = 'checkbox';
  else field.kind = 'other';
}
