import type { Db } from '../db/open';
import type { ParseProblem } from './format/model';
import { parseRunbook, textLayout } from './format/parse';
import { presentPreview } from './page-model';

/**
 * The preview of a text with problems: every part that reads is shown, each problem marked above
 * the step it is in (or above the whole preview when it is in the settings or introduction), so
 * one mistake does not hide the rest. The lines with problems are left out of what is shown.
 */
export function partialPreview(db: Db, source: string, problems: ParseProblem[]) {
  const original = textLayout(source);
  if (original.frontMatterEnd === 0 || original.stepStarts.length === 0) return null;
  const readable = withoutProblemLines(source, problems, original.frontMatterEnd);
  if (!readable) return null;
  const parsed = parseRunbook(readable);
  if (!parsed.ok || parsed.runbook.steps.length !== original.stepStarts.length) return null;
  const preview = presentPreview(db, parsed.runbook);
  const stepOf = (line: number) => original.stepStarts.findLastIndex((start) => start <= line);
  return {
    ...preview,
    partial: true,
    problems: problems.filter((p) => stepOf(p.line) < 0),
    steps: preview.steps.map((step, i) => ({ ...step, problems: problems.filter((p) => stepOf(p.line) === i) })),
  };
}

const ROUNDS = 5;

/**
 * The text with each line that has a problem taken out (a step heading without a title gets one;
 * a front matter that does not read becomes just a title), a few rounds, as taking a line out can
 * show the next problem. Null when what is left still does not read.
 */
function withoutProblemLines(source: string, problems: ParseProblem[], frontMatterEnd: number): string | null {
  // Each kept line with its line number in the text as typed.
  let lines = source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }));
  let current = problems;
  for (let round = 0; round < ROUNDS; round++) {
    const bad = new Set(current.map((p) => p.line));
    const frontMatterBroken = current.some((p) => p.line <= frontMatterEnd && /not valid YAML|must be YAML/.test(p.message));
    lines = lines.flatMap((entry) => {
      if (frontMatterBroken && entry.line > 1 && entry.line < frontMatterEnd) return [];
      if (!bad.has(entry.line) || entry.line === 1 || entry.line === frontMatterEnd) return [entry];
      // A heading stays, so that the steps keep their places.
      if (/^ {0,3}##(\s|$)/.test(entry.text)) return [{ ...entry, text: '## (no title)' }];
      return [];
    });
    const titleMissing = current.some((p) => p.line <= frontMatterEnd && /title/.test(p.message));
    if (frontMatterBroken || titleMissing) lines.splice(1, 0, { text: 'title: (no title yet)', line: 0 });
    const text = lines.map((entry) => entry.text).join('\n');
    const parsed = parseRunbook(text);
    if (parsed.ok) return text;
    // Problems now point at lines of the shortened text: back to the lines as typed.
    current = parsed.problems.map((p) => ({ ...p, line: lines[p.line - 1]?.line ?? 0 }));
    if (current.some((p) => p.line === 0 || p.line === 1)) return null;
  }
  return null;
}
