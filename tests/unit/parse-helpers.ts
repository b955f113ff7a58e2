/** Shared by the parser's unit tests. */
import { parseRunbook } from '../../server/runbooks/format/parse';
import { type ParseProblem, type Runbook, type RunbookStep } from '../../server/runbooks/format/model';

export const file = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A minimal valid file around a body: front matter lines 1–3, blank line 4, body from line 5. */
export const withBody = (...body: string[]) => file('---', 'title: T', '---', '', ...body);

export function parsed(source: string): Runbook {
  const result = parseRunbook(source);
  if (!result.ok) throw new Error(`expected the file to parse, got ${JSON.stringify(result.problems)}`);
  return result.runbook;
}

export function problems(source: string): ParseProblem[] {
  const result = parseRunbook(source);
  if (result.ok) throw new Error('expected the file to be refused, but it parsed');
  return result.problems;
}

export function stepAt(runbook: Runbook, index: number): RunbookStep {
  const step = runbook.steps[index];
  if (!step) throw new Error(`no step at ${index}; steps: ${runbook.steps.map((s) => s.title).join(', ')}`);
  return step;
}
