import { isMap, parseDocument } from 'yaml';
import type { FieldDef } from '../format/fields';
import type { Income, Runbook, RunbookStep } from '../format/model';
import { writeRunbook, writeStep } from '../format/write';
import { extractChecks } from '../format/checks';
import { formToCron, scheduleToForm, type ScheduleForm } from './schedule';

/**
 * A runbook as the structured editor shows it: plain fields instead of Markdown. It turns back
 * into the format's text (the exporter's layout) and is saved through the same parser as the
 * Markdown editor, so the two never disagree. What the form cannot edit travels with it as it is.
 */
export interface RunbookForm {
  /** The front matter as stored: keys the form does not show (and comments) survive a save. */
  frontMatter: string;
  title: string;
  category: string;
  owner: string;
  /** Comma-separated. */
  tags: string;
  schedule: ScheduleForm;
  review: string;
  intro: string;
  steps: StepForm[];
}

export interface StepForm {
  title: string;
  owner: string;
  estimate: string;
  due: string;
  optional: boolean;
  /** The step's text without its trailing checks. */
  instructions: string;
  /** One check a line. */
  checks: string;
  /** One field definition a line ("Tracking number (text, required)"). */
  fields: string;
  kept: KeptStep;
}

/** A step's settings the form shows but does not edit. */
export interface KeptStep {
  income: Income | null;
  when: string | null;
  approval: string | null;
  /** "Optional: no" written out: an unticked box keeps it rather than dropping the line. */
  optionalNo: boolean;
}

export const emptyKept = (): KeptStep => ({ income: null, when: null, approval: null, optionalNo: false });

export const emptyStep = (): StepForm => ({
  title: '',
  owner: '',
  estimate: '',
  due: '',
  optional: false,
  instructions: '',
  checks: '',
  fields: '',
  kept: emptyKept(),
});

const CHECK_LINE = /^- \[ \] (\S.*)$/;
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The step's text and checks together, as the file writes them: text, a blank line, `- [ ]` lines. */
export function joinBody(instructions: string, checks: string): string {
  const text = instructions.replace(/\s+$/, '').replace(/^\s*\n/, '');
  const items = lines(checks).map((check) => `- [ ] ${check}`);
  return [text, items.join('\n')].filter((part) => part !== '').join('\n\n');
}

/**
 * Splits a step's text into instructions and the list of checks that ends it. A step whose checks
 * stand elsewhere (inside the text, ticked, spread over lines) stays whole as instructions, so
 * nothing moves: its checks still count, being in the text.
 */
export function splitBody(body: string): { instructions: string; checks: string } {
  const all = body.split('\n');
  let start = all.length;
  while (start > 0 && CHECK_LINE.test(all[start - 1] as string)) start--;
  const tail = all.slice(start).map((line) => (CHECK_LINE.exec(line) as RegExpExecArray)[1] as string);
  if (tail.length === 0) return { instructions: body, checks: '' };
  const instructions = all.slice(0, start).join('\n').replace(/\n+$/, '');
  const checks = tail.join('\n');
  const found = extractChecks(body);
  const same = found.length === tail.length && found.every((check, i) => check === tail[i]);
  if (!same || joinBody(instructions, checks) !== body) return { instructions: body, checks: '' };
  return { instructions, checks };
}

export function runbookToForm(runbook: Runbook): RunbookForm {
  return {
    frontMatter: runbook.frontMatter,
    title: runbook.title,
    category: runbook.category ?? '',
    owner: runbook.owner ?? '',
    tags: runbook.tags.join(', '),
    schedule: scheduleToForm(runbook.schedule),
    review: runbook.review ?? '',
    intro: runbook.intro,
    steps: runbook.steps.map(stepToForm),
  };
}

function stepToForm(step: RunbookStep): StepForm {
  return {
    title: step.title,
    owner: step.owner ?? '',
    estimate: step.estimate ?? '',
    due: step.due ?? '',
    optional: step.optional === true,
    ...splitBody(step.body),
    fields: step.fields.map((field) => field.source).join('\n'),
    kept: { income: step.income, when: step.when, approval: step.approval, optionalNo: step.optional === false },
  };
}

/** Where each part of the written text starts, to put the parser's problems beside their field. */
export interface TextMap {
  /** Last line of the front matter's closing `---`. */
  frontMatterEnd: number;
  /** First line of each step (its heading). */
  stepStarts: number[];
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
const lineCount = (text: string) => text.split('\n').length;

/** The form as the format's text, in the exporter's layout. */
export function formToMarkdown(form: RunbookForm): { source: string; map: TextMap } {
  const frontMatter = updateFrontMatter(form);
  const steps: RunbookStep[] = form.steps.map((step) => ({
    title: step.title.trim(),
    owner: orNull(step.owner),
    estimate: orNull(step.estimate),
    estimateMinutes: null,
    due: orNull(step.due),
    income: step.kept.income,
    optional: step.optional ? true : step.kept.optionalNo ? false : null,
    body: joinBody(step.instructions, step.checks),
    checks: [],
    // The writer needs only each field's text; the parser reads (and checks) it again.
    fields: lines(step.fields).map((source) => ({ source }) as FieldDef),
    when: step.kept.when,
    approval: step.kept.approval,
  }));
  const runbook = { frontMatter, intro: form.intro.replace(/\s+$/, '').replace(/^\s*\n/, ''), steps } as Runbook;
  const source = writeRunbook(runbook);
  // The writer's layout: front matter, a blank line, then the intro and each step apart by one blank line.
  const frontMatterEnd = frontMatter === '' ? 2 : lineCount(frontMatter) + 2;
  let line = frontMatterEnd + 2 + (runbook.intro === '' ? 0 : lineCount(runbook.intro) + 1);
  const stepStarts = steps.map((step, i) => {
    const start = line;
    line += lineCount(writeStep(step, i + 1)) + 1;
    return start;
  });
  return { source, map: { frontMatterEnd, stepStarts } };
}

/**
 * The stored front matter with the form's keys changed where the form says something else; the
 * rest (unknown keys, run fields, comments, quoting) stays as written. Unchanged, it is the same text.
 */
function updateFrontMatter(form: RunbookForm): string {
  const doc = parseDocument(form.frontMatter);
  // A front matter the form cannot read is left for the parser to report.
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) return form.frontMatter;
  const stored = (key: string): string | null => {
    const value: unknown = doc.get(key);
    return typeof value === 'string' || typeof value === 'number' ? String(value).trim() || null : null;
  };
  let changed = false;
  const put = (key: string, value: string | null) => {
    if (stored(key) === value) return;
    changed = true;
    if (value === null) doc.delete(key);
    else doc.set(key, value);
  };
  put('title', orNull(form.title));
  put('category', orNull(form.category));
  put('owner', orNull(form.owner));
  const tags = form.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const storedTags: unknown = doc.toJS()?.tags;
  const tagsBefore = Array.isArray(storedTags) ? storedTags.map(String) : typeof storedTags === 'string' ? [storedTags] : [];
  if (tags.join('\n') !== tagsBefore.join('\n')) {
    changed = true;
    if (tags.length === 0) doc.delete('tags');
    else doc.set('tags', doc.createNode(tags, { flow: true }));
  }
  put('schedule', formToCron(form.schedule, stored('schedule')));
  put('review', orNull(form.review));
  if (!changed) return form.frontMatter;
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
}
