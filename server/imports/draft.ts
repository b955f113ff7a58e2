import { Lexer, Marked, type Token } from 'marked';
import type { Runbook, RunbookStep } from '../runbooks/format/model';
import { parseRunbook } from '../runbooks/format/parse';
import { blockTokens } from '../runbooks/format/checks';
import { writeRunbook } from '../runbooks/format/write';
import { slugFromTitle } from '../runbooks/slugs';
import { RESERVED_SLUGS } from '../runbooks/repo';
import { readFrontMatter, splitFrontMatter, writeFrontMatter } from './front-matter';
import { htmlToMarkdown } from './html';
import { readTree, PSEUDO_LEVEL, type Section } from './tree';
import { buildSteps, textOf, wholeDocumentSteps, type Piece } from './build';
import { canonicalOwner, responsibleOwner } from './rules/owners';
import { describe } from './notes';
import { applyChoices } from './apply-choices';

/** What the person chose on the import page; every choice is optional (the rules decide the rest). */
export interface ImportOptions {
  /** Heading level that makes steps (1–6, 7 for bold or "Step N:" lines); null lets the rules choose. */
  level?: number | null;
  /** Sections (by id) moved to the introduction, or made steps though they read as reference. */
  toIntro?: number[];
  toStep?: number[];
  /** Steps (by key) merged into the step above them. */
  merge?: string[];
  /** Step key → the check (from 2) that starts a new step. */
  split?: Record<string, number>;
  /** Step key → owner; "" for nobody. */
  owners?: Record<string, string>;
  titles?: Record<string, string>;
  title?: string | null;
}

export interface DraftStep {
  title: string;
  owner: string | null;
  checks: string[];
  /** The step's text as saved, in Markdown, its checks in place as "- [ ]" items. */
  text: string;
}

export interface Draft {
  title: string;
  slug: string;
  introduction: string;
  steps: DraftStep[];
  notes: string[];
  markdown: string;
}

/** The draft and what the import page needs to let a person adjust it. */
export interface DraftDetail extends Draft {
  keys: string[];
  sections: (number | null)[];
  level: number | null;
  levels: { level: number; sections: number; example: string }[];
  introSections: { id: number; title: string }[];
  /** Owners of the draft that are no role or person yet. */
  newOwners: string[];
  /** Steps merged into the step above them, as the person chose. */
  merged: { key: string; title: string }[];
}

export interface DraftInput {
  /** The document as Markdown (HTML and Word are converted before this). */
  document: string;
  filename: string | null;
  /** Role and person names the business has. */
  known: readonly string[];
  options?: ImportOptions;
  /** Notes from converting the file (an unsafe part dropped, …). */
  notes?: string[];
}

const markdown = new Marked({ gfm: true, async: false });

/** Bullets and boxes that word processors write as characters become Markdown lists. */
function normaliseText(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      // Control characters (a NUL from a bad export) are no text anyone wrote.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/^([ \t]*)[☐□❑❒][ \t]*/gm, '$1- [ ] ')
      .replace(/^([ \t]*)[☑☒✅✔✓][ \t]*/gm, '$1- [x] ')
      .replace(/^([ \t]*)[•●◦▪▫‣∙·⁃][ \t]*/gm, '$1- ')
  );
}

/**
 * The document's blocks. The rules read blocks, never the words inside them, so the inline pass
 * (a third of marked's time on a 1 MB document) runs only when raw HTML may hide in a paragraph.
 */
function lexBlocks(body: string): Token[] {
  return body.includes('<') ? new Lexer({ gfm: true }).lex(body) : blockTokens(body);
}

/** Whether Markdown holds raw HTML or link definitions, which cannot be cut into steps as they are. */
function needsHtmlPass(tokens: Token[]): boolean {
  const visit = (list: Token[]): boolean =>
    list.some((token) => {
      if (token.type === 'html' || token.type === 'def') return true;
      const inner = token as Token & { tokens?: Token[]; items?: Token[] };
      return (inner.tokens !== undefined && visit(inner.tokens)) || (inner.items !== undefined && visit(inner.items));
    });
  return visit(tokens);
}

const humanise = (filename: string) =>
  filename
    .replace(/^.*[\\/]/, '')
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .replace(/[-_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/^([A-Z0-9 ]+)$/, (all) => all.charAt(0) + all.slice(1).toLowerCase());

const GENERIC_NAMES = /^(?:readme|index|_index|untitled|document|doc\d*)$/i;

/** A slug from the file's name, else from the title. */
export function draftSlug(filename: string | null, title: string): string {
  const base = filename?.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,8}$/, '') ?? '';
  const fromName = base !== '' && !GENERIC_NAMES.test(base) ? slugFromTitle(base) : '';
  const slug = fromName || slugFromTitle(title) || 'imported-runbook';
  return RESERVED_SLUGS.has(slug) ? `${slug}-runbook` : slug;
}

/** The one heading above all others, if there is one: the document's title. */
function titleHeading(root: Section): Section | null {
  const [first, ...others] = root.children;
  if (!first || others.length > 0) return null;
  return first;
}

export function makeDraft(input: DraftInput): DraftDetail {
  const options = input.options ?? {};
  const notes: string[] = [...(input.notes ?? [])];
  const text = normaliseText(input.document);
  const split = splitFrontMatter(text);
  const front = readFrontMatter(split.yaml);
  notes.push(...front.notes);
  let body = split.body;
  let tokens: Token[] | undefined = lexBlocks(body);
  if (needsHtmlPass(tokens)) {
    body = htmlToMarkdown(markdown.parse(body) as string);
    tokens = undefined;
  }
  const root = readTree(body, tokens);

  let top = titleHeading(root);
  // Under a title of its own, a lone "## Step" is the one step, not a second title.
  if (top && front.title && top.level > 1 && top.title.toLowerCase() !== front.title.toLowerCase()) top = null;
  if (top) {
    root.blocks.push(...top.blocks);
    root.children = top.children;
    for (const child of root.children) child.parent = root;
  }
  const chosenTitle = options.title?.replace(/\s+/g, ' ').trim();
  let title: string;
  if (chosenTitle) title = chosenTitle;
  else if (front.title) {
    title = front.title;
    notes.push('The title came from the front matter.');
  } else if (top) {
    title = top.title;
    notes.push(`The title came from the first heading, “${top.title}”.`);
  } else if (input.filename && humanise(input.filename) !== '') {
    title = humanise(input.filename);
    notes.push(`The title came from the file name: the document has no single heading above the others.`);
  } else {
    title = 'Imported runbook';
    notes.push('The document has no title: it is called “Imported runbook” until you name it.');
  }

  const built = buildSteps(root, input.known, {
    level: options.level ?? null,
    toIntro: new Set(options.toIntro ?? []),
    toStep: new Set(options.toStep ?? []),
  });
  notes.push(...built.notes);
  let steps = built.steps;
  let intro = built.intro;
  let wholeDocument = false;
  if (steps.length === 0) {
    // Nothing reads as a step: the whole document is one, its lists its checks.
    const whole = wholeDocumentSteps(root, title, input.known);
    steps = whole.steps;
    intro = whole.intro;
    wholeDocument = true;
  }
  const merged: { key: string; title: string }[] = [];
  steps = applyChoices(steps, options, input.known, merged);
  const introText = intro.join('\n\n').trim();
  const docOwner = responsibleOwner(introText);
  if (docOwner) {
    const owner = canonicalOwner(docOwner, input.known);
    let given = 0;
    for (const step of steps) {
      if (step.owner === null && !Object.hasOwn(options.owners ?? {}, step.key)) {
        step.owner = owner;
        given++;
      }
    }
    if (given > 0) {
      const which =
        given === steps.length ? 'every step' : `the ${given === 1 ? 'step that names' : `${given} steps that name`} no one else`;
      notes.push(`“${docOwner} is responsible for” in the introduction: ${owner} owns ${which}.`);
    }
  }

  const runbook: Runbook = {
    frontMatter: writeFrontMatter(front.doc, title),
    title,
    category: null,
    owner: null,
    tags: [],
    income: null,
    schedule: null,
    review: null,
    escalate: null,
    fields: [],
    runTitle: null,
    intro: introText,
    steps: steps.map((step): RunbookStep => ({
      title: step.title,
      owner: step.owner,
      estimate: null,
      estimateMinutes: null,
      due: null,
      income: null,
      optional: null,
      body: bodyOf(step.pieces),
      checks: [],
      fields: [],
      when: null,
      approval: null,
    })),
  };
  const source = writeRunbook(runbook);
  const parsed = parseRunbook(source);
  if (!parsed.ok) throw new Error(`the draft does not read back: ${parsed.problems[0]?.message}`);
  const known = new Set(input.known.map((name) => name.toLowerCase()));
  const newOwners = [
    ...new Set(parsed.runbook.steps.map((s) => s.owner).filter((o): o is string => o !== null && !known.has(o.toLowerCase()))),
  ];
  notes.push(
    ...describe({
      steps,
      parsed: parsed.runbook,
      built,
      wholeDocument,
      newOwners,
      level: built.level,
      pseudo: built.level === PSEUDO_LEVEL,
    }),
  );
  return {
    title: parsed.runbook.title,
    slug: draftSlug(input.filename, parsed.runbook.title),
    introduction: parsed.runbook.intro,
    steps: parsed.runbook.steps.map((s) => ({ title: s.title, owner: s.owner, checks: s.checks, text: s.body })),
    notes,
    markdown: source,
    keys: steps.map((s) => s.key),
    sections: steps.map((s) => s.section),
    level: built.level,
    levels: built.levels.map(({ level, sections, example }) => ({ level, sections, example })),
    introSections: built.introSections,
    newOwners,
    merged,
  };
}

/** A step's body: its pieces in order, the items of one list kept together. */
export function bodyOf(pieces: Piece[]): string {
  let out = '';
  let previous: Piece | null = null;
  for (const piece of pieces) {
    if (piece.md.trim() === '') continue;
    const sameList = previous?.kind === 'check' && piece.kind === 'check' && previous.list === piece.list;
    out += out === '' ? piece.md : sameList && !piece.loose ? `\n${piece.md}` : `\n\n${piece.md}`;
    previous = piece;
  }
  return out.trim();
}

export { textOf };
