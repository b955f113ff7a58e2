import type { Token, Tokens } from 'marked';
import { STEP_NUMBERING } from '../runbooks/format/parse';
import { PSEUDO_LEVEL, type Section } from './tree';
import { chooseLevel, collectPrefixes, directActions, hasActions, isList, ownerHeading, stepLevels } from './levels';
import { hasReferenceTail, isReferenceHeading } from './rules/reference';
import { isReferenceList, listChecks, withoutPrefix, withoutTaskBoxes, type CheckKind } from './rules/lists';
import { canonicalOwner, ownerOfHeading, ownerPrefix } from './rules/owners';
import { ownerOfText, splitByOwner } from './step-owners';

/**
 * From a document's sections to a draft's steps, by general rules: the heading level that
 * holds the actions makes steps; reference sections go to the introduction; lists under a
 * step become its checks; owners come from role sub-headings, "Role:" prefixes, "Owner:"
 * lines and "X is responsible for".
 */

export interface Piece {
  kind: 'text' | 'check';
  md: string;
  /** Who this piece is for, when a sub-heading or prefix says; undefined follows the step. */
  owner?: string;
  checkKind?: CheckKind;
  list?: number;
  loose?: boolean;
}

export interface BuiltStep {
  key: string;
  section: number | null;
  title: string;
  owner: string | null;
  /** Where the owner came from, for the notes. */
  ownerFrom: string | null;
  pieces: Piece[];
  /** The section split by owner into this many steps (1 when not split). */
  parts: number;
}

export interface Layout {
  level: number | null;
  toIntro: ReadonlySet<number>;
  toStep: ReadonlySet<number>;
}

export interface Built {
  intro: string[];
  introSections: { id: number; title: string }[];
  steps: BuiltStep[];
  level: number | null;
  levels: { level: number; sections: number; example: string }[];
  referenceLists: string[];
  notes: string[];
}

interface Context {
  known: readonly string[];
  lists: number;
  referenceLists: string[];
  prefixes: Map<string, number>;
}

const stripNumbering = (title: string) => title.replace(STEP_NUMBERING, '').trim() || title.trim();

/** A section's title as a step title: without the writer's numbering. */
export const stepTitle = (section: Section) => stripNumbering(section.title);

function fence(code: string): string {
  let longest = 2;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${code}\n${marks}`;
}

/** A block that stays text, written so that it stays what it was wherever it lands. */
export function textOf(token: Token): string {
  if (token.type === 'code') {
    const code = token as Tokens.Code;
    const marked = fence(code.text);
    return code.lang ? marked.replace(/\n/, `${code.lang.split(/\s/)[0]}\n`) : marked;
  }
  return withoutTaskBoxes(token.raw.replace(/^\s+|\s+$/g, ''));
}

/** The heading a folded sub-section gets in its step's text: never a level that starts a step. */
function foldedHeading(section: Section, stepLevel: number): string {
  if (section.level === PSEUDO_LEVEL) return section.raw;
  const depth = Math.min(6, Math.max(3, section.level - Math.min(stepLevel, PSEUDO_LEVEL - 1) + 2));
  return `${'#'.repeat(depth)} ${section.title}`;
}

export function buildSteps(root: Section, known: readonly string[], layout: Layout): Built {
  const ctx: Context = { known, lists: 0, referenceLists: [], prefixes: collectPrefixes(root, known) };
  const levels = stepLevels(root, known);
  const level = layout.level !== null && levels.some((l) => l.level === layout.level) ? layout.level : chooseLevel(levels);
  const intro: string[] = root.blocks.map((b) => (isList(b) ? b.raw.trim() : textOf(b))).filter((t) => t !== '');
  const introSections: { id: number; title: string }[] = [];
  const steps: BuiltStep[] = [];
  const notes: string[] = [];
  let pendingText: Piece[] = [];

  const toIntro = (section: Section) => {
    introSections.push({ id: section.id, title: section.title });
    intro.push(sectionText(section, 2, ctx, true));
  };

  const place = (parent: Section) => {
    for (const section of parent.children) {
      // A group's owner sub-headings went with the group (as its step, or as its text).
      if (parent.level > 0 && ownerHeading(section, known) !== null) continue;
      const forcedIntro = layout.toIntro.has(section.id);
      const forcedStep = layout.toStep.has(section.id);
      const reference = isReferenceHeading(section.title) || (hasReferenceTail(section.title) && !hasActions(section, known));
      if (forcedIntro || (!forcedStep && reference && (level === null || section.level <= level))) {
        toIntro(section);
        continue;
      }
      if (level === null) {
        toIntro(section);
        continue;
      }
      const stepChildren = section.children.some((c) => c.level <= level && ownerHeading(c, known) === null);
      if (section.level < level && stepChildren) {
        if (directActions(section, known) > 0 || forcedStep) {
          steps.push(...makeSteps(section, level, ctx, pendingText, false));
          pendingText = [];
        } else {
          const text = ownText(section, ctx);
          if (text.length > 0) {
            pendingText.push({ kind: 'text', md: `### ${section.title}` }, ...text);
            notes.push(`The text under “${section.title}” went with the step after it.`);
          }
        }
        place(section);
        continue;
      }
      if (section.level > level && directActions(section, known) === 0 && !forcedStep && steps.length > 0) {
        // A deeper section with no actions, not under any step: it belongs to the step before it.
        (steps[steps.length - 1] as BuiltStep).pieces.push(
          { kind: 'text', md: foldedHeading(section, level) },
          ...sectionPieces(section, level, ctx, false),
        );
        continue;
      }
      steps.push(...makeSteps(section, level, ctx, pendingText, true));
      pendingText = [];
    }
  };
  place(root);
  if (pendingText.length > 0) intro.push(pendingText.map((p) => p.md).join('\n\n'));

  return { intro, introSections, steps, level, levels, referenceLists: ctx.referenceLists, notes };
}

/** A section's direct text, as text pieces (lists included as text: this is no step). */
function ownText(section: Section, ctx: Context): Piece[] {
  const pieces = section.blocks.map((b) => ({ kind: 'text' as const, md: textOf(b) })).filter((p) => p.md !== '');
  for (const child of section.children) {
    if (ownerHeading(child, ctx.known) !== null) pieces.push({ kind: 'text', md: sectionText(child, 3, ctx, false) });
  }
  return pieces;
}

/** A whole section as text (for the introduction): its heading one level below the title, lists as they are. */
function sectionText(section: Section, depth: number, ctx: Context, top: boolean): string {
  const heading = section.level === PSEUDO_LEVEL && !top ? section.raw : `${'#'.repeat(Math.min(6, depth + 1))} ${section.title}`;
  const parts = [heading, ...section.blocks.map(textOf).filter((t) => t !== '')];
  for (const child of section.children) parts.push(sectionText(child, depth + 1, ctx, false));
  return parts.join('\n\n');
}

/**
 * The pieces of a step's section: its blocks, action lists as checks, and its deeper sections
 * folded in under their own headings (an owner sub-heading gives its items that owner).
 */
function sectionPieces(section: Section, stepLevel: number, ctx: Context, reference: boolean, owner?: string): Piece[] {
  const pieces: Piece[] = [];
  for (const block of section.blocks) {
    if (isList(block) && !reference) {
      if (isReferenceList(block)) {
        ctx.referenceLists.push(section.title);
        pieces.push({ kind: 'text', md: textOf(block), owner });
        continue;
      }
      const list = ++ctx.lists;
      for (const item of listChecks(block)) {
        const prefix = ownerPrefix(item.firstLine);
        const name = prefix ? canonicalOwner(prefix.name, ctx.known) : null;
        if (prefix && name && ctx.prefixes.has(name)) {
          pieces.push({
            kind: 'check',
            md: withoutPrefix(item, prefix.rest).md,
            owner: name,
            checkKind: item.kind,
            list,
            loose: block.loose,
          });
        } else {
          pieces.push({ kind: 'check', md: item.md, owner, checkKind: item.kind, list, loose: block.loose });
        }
      }
      continue;
    }
    const md = textOf(block);
    if (md !== '') pieces.push({ kind: 'text', md, owner });
  }
  for (const child of section.children) {
    const childOwner = ownerHeading(child, ctx.known);
    if (childOwner !== null && !reference) {
      pieces.push(...sectionPieces(child, stepLevel, ctx, false, childOwner));
      continue;
    }
    const childReference = reference || isReferenceHeading(child.title);
    pieces.push(
      { kind: 'text', md: foldedHeading(child, stepLevel), owner },
      ...sectionPieces(child, stepLevel, ctx, childReference, owner),
    );
  }
  return pieces;
}

function makeSteps(section: Section, level: number, ctx: Context, before: Piece[], withChildren: boolean): BuiltStep[] {
  const headingOwner = section.parent && section.parent.level === 0 ? ownerOfHeading(section.title, ctx.known) : null;
  const own = withChildren
    ? sectionPieces(section, level, ctx, false)
    : sectionPieces({ ...section, children: section.children.filter((c) => ownerHeading(c, ctx.known) !== null) }, level, ctx, false);
  const found = ownerOfText([...before, ...own], ctx.known);
  const base = headingOwner ?? found.owner;
  const from = headingOwner ? `the heading “${section.title}”` : found.from;
  const runs = splitByOwner(found.pieces);
  const title = stepTitle(section);
  return runs.map((run, i) => ({
    key: runs.length > 1 ? `${section.id}.${i + 1}` : String(section.id),
    section: section.id,
    title: runs.length > 1 && run.owner !== undefined ? `${title} (${run.owner})` : title,
    owner: run.owner ?? base,
    ownerFrom: run.owner !== undefined ? null : from,
    pieces: run.pieces,
    parts: runs.length,
  }));
}

/**
 * A document in which nothing reads as a step becomes one step (or one per owner): its lists
 * are the checks. Text before the first list is the introduction when the document has no
 * headings; with no lists at all, everything is the step's text.
 */
export function wholeDocumentSteps(root: Section, title: string, known: readonly string[]): { intro: string[]; steps: BuiltStep[] } {
  const ctx: Context = { known, lists: 0, referenceLists: [], prefixes: collectPrefixes(root, known) };
  const firstList = root.blocks.findIndex((b) => isList(b) && !isReferenceList(b));
  const lead = root.children.length === 0 && firstList > 0 ? root.blocks.slice(0, firstList) : [];
  const section: Section = {
    id: 0,
    level: 1,
    title,
    raw: '',
    blocks: root.blocks.slice(lead.length),
    children: root.children,
    parent: null,
  };
  const steps = makeSteps(section, 1, ctx, [], true).map((step) => ({ ...step, section: null, key: step.key === '0' ? '0' : step.key }));
  return { intro: lead.map(textOf).filter((t) => t !== ''), steps };
}
