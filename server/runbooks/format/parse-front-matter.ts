import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Pair } from 'yaml';
import { INCOMES, type Income, type ParseProblem, type Runbook } from './model';
import { parseEscalate, parseReviewInterval } from './durations';
import { cronProblem } from './schedule';
import { parseFieldDef } from './fields';

/** The front matter of a runbook file: its YAML read into the runbook's settings, each problem with its line. */

export type Meta = Omit<Runbook, 'frontMatter' | 'intro' | 'steps'> & { runFieldLines: number[]; runTitleLine: number };

export function readFrontMatter(text: string, firstLine: number, problems: ParseProblem[]): Meta | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number | undefined) => firstLine - 1 + (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    const source = text.split('\n');
    for (const error of doc.errors) {
      const line = lineAt(error.pos[0]);
      problems.push({ line, message: `front matter is not valid YAML: ${yamlAdvice(source[line - firstLine]) ?? error.message.split('\n')[0]}` });
    }
    return null;
  }
  if (!isMap(doc.contents)) {
    problems.push({ line: firstLine, message: 'front matter must be YAML keys and values (title: …)' });
    return null;
  }
  const pairs = new Map<string, Pair>();
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key)) pairs.set(String(pair.key.value), pair);
  }
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (error) {
    // Too many aliases (a "billion laughs" file) throws here; it is a bad file, not a crash.
    problems.push({ line: firstLine, message: `front matter is not valid YAML: ${(error as Error).message}` });
    return null;
  }
  const lineOf = (key: string) => {
    const node = pairs.get(key)?.key as { range?: [number, number, number] } | undefined;
    return lineAt(node?.range?.[0]);
  };
  const text_ = (key: string): string | null => {
    const value = data[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || null;
    problems.push({ line: lineOf(key), message: `${key} must be text` });
    return null;
  };

  const title = text_('title');
  if (title === null && !problems.some((p) => p.message.startsWith('title'))) {
    problems.push({ line: pairs.has('title') ? lineOf('title') : firstLine - 1, message: 'front matter has no title' });
  }
  const meta: Meta = {
    title: title ?? '',
    category: text_('category'),
    owner: text_('owner'),
    tags: readTags(data.tags, () => lineOf('tags'), problems),
    income: null,
    schedule: text_('schedule'),
    review: text_('review'),
    escalate: text_('escalate'),
    fields: [],
    runFieldLines: [],
    runTitle: text_('run-title'),
    runTitleLine: pairs.has('run-title') ? lineOf('run-title') : firstLine,
  };
  readRunFields(text, pairs.get('fields'), data.fields, lineAt, meta, problems);
  const income = text_('income');
  if (income !== null) {
    // Any case, as for a step's Income: ("Direct" means direct).
    if ((INCOMES as readonly string[]).includes(income.toLowerCase())) meta.income = income.toLowerCase() as Income;
    else problems.push({ line: lineOf('income'), message: `income "${income}" must be one of ${INCOMES.join(', ')}` });
  }
  if (meta.schedule !== null) {
    const problem = cronProblem(meta.schedule);
    if (problem) problems.push({ line: lineOf('schedule'), message: problem });
  }
  if (meta.review !== null && !parseReviewInterval(meta.review)) {
    problems.push({ line: lineOf('review'), message: `review "${meta.review}" is not a duration such as 90d, 6mo or 1y` });
  }
  if (meta.escalate !== null && !parseEscalate(meta.escalate)) {
    problems.push({ line: lineOf('escalate'), message: `escalate "${meta.escalate}" is not a grace time such as 4h, 2d or 1 working day` });
  }
  return meta;
}

/** Front matter `fields:`, a list of `Name (type)` items, each checked at its own line. */
function readRunFields(
  source: string,
  pair: Pair | undefined,
  value: unknown,
  lineAt: (offset: number | undefined) => number,
  meta: Meta,
  problems: ParseProblem[],
) {
  if (value === undefined || value === null || !pair) return;
  const keyLine = lineAt((pair.key as { range?: [number] }).range?.[0]);
  if (!isSeq(pair.value) || !Array.isArray(value)) {
    problems.push({ line: keyLine, message: 'fields must be a list, one field a line: "- Order number (text, required)"' });
    return;
  }
  pair.value.items.forEach((item, i) => {
    const range = (item as { range?: [number, number] }).range;
    const line = lineAt(range?.[0]);
    // "Reason (one of: Card | PayPal)" unquoted is a YAML mapping (the colon): read it as written.
    const text = typeof value[i] === 'string' ? value[i] : isMap(item) && range ? source.slice(range[0], range[1]).trim() : value[i];
    if (typeof text !== 'string') {
      problems.push({ line, message: 'each item of fields must be text such as "Order number (text, required)"' });
      return;
    }
    const parsed = parseFieldDef(text);
    if (!parsed.ok) problems.push({ line, message: parsed.message });
    else {
      meta.fields.push(parsed.field);
      meta.runFieldLines.push(line);
    }
  });
}

/** What to do about the commonest YAML mistake: a value with ": " in it ("title: Refunds: the policy"). */
function yamlAdvice(line: string | undefined): string | null {
  const match = /^([A-Za-z][\w-]*):[ \t]+([^'"\s][^\n]*:[ \t][^\n]*?)[ \t]*$/.exec(line ?? '');
  if (!match) return null;
  return `the ${match[1]} has a colon in it, so put it in quotes: ${match[1]}: "${(match[2] as string).replace(/"/g, '\\"')}"`;
}

function readTags(value: unknown, line: () => number, problems: ParseProblem[]): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((tag) => typeof tag === 'string' || typeof tag === 'number')) {
    problems.push({ line: line(), message: 'tags must be a list of words, e.g. [shipping, home-study]' });
    return [];
  }
  return list.map((tag) => String(tag).trim()).filter((tag) => tag !== '');
}
