import type { FieldDef } from './fields';

/** A runbook as the Markdown file describes it (see docs/runbook-format.md). */

export const INCOMES = ['direct', 'indirect', 'none'] as const;
export type Income = (typeof INCOMES)[number];

export interface RunbookStep {
  title: string;
  /** Role or person named by `Owner:`; null when the step inherits the runbook's owner. */
  owner: string | null;
  estimate: string | null;
  estimateMinutes: number | null;
  due: string | null;
  income: Income | null;
  /** null when the file does not say; an unstated step is required. */
  optional: boolean | null;
  body: string;
  /** Task-list items of the body, in order, as Markdown inline text. */
  checks: string[];
  /** `Field:` lines: what the step records, filled while it is open. */
  fields: FieldDef[];
  /** `When:` as written: the step applies only while it holds (see conditions.ts). */
  when: string | null;
  /** `Approval:` the role or person who must approve the step once it is completed. */
  approval: string | null;
}

export interface Runbook {
  /** The YAML between the `---` lines, verbatim, so unknown keys and comments survive export. */
  frontMatter: string;
  title: string;
  category: string | null;
  owner: string | null;
  tags: string[];
  income: Income | null;
  schedule: string | null;
  review: string | null;
  /** How long an overdue step waits before its role's backup and the runbook's owner hear (`4h`, `1 working day`). */
  escalate: string | null;
  intro: string;
  steps: RunbookStep[];
  /** Front matter `fields:`: asked when a run starts. */
  fields: FieldDef[];
  /** Front matter `run-title`: a new run's title, with `{Field}` replaced by run fields' values. */
  runTitle: string | null;
}

export interface ParseProblem {
  line: number;
  message: string;
}

/** The owner who does a step: its own `Owner:`, else the runbook's, else nobody (a gap). */
export function effectiveOwner(runbook: Pick<Runbook, 'owner'>, step: Pick<RunbookStep, 'owner'>): string | null {
  return step.owner ?? runbook.owner ?? null;
}
