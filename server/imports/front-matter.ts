import { Document, isMap, isScalar, parseDocument } from 'yaml';
import { INCOMES } from '../runbooks/format/model';
import { parseReviewInterval } from '../runbooks/format/durations';
import { cronProblem } from '../runbooks/format/schedule';

/**
 * Front matter of other tools (Hugo, Jekyll, issue templates, handbooks) kept as it is: only
 * the keys the runbook format reads must hold what it expects. One of those holding something
 * else is kept under another name ("schedule: weekly" → "imported-schedule: weekly").
 */
export interface FrontMatter {
  doc: Document;
  title: string | null;
  notes: string[];
}

/** Splits a leading "---" YAML block from the body; a block that is not YAML is left in the body. */
export function splitFrontMatter(source: string): { yaml: string | null; body: string } {
  const match = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(source);
  if (match) return { yaml: match[1] as string, body: source.slice(match[0].length) };
  // Hugo's TOML front matter ("+++"): its title is read, the rest kept word for word.
  const toml = /^\+\+\+[ \t]*\n([\s\S]*?)\n\+\+\+[ \t]*(?:\n|$)/.exec(source);
  if (!toml) return { yaml: null, body: source };
  const block = toml[1] as string;
  const title = /^title\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*$/m.exec(block);
  const doc = new Document({});
  if (title) doc.set('title', title[1] !== undefined ? (JSON.parse(`"${title[1]}"`) as string) : title[2]);
  const rest = block.replace(/^title\s*=.*$\n?/m, '').trim();
  if (rest !== '') doc.set('imported-toml', rest);
  return { yaml: doc.toString({ lineWidth: 0 }).trim(), body: source.slice(toml[0].length) };
}

/** A line "key: text with: a colon" is the commonest YAML mistake; quoting the value fixes it. */
function quoteColonValues(yaml: string): string {
  return yaml.replace(/^([A-Za-z][\w-]*):[ \t]+([^'"\n[{|>&*!#][^\n]*?:[ \t][^\n]*)$/gm, (_all, key: string, value: string) => {
    return `${key}: ${JSON.stringify(value.trim())}`;
  });
}

const KNOWN_TEXT = ['category', 'owner'] as const;

export function readFrontMatter(yaml: string | null): FrontMatter {
  const notes: string[] = [];
  if (yaml === null || yaml.trim() === '') return { doc: new Document({}), title: null, notes };
  let doc = parseDocument(yaml, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    const fixed = parseDocument(quoteColonValues(yaml), { uniqueKeys: false });
    if (fixed.errors.length === 0) {
      doc = fixed;
      notes.push('A value in the front matter had a colon in it: it is now in quotes.');
    }
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    notes.push('The block between the "---" lines at the top could not be read, so it was left out.');
    return { doc: new Document({}), title: null, notes };
  }
  const keep = doc.contents;
  const rename = (key: string, why: string) => {
    const value = doc.get(key, true);
    doc.delete(key);
    doc.set(`imported-${key}`, value);
    notes.push(`The front matter's "${key}" ${why}: it is kept as "imported-${key}".`);
  };
  const value = (key: string) => doc.get(key);
  const textual = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  let title: string | null = null;
  const rawTitle = value('title');
  const name = value('name');
  // An issue template's title is the title of the issue it opens; its name is the checklist's.
  if (value('about') !== undefined && textual(name) && String(name).trim() !== '') title = String(name).trim();
  else if (textual(rawTitle) && String(rawTitle).trim() !== '') title = String(rawTitle).trim();
  else if (rawTitle !== undefined && rawTitle !== null && rawTitle !== '') rename('title', 'is not a line of text');
  for (const key of KNOWN_TEXT) {
    const v = value(key);
    if (v !== undefined && v !== null && !textual(v)) rename(key, 'is not a line of text');
  }
  const tags = doc.toJS().tags as unknown;
  if (tags !== undefined && tags !== null && typeof tags !== 'string' && !(Array.isArray(tags) && tags.every(textual))) {
    rename('tags', 'is not a list of words');
  }
  const income = value('income');
  if (income !== undefined && income !== null && !(INCOMES as readonly string[]).includes(String(income).toLowerCase())) {
    rename('income', `is not one of ${INCOMES.join(', ')}`);
  }
  const schedule = value('schedule');
  if (schedule !== undefined && schedule !== null && (!textual(schedule) || cronProblem(String(schedule)) !== null)) {
    rename('schedule', 'is not a schedule in the form the runbooks use (five cron fields)');
  }
  const review = value('review');
  if (review !== undefined && review !== null && (!textual(review) || parseReviewInterval(String(review)) === null)) {
    rename('review', 'is not a review interval such as 90d, 6mo or 1y');
  }
  // Aliases and anchors would not survive renaming keys; values are written out plainly.
  const kept = keep.items.filter((pair) => isScalar(pair.key)).map((pair) => String((pair.key as { value: unknown }).value));
  const others = kept.filter((key) => !['title', 'category', 'owner', 'tags', 'income', 'schedule', 'review'].includes(key));
  if (others.length > 0) notes.push(`Front matter kept as it was: ${others.join(', ')}.`);
  return { doc, title, notes };
}

/** The front matter as the draft writes it: the title set, everything else as it came. */
export function writeFrontMatter(doc: Document, title: string): string {
  const out = doc.clone();
  if (!isMap(out.contents)) out.contents = new Document({}).contents;
  out.set('title', title);
  // The title first, as the format's examples have it.
  const map = out.contents as unknown as { items: { key: unknown }[] };
  map.items.sort((a, b) => Number(isScalar(b.key) && b.key.value === 'title') - Number(isScalar(a.key) && a.key.value === 'title'));
  return out.toString({ lineWidth: 0 }).replace(/\n+$/, '');
}
