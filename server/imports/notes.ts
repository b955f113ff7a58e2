import type { Runbook } from '../runbooks/format/model';
import type { Built, BuiltStep } from './build';
import { PSEUDO_LEVEL } from './tree';

/** What the rules guessed, in words for the person checking the draft. */

const quoteList = (titles: string[]) => {
  const quoted = titles.map((t) => `“${t}”`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
};

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const KIND_WORDS = {
  task: ['task-list item', 'task-list items'],
  numbered: ['numbered action', 'numbered actions'],
  bullet: ['bullet point', 'bullet points'],
};

export function levelName(level: number): string {
  return level === PSEUDO_LEVEL ? 'bold lines and “Step N:” lines' : `level-${level} headings`;
}

export function describe(input: {
  steps: BuiltStep[];
  parsed: Runbook;
  built: Built;
  wholeDocument: boolean;
  newOwners: string[];
  level: number | null;
  pseudo: boolean;
}): string[] {
  const notes: string[] = [];
  const { steps, parsed, built } = input;
  if (input.wholeDocument) {
    const checks = parsed.steps.reduce((sum, s) => sum + s.checks.length, 0);
    notes.push(
      checks === 0
        ? 'The document has no headings and no lists: it became one step with its text. Split it or add checks in the editor.'
        : `No heading reads as a step, so the document became ${parsed.steps.length === 1 ? 'one step' : `${parsed.steps.length} steps, one per owner`}; its lists became its checks.`,
    );
  } else if (input.level !== null) {
    const fromLevel = steps.filter((s) => s.parts === 1 || s.key.endsWith('.1')).length;
    const example = built.levels.find((l) => l.level === input.level)?.example;
    notes.push(
      `Steps were made from the ${levelName(input.level)}${example ? ` (such as “${example}”)` : ''}: ${count(fromLevel, 'section')} became ${count(parsed.steps.length, 'step')}.`,
    );
  }
  if (built.introSections.length > 0) {
    notes.push(`${quoteList(built.introSections.map((s) => s.title))} went into the introduction.`);
  }
  // Checks by kind: per step for a short runbook, summed for a long one.
  const kinds = steps.map((step) => {
    const tally = { task: 0, numbered: 0, bullet: 0 };
    for (const piece of step.pieces) if (piece.kind === 'check' && piece.checkKind) tally[piece.checkKind]++;
    return tally;
  });
  const withChecks = kinds.map((k, i) => ({ k, i })).filter(({ k }) => k.task + k.numbered + k.bullet > 0);
  if (withChecks.length > 0 && withChecks.length <= 5) {
    for (const { k, i } of withChecks) {
      const parts = (['numbered', 'bullet', 'task'] as const)
        .filter((kind) => k[kind] > 0)
        .map((kind) => count(k[kind], KIND_WORDS[kind][0] as string, KIND_WORDS[kind][1]));
      const total = k.task + k.numbered + k.bullet;
      notes.push(`${parts.join(' and ')} became ${total === 1 ? 'a check' : 'checks'} of step ${i + 1} (“${parsed.steps[i]?.title}”).`);
    }
  } else if (withChecks.length > 5) {
    const total = { task: 0, numbered: 0, bullet: 0 };
    for (const { k } of withChecks) for (const kind of ['task', 'numbered', 'bullet'] as const) total[kind] += k[kind];
    const parts = (['numbered', 'bullet', 'task'] as const)
      .filter((kind) => total[kind] > 0)
      .map((kind) => count(total[kind], KIND_WORDS[kind][0] as string, KIND_WORDS[kind][1]));
    notes.push(`${parts.join(', ')} became checks of ${count(withChecks.length, 'step')}.`);
  }
  if (built.referenceLists.length > 0) {
    notes.push(
      `The list${built.referenceLists.length > 1 ? 's' : ''} under ${quoteList([...new Set(built.referenceLists)])} stayed text: links to read, not actions.`,
    );
  }
  const splitSections = new Map<number, BuiltStep[]>();
  for (const step of steps)
    if (step.parts > 1 && step.section !== null) splitSections.set(step.section, [...(splitSections.get(step.section) ?? []), step]);
  for (const parts of splitSections.values()) {
    const owners = [...new Set(parts.map((p) => p.owner ?? 'nobody'))];
    const base = (parts[0]?.title ?? '').replace(/ \([^)]*\)$/, '');
    notes.push(
      `“${base}” has items for ${quoteList(owners).replace(/[“”]/g, '')}: it became ${count(parts.length, 'step')}, one for each owner in turn.`,
    );
  }
  const fromText = steps.filter((s) => s.ownerFrom !== null && s.owner !== null);
  for (const step of fromText.slice(0, 5)) notes.push(`The owner of “${step.title}”, ${step.owner}, came from ${step.ownerFrom}.`);
  if (fromText.length > 5) notes.push(`${fromText.length - 5} more steps took their owner from their text.`);
  if (parsed.steps.every((s) => s.owner === null))
    notes.push('No owner was found: choose one for each step, or leave the steps to the runbook as a whole.');
  for (const owner of input.newOwners) notes.push(`Owner “${owner}” is not a role yet: it will be created.`);
  return notes;
}
