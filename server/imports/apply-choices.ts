import type { ImportOptions } from './draft';
import type { BuiltStep } from './build';
import { canonicalOwner } from './rules/owners';

/** Merges, splits, owners and titles the person chose, by step key. */
export function applyChoices(
  steps: BuiltStep[],
  options: ImportOptions,
  known: readonly string[],
  folded: { key: string; title: string }[] = [],
): BuiltStep[] {
  const merged: BuiltStep[] = [];
  const merge = new Set(options.merge ?? []);
  for (const step of steps) {
    const previous = merged[merged.length - 1];
    if (previous && merge.has(step.key)) {
      previous.pieces.push({ kind: 'text', md: `### ${step.title}` }, ...step.pieces);
      folded.push({ key: step.key, title: step.title });
      continue;
    }
    merged.push({ ...step, pieces: [...step.pieces] });
  }
  const out: BuiltStep[] = [];
  for (const step of merged) {
    const at = options.split?.[step.key];
    const checks = step.pieces.flatMap((p, i) => (p.kind === 'check' ? [i] : []));
    if (at !== undefined && at >= 2 && at <= checks.length) {
      const cut = checks[at - 1] as number;
      out.push({ ...step, pieces: step.pieces.slice(0, cut) });
      out.push({ ...step, key: `${step.key}~2`, title: `${step.title} (continued)`, pieces: step.pieces.slice(cut) });
    } else out.push(step);
  }
  for (const step of out) {
    const title = options.titles?.[step.key]?.replace(/\s+/g, ' ').trim();
    if (title) step.title = title.slice(0, 200);
    if (Object.hasOwn(options.owners ?? {}, step.key)) {
      const owner = (options.owners?.[step.key] ?? '').replace(/\s+/g, ' ').trim();
      step.owner = owner === '' ? null : canonicalOwner(owner, known).slice(0, 200);
      step.ownerFrom = null;
    }
  }
  return out;
}
