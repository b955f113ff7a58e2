import type { Runbook, RunbookStep } from './model';
import { STEP_NUMBERING } from './parse';

/**
 * Writes a runbook as Markdown in the format's canonical layout. A file already in this
 * layout comes back byte for byte; any other valid file comes back as the same runbook.
 */
export function writeRunbook(runbook: Runbook, positionOf: (step: RunbookStep) => number = (s) => runbook.steps.indexOf(s) + 1): string {
  const blocks: string[] = [];
  if (runbook.intro !== '') blocks.push(runbook.intro);
  for (const step of runbook.steps) blocks.push(writeStep(step, positionOf(step)));
  return `---\n${runbook.frontMatter === '' ? '' : `${runbook.frontMatter}\n`}---\n\n${blocks.join('\n\n')}\n`;
}

export function writeStep(step: RunbookStep, position: number): string {
  // A title that itself starts like numbering ("2. Pack") would lose that start on import,
  // so it gets a number of our own in front, which the parser strips again.
  const numbered = STEP_NUMBERING.test(step.title) ? `${position}. ${step.title}` : step.title;
  // A title ending in " #" (or only "#") would be read as a closing sequence, so it gets one.
  const title = /(?:^|[ \t])#+$/.test(numbered) ? `${numbered} #` : numbered;
  const lines = [`## ${title}`];
  if (step.owner !== null) lines.push(`Owner: ${step.owner}`);
  if (step.estimate !== null) lines.push(`Estimate: ${step.estimate}`);
  if (step.due !== null) lines.push(`Due: ${step.due}`);
  if (step.income !== null) lines.push(`Income: ${step.income}`);
  if (step.optional !== null) lines.push(`Optional: ${step.optional ? 'yes' : 'no'}`);
  if (step.when !== null) lines.push(`When: ${step.when}`);
  if (step.approval !== null) lines.push(`Approval: ${step.approval}`);
  for (const field of step.fields) lines.push(`Field: ${field.source}`);
  const head = lines.join('\n');
  return step.body === '' ? head : `${head}\n\n${step.body}`;
}
