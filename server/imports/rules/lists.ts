import type { Tokens } from 'marked';

/**
 * Lists as checks. Every item of an action list becomes a task-list item (`- [ ] …`) with its
 * own text, nested lists and paragraphs kept under it: a nested list folds into its parent
 * check. A list that is plainly reference (every item little more than a link) stays text.
 */

export type CheckKind = 'task' | 'numbered' | 'bullet';

export interface ListItemCheck {
  /** The item as a task-list item, continuation lines as they were. */
  md: string;
  /** The item's own first line, for owner prefixes. */
  firstLine: string;
  kind: CheckKind;
}

const MARKER = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)(?:\[[ xX]\](?:[ \t]+|$))?/;

const checksOf = new WeakMap<Tokens.List, ListItemCheck[]>();
const referenceOf = new WeakMap<Tokens.List, boolean>();

export function listChecks(list: Tokens.List): ListItemCheck[] {
  const known = checksOf.get(list);
  if (known) return known;
  const checks = list.items.map((item) => {
    const raw = item.raw.replace(/\s+$/, '');
    const marker = MARKER.exec(raw)?.[0] ?? '';
    const rest = raw.slice(marker.length);
    const kind: CheckKind = item.task ? 'task' : list.ordered ? 'numbered' : 'bullet';
    // What is under the item folds into its check: boxes there are not checks of their own.
    const [first = '', ...under] = rest.split('\n');
    return { md: [`- [ ] ${first}`, ...under.map(withoutTaskBoxes)].join('\n'), firstLine: first, kind };
  });
  checksOf.set(list, checks);
  return checks;
}

/**
 * Replaces an item's first-line prefix ("Manager: ") with nothing. What followed it starts the
 * check now, so its first word takes a capital ("approve the write-off" → "Approve the
 * write-off"), unless the word is written with one inside it already ("iPhone", "eBay").
 */
export function withoutPrefix(check: ListItemCheck, rest: string): ListItemCheck {
  const [, ...more] = check.md.split('\n');
  const sentence = /^[a-z]+(?![A-Za-z])/.test(rest) ? rest.charAt(0).toUpperCase() + rest.slice(1) : rest;
  return { ...check, md: [`- [ ] ${sentence}`, ...more].join('\n'), firstLine: sentence };
}

const LINK = /!?\[[^\]]*\]\([^)]*\)|<https?:[^>]+>|https?:\/\/\S+/g;

/** A list whose every item is a link with at most a few words besides: a list of references. */
export function isReferenceList(list: Tokens.List): boolean {
  let known = referenceOf.get(list);
  if (known === undefined) {
    known = referenceList(list);
    referenceOf.set(list, known);
  }
  return known;
}

function referenceList(list: Tokens.List): boolean {
  if (list.items.some((item) => item.task)) return false;
  return list.items.every((item) => {
    const text = item.text.split('\n')[0] as string;
    if (!LINK.test(text)) return false;
    LINK.lastIndex = 0;
    const words = text
      .replace(LINK, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    return words === '' || words.split(/\s+/).length <= 6;
  });
}

/** Text that is not a check must not become one: a "[ ]" at an item's start is escaped. */
export function withoutTaskBoxes(md: string): string {
  return md.replace(/^([ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[([ xX])\]/gm, '$1\\[$2]');
}
