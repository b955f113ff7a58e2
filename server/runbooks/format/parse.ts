import { INCOMES, type Income, type ParseProblem, type Runbook, type RunbookStep } from './model';
import { parseEstimate } from './durations';
import { extractChecks } from './checks';
import { fieldKey, parseFieldDef, type FieldDef } from './fields';
import { parseCondition } from './conditions';
import { parseStepDue } from './due';
import { readFrontMatter, type Meta } from './parse-front-matter';

export type ParseResult = { ok: true; runbook: Runbook } | { ok: false; problems: ParseProblem[] };

const STEP_HEADING = /^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
// "##" alone or with only a closing sequence; "###" (an empty level-3 heading) is not a step.
const EMPTY_STEP_HEADING = /^ {0,3}##(?:[ \t]+#*)?[ \t]*$/;
// A backtick fence's info string has no backtick: "```npm i```" is inline code, not a fence.
const FENCE = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;
const ATTRIBUTE = /^([A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const ATTRIBUTE_KEYS = ['owner', 'estimate', 'due', 'income', 'optional', 'field', 'when', 'approval'] as const;
/** Attributes a step may have several of. */
const REPEATABLE = new Set<string>(['field']);
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
/**
 * The writer's own numbering: "1. ", "1) ", "Step 1: " (not part of the title). "Step 1"
 * needs its separator, so "Step 1 of the audit" stays a title.
 */
export const STEP_NUMBERING = /^(?:step[ \t]+\d+[ \t]*[:.)-][ \t]*|\d+[.)][ \t]+)/i;

const isBlank = (line: string) => line.trim() === '';

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start] as string)) start++;
  while (end > start && isBlank(lines[end - 1] as string)) end--;
  return lines.slice(start, end).join('\n');
}

/**
 * Parses one runbook file. Every problem found is reported with its 1-based line in the file,
 * so one lint pass shows them all.
 */
export function parseRunbook(source: string): ParseResult {
  const problems: ParseProblem[] = [];
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  if (lines[0]?.trimEnd() !== '---') {
    return {
      ok: false,
      problems: [
        { line: 1, message: 'no front matter: add a first line "---", then "title: Your title", then "---"; or use Import to convert this file' },
      ],
    };
  }
  const close = lines.findIndex((line, i) => i > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...'));
  if (close < 0) {
    return { ok: false, problems: [{ line: 1, message: 'front matter is not closed by a "---" line' }] };
  }
  const frontMatter = lines.slice(1, close).join('\n');
  const meta = readFrontMatter(frontMatter, 2, problems);
  const body = splitSteps(lines, close + 1, problems);
  if (body.steps.length === 0) {
    problems.push({ line: Math.min(close + 2, lines.length), message: 'no step: a runbook needs at least one "## " heading' });
  }
  if (meta) checkFields(meta, body.steps, body.lines, problems);
  if (problems.length > 0 || !meta) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  const { runFieldLines: _lines, runTitleLine: _titleLine, ...runbookMeta } = meta;
  return { ok: true, runbook: { frontMatter, ...runbookMeta, intro: body.intro, steps: body.steps } };
}

/**
 * What fields make possible is checked once every field is known: names unique in the runbook,
 * `{Field}` in run-title naming run fields, `When:` naming earlier fields with fitting
 * operators and values, `Due:` counted from a date field.
 */
function checkFields(meta: Meta, steps: RunbookStep[], stepLines: StepLines[], problems: ParseProblem[]) {
  const all: FieldDef[] = [];
  const seen = new Map<string, FieldDef>();
  const define = (field: FieldDef, line: number) => {
    const earlier = seen.get(fieldKey(field.name));
    if (earlier) problems.push({ line, message: `field "${field.name}" is defined twice (names are compared without case)` });
    else seen.set(fieldKey(field.name), field);
    all.push(field);
  };
  meta.fields.forEach((field, i) => define(field, meta.runFieldLines[i] ?? 1));
  steps.forEach((step, i) => step.fields.forEach((field, j) => define(field, stepLines[i]?.fields[j] ?? 1)));

  if (meta.runTitle !== null) {
    const runKeys = new Set(meta.fields.map((f) => fieldKey(f.name)));
    for (const [, name] of meta.runTitle.matchAll(/\{([^{}]*)\}/g)) {
      if (!runKeys.has(fieldKey(name as string))) {
        problems.push({ line: meta.runTitleLine, message: `run-title names {${name}}, which is not a run field (listed under fields:)` });
      }
    }
  }

  const visible = [...meta.fields];
  steps.forEach((step, i) => {
    const at = stepLines[i];
    if (step.when !== null && at?.when) {
      const parsed = parseCondition(step.when, visible, all);
      if (!parsed.ok) problems.push({ line: at.when, message: parsed.message });
    }
    if (step.due !== null && at?.due) {
      const dateFields = [...visible, ...step.fields].filter((f) => f.type === 'date');
      const parsed = parseStepDue(step.due, dateFields);
      if (!parsed.ok) problems.push({ line: at.due, message: parsed.message });
    }
    visible.push(...step.fields);
  });
}

/** Where a step's attributes stand in the file, for the problems found once every field is known. */
interface StepLines {
  due?: number;
  when?: number;
  fields: number[];
}

interface Section {
  line: number;
  heading: string;
  lines: { text: string; line: number }[];
}

/** Splits the body at level-2 headings outside fenced code, then reads each step. */
function splitSteps(lines: string[], from: number, problems: ParseProblem[]) {
  const { introLines, sections } = sectionsOf(lines, from);
  const read = sections.map((section) => readStep(section, problems));
  const intro = trimBlankLines(introLines);
  readChecks(intro, from + 1, problems);
  return { intro, steps: read.map((r) => r.step), lines: read.map((r) => r.lines) };
}

/**
 * The 1-based line of each step's heading, read as the parser reads them, and the line that closes
 * the front matter (0 without one): where a problem's line falls, for a preview of a text with problems.
 */
export function textLayout(source: string): { frontMatterEnd: number; stepStarts: number[] } {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const close = lines[0]?.trimEnd() === '---' ? lines.findIndex((line, i) => i > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...')) : -1;
  return { frontMatterEnd: close + 1, stepStarts: sectionsOf(lines, close + 1).sections.map((section) => section.line) };
}

function sectionsOf(lines: string[], from: number): { introLines: string[]; sections: Section[] } {
  const introLines: string[] = [];
  const sections: Section[] = [];
  let fence: string | null = null;
  for (let i = from; i < lines.length; i++) {
    const text = lines[i] as string;
    const fenceMatch = FENCE.exec(text);
    if (fenceMatch) {
      const marker = fenceMatch[1] as string;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = null;
    }
    const current = sections[sections.length - 1];
    if (fence === null && (STEP_HEADING.test(text) || EMPTY_STEP_HEADING.test(text)) && !fenceMatch) {
      sections.push({ line: i + 1, heading: text, lines: [] });
    } else if (current) {
      current.lines.push({ text, line: i + 1 });
    } else {
      introLines.push(text);
    }
  }
  return { introLines, sections };
}

function readStep(section: Section, problems: ParseProblem[]): { step: RunbookStep; lines: StepLines } {
  const rawTitle = EMPTY_STEP_HEADING.test(section.heading) ? '' : (STEP_HEADING.exec(section.heading)?.[1] ?? '');
  // A heading that is only a number ("## 3.") keeps it rather than lose its only words.
  const title = rawTitle.replace(STEP_NUMBERING, '').trim() || rawTitle.trim();
  if (title === '') problems.push({ line: section.line, message: 'step heading has no title' });

  const step: RunbookStep = {
    title,
    owner: null,
    estimate: null,
    estimateMinutes: null,
    due: null,
    income: null,
    optional: null,
    body: '',
    checks: [],
    fields: [],
    when: null,
    approval: null,
  };
  const at: StepLines = { fields: [] };
  const seen = new Set<AttributeKey>();
  let bodyStart = 0;
  for (const { text, line } of section.lines) {
    const match = ATTRIBUTE.exec(text);
    const key = match?.[1]?.toLowerCase() as AttributeKey | undefined;
    if (!match || !key || !ATTRIBUTE_KEYS.includes(key)) break;
    bodyStart++;
    const label = key[0]?.toUpperCase() + key.slice(1);
    const value = match[2] as string;
    if (seen.has(key) && !REPEATABLE.has(key)) {
      problems.push({ line, message: `${label} is given twice in step "${title}"` });
      continue;
    }
    seen.add(key);
    if (value === '') {
      problems.push({ line, message: `${label} has no value` });
      continue;
    }
    if (key === 'due' || key === 'when') at[key] = line;
    if (key === 'field') {
      const parsed = parseFieldDef(value);
      if (!parsed.ok) problems.push({ line, message: parsed.message });
      else {
        step.fields.push(parsed.field);
        at.fields.push(line);
      }
      continue;
    }
    readAttribute(step, key, value, line, problems);
  }
  step.body = trimBlankLines(section.lines.slice(bodyStart).map((l) => l.text));
  step.checks = readChecks(step.body, section.line, problems);
  return { step, lines: at };
}

/** The body's checks; Markdown nested too deep for the Markdown parser's stack is a problem. */
function readChecks(body: string, line: number, problems: ParseProblem[]): string[] {
  try {
    return extractChecks(body);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.push({ line, message: 'the text is nested too deeply to read (quotes or lists thousands of levels deep)' });
    return [];
  }
}

function readAttribute(step: RunbookStep, key: AttributeKey, value: string, line: number, problems: ParseProblem[]) {
  switch (key) {
    case 'owner':
      step.owner = value;
      return;
    case 'estimate':
      step.estimate = value;
      step.estimateMinutes = parseEstimate(value);
      if (step.estimateMinutes === null) {
        problems.push({ line, message: `Estimate "${value}" is not a duration (e.g. 5m, 1h30m, 90 min, 2 hours)` });
      }
      return;
    case 'due':
      // Checked once the fields are known: it may be counted from a date field.
      step.due = value;
      return;
    case 'when':
      step.when = value;
      return;
    case 'approval':
      step.approval = value;
      return;
    case 'field':
      return;
    case 'income':
      if ((INCOMES as readonly string[]).includes(value.toLowerCase())) step.income = value.toLowerCase() as Income;
      else problems.push({ line, message: `Income "${value}" must be one of ${INCOMES.join(', ')}` });
      return;
    case 'optional': {
      const answer = value.toLowerCase();
      if (answer === 'yes' || answer === 'no') step.optional = answer === 'yes';
      else problems.push({ line, message: `Optional "${value}" must be yes or no` });
    }
  }
}
