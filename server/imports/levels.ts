import type { Token, Tokens } from 'marked';
import { descendants, type Section } from './tree';
import { isReferenceHeading } from './rules/reference';
import { isReferenceList, listChecks } from './rules/lists';
import { canonicalOwner, ownerOfHeading, ownerPrefix, readsAsOwner } from './rules/owners';

/**
 * Which heading level of a document holds its actions: the sections with action lists (their
 * own, or under owner sub-headings such as "Manager" or "Payroll tasks"), counted per level,
 * and the owners named as "Role:" prefixes across the whole document.
 */

export function isList(token: Token): token is Tokens.List {
  return token.type === 'list';
}

/** The prefix owners of a document: a name used on two items or more, or one that reads as a role. */
export function collectPrefixes(root: Section, known: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (!isList(token)) continue;
      for (const item of listChecks(token)) {
        const prefix = ownerPrefix(item.firstLine);
        if (prefix) counts.set(canonicalOwner(prefix.name, known), (counts.get(canonicalOwner(prefix.name, known)) ?? 0) + 1);
      }
    }
  };
  for (const section of [root, ...descendants(root)]) visit(section.blocks);
  const accepted = new Map<string, number>();
  const many = [...counts.keys()].length >= 2;
  for (const [name, count] of counts) {
    if (readsAsOwner(name, known) || (many && count >= 2 && /^[A-Z]/.test(name) && !/[.]/.test(name))) accepted.set(name, count);
  }
  return accepted;
}

const headingOwners = new WeakMap<Section, string | null>();

/** A sub-heading that names who does what is under it, not a step of its own. */
export function ownerHeading(section: Section, known: readonly string[]): string | null {
  if (section.parent === null || section.parent.level === 0) return null;
  let owner = headingOwners.get(section);
  if (owner === undefined) {
    owner = ownerOfHeading(section.title, known);
    headingOwners.set(section, owner);
  }
  return owner;
}

const actionCounts = new WeakMap<Section, number>();

/** Action lists directly in a section, or under its owner sub-headings. */
export function directActions(section: Section, known: readonly string[]): number {
  let count = actionCounts.get(section);
  if (count === undefined) {
    count = countActions(section, known);
    actionCounts.set(section, count);
  }
  return count;
}

function countActions(section: Section, known: readonly string[]): number {
  if (isReferenceHeading(section.title)) return 0;
  const own = section.blocks.filter((b) => isList(b) && !isReferenceList(b)).length;
  return own + section.children.filter((c) => ownerHeading(c, known) !== null).reduce((sum, c) => sum + directActions(c, known), 0);
}

/** Whether any list in the section or below it is an action list. */
export function hasActions(section: Section, known: readonly string[]): boolean {
  return directActions(section, known) > 0 || section.children.some((c) => hasActions(c, known));
}

/** The heading levels a document could take its steps from, with how many sections at each hold actions. */
export function stepLevels(
  root: Section,
  known: readonly string[],
): { level: number; sections: number; withActions: number; example: string }[] {
  const byLevel = new Map<number, { level: number; sections: number; withActions: number; example: string }>();
  for (const section of descendants(root)) {
    if (ownerHeading(section, known) !== null || isReferenceHeading(section.title)) continue;
    const entry = byLevel.get(section.level) ?? { level: section.level, sections: 0, withActions: 0, example: section.title };
    entry.sections++;
    if (directActions(section, known) > 0) entry.withActions++;
    byLevel.set(section.level, entry);
  }
  return [...byLevel.values()].sort((a, b) => a.level - b.level);
}

/** The level whose sections most often hold actions; on a tie, the shallower; with no actions anywhere, the shallowest. */
export function chooseLevel(levels: { level: number; withActions: number }[]): number | null {
  let best: { level: number; withActions: number } | null = null;
  for (const entry of levels) {
    if (!best || entry.withActions > best.withActions) best = entry;
  }
  return best?.level ?? null;
}
