import type { Db } from '../db/open';
import { renderMarkdown } from '../markdown/render';
import { resolveOwner, type OwnerResolution } from '../people/owners';
import { describeReview, parseDue } from './format/durations';
import { scheduleSummary } from './format/schedule';
import { effectiveOwner, INCOMES, type Income, type Runbook } from './format/model';
import { presentRunbook } from './present';
import { findVersion, listVersions, type RunbookRow } from './repo';
import type { FieldDef } from './format/fields';
import { startFieldViews } from './field-view';
import { recentRuns } from './slugs';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import { minutes } from '../views/helpers/minutes';
import type { LibraryRow } from './search';
import { COUNT_CAP } from '../db/statements';
import { countReviews, listReviews, reviewEveryLabel, reviewState, unusedSince } from './reviews';

/** What the library pages show; the shapes the templates in views/runbooks read. */

export interface OwnerView {
  /** The name the file gives (the step's own Owner:, else the runbook's), or null. */
  name: string | null;
  /** True when the step names no owner and takes the runbook's. */
  inherited: boolean;
  kind: 'role' | 'person' | 'none';
  /** Who would get the step if a run started now. */
  assignee: string | null;
  gap: boolean;
}

export interface StepView {
  position: number;
  title: string;
  owner: OwnerView;
  estimate: string | null;
  estimateMinutes: number | null;
  dueLabel: string | null;
  optional: boolean;
  checkCount: number;
  bodyHtml: string;
}

const INCOME_LABELS: Record<Income, string> = {
  direct: 'Brings money in',
  indirect: 'Supports income',
  none: 'No income',
};

/** Income potential in words ("direct" → "Brings money in"). */
export const incomeLabel = (income: Income | null) => (income === null ? null : INCOME_LABELS[income]);

export const INCOME_OPTIONS = INCOMES.map((value) => ({ value, label: INCOME_LABELS[value] }));

const SANITISED_TASK_BOX = /<input type="checkbox" disabled(?: checked)? \/>/g;

/**
 * Task-list boxes in a body are pictures of the file's checks, not controls: an empty box
 * drawn by CSS plus words for screen readers (an unlabelled disabled checkbox says nothing).
 * The input is the sanitiser's exact output; only that fixed text is swapped for fixed text.
 */
export function withTaskBoxes(sanitisedHtml: string): string {
  return sanitisedHtml.replace(
    SANITISED_TASK_BOX,
    '<span class="lib-task-box" aria-hidden="true"></span><span class="visually-hidden">Check:</span>',
  );
}

/** "+1d" → "1 day after the run starts"; text the parser accepted but this cannot read is shown as written. */
export function dueLabel(due: string | null): string | null {
  if (due === null) return null;
  const offset = parseDue(due);
  if (!offset) return due;
  if (offset.kind === 'same-day') return 'the day the run starts';
  if (offset.minutes === 0) return 'when the run starts';
  const whole = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  const span =
    offset.minutes % 1440 === 0
      ? whole(offset.minutes / 1440, 'day')
      : offset.minutes % 60 === 0
        ? whole(offset.minutes / 60, 'hour')
        : minutes(offset.minutes);
  return `${span} after the run starts`;
}

function ownerView(owner: OwnerResolution, name: string | null, inherited: boolean): OwnerView {
  const assignee = owner.kind === 'none' ? null : (owner.assignee?.name ?? null);
  return { name, inherited, kind: owner.kind, assignee, gap: assignee === null };
}

/** A stored runbook's current version for its page: owners resolved now, HTML as stored. */
export function presentRunbookPage(db: Db, runbook: RunbookRow) {
  const rb = presentRunbook(db, runbook, runbook.current_version_id);
  const steps: StepView[] = rb.steps.map((s) => ({
    position: s.position,
    title: s.title,
    owner: {
      name: s.owner.name,
      inherited: s.owner.source === 'runbook',
      kind: s.owner.role ? 'role' : s.owner.person ? 'person' : 'none',
      assignee: s.owner.assignee?.name ?? null,
      gap: s.owner.gap,
    },
    estimate: s.estimate,
    estimateMinutes: s.estimateMinutes,
    dueLabel: dueLabel(s.due),
    optional: s.optional,
    checkCount: s.checks.length,
    bodyHtml: withTaskBoxes(s.bodyHtml),
  }));
  return {
    ...rb,
    incomeLabel: incomeLabel(rb.income),
    scheduleWords: rb.schedule ? scheduleSummary(rb.schedule) : null,
    reviewWords: rb.review.every ? describeReview(rb.review.every) : null,
    tagLinks: rb.tags.map((tag) => ({ tag, href: `/runbooks?tag=${encodeURIComponent(tag)}` })),
    steps,
    ...stepTotals(steps),
  };
}

/**
 * An unsaved runbook for the editor's preview: rendered by the one renderer, owners as a run
 * started now would get them.
 */
export function presentPreview(db: Db, runbook: Runbook) {
  const owners = new Map<string, OwnerResolution>();
  const steps: StepView[] = runbook.steps.map((step, i) => {
    const name = effectiveOwner(runbook, step);
    const key = name?.toLowerCase() ?? '';
    const owner = owners.get(key) ?? resolveOwner(db, name);
    owners.set(key, owner);
    return {
      position: i + 1,
      title: step.title,
      owner: ownerView(owner, name, step.owner === null && name !== null),
      estimate: step.estimate,
      estimateMinutes: step.estimateMinutes,
      dueLabel: dueLabel(step.due),
      optional: step.optional === true,
      checkCount: step.checks.length,
      bodyHtml: withTaskBoxes(renderMarkdown(step.body)),
    };
  });
  return {
    title: runbook.title,
    category: runbook.category,
    owner: runbook.owner,
    tags: runbook.tags,
    income: runbook.income,
    incomeLabel: incomeLabel(runbook.income),
    introHtml: renderMarkdown(runbook.intro),
    steps,
    ...stepTotals(steps),
  };
}

function stepTotals(steps: StepView[]) {
  return {
    estimateMinutes: steps.reduce((sum, s) => sum + (s.estimateMinutes ?? 0), 0),
    unestimated: steps.filter((s) => s.estimateMinutes === null).length,
    gaps: steps.filter((s) => s.owner.gap).length,
  };
}

/** A list item, a heading or a quote at the start of a line: its mark, then the text. */
const LINE_MARK = /^[ \t]*(?:[-*+][ \t]+\[[ xX]\][ \t]*|[-*+][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+|>[ \t]?)/;
/** Ends a sentence or a clause already (the \x03 closing a marked word may follow). */
const endsClause = (text: string) => /[.,;:!?…)]$/.test(text.endsWith('\u0003') ? text.slice(0, -1) : text);

/**
 * A snippet of Markdown source as plain words: task boxes, heading marks, emphasis, table
 * pipes and link targets go; the \x02/\x03 match markers stay for the highlight helper. A
 * list item or heading that ends without punctuation gets a semicolon before the next line,
 * so that checks run together read "Payment captured; Address complete", not as one phrase.
 */
export function plainSnippet(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const marked = LINE_MARK.test(line);
      const bare = line.replace(LINE_MARK, '').trimEnd();
      const more = lines.slice(i + 1).some((next) => next.trim() !== '');
      return marked && more && bare !== '' && !endsClause(bare) ? `${bare};` : bare;
    })
    .join('\n')
    .replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/\*\*|__|`+|(?<=\|)[ \t:]*-{3,}[ \t:]*(?=\|)/g, '')
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One runbook in the library's list. */
export function presentLibraryRow(row: LibraryRow, now = new Date()) {
  const since = unusedSince(now);
  const snippets = [
    { where: 'Introduction', text: row.intro_snippet },
    { where: 'Steps', text: row.steps_snippet },
  ]
    .filter((s): s is { where: string; text: string } => typeof s.text === 'string' && s.text.includes('\u0002'))
    .map((s) => ({ where: s.where, text: plainSnippet(s.text) }));
  return {
    slug: row.slug,
    title: row.title,
    titleMarked: row.title_marked ?? null,
    category: row.category,
    owner: row.owner,
    tags: JSON.parse(row.tags) as string[],
    income: row.income,
    incomeLabel: incomeLabel(row.income),
    version: row.version,
    updatedAt: row.updated_at,
    stepCount: row.step_count,
    estimateMinutes: row.estimate_minutes,
    archived: row.archived_at !== null,
    review: row.review === null ? null : reviewState(row.review_due_at, now),
    reviewDueAt: row.review === null ? null : row.review_due_at,
    unused:
      row.archived_at === null &&
      row.created_at < since &&
      (row.kept_at ?? '') < since &&
      (row.last_run_at === null || row.last_run_at < since),
    lastRunAt: row.last_run_at,
    snippets,
  };
}

const REVIEWS_SHOWN = 10;

/** The review part of a runbook's page: the interval in words, where it stands, and the newest reviews. */
function reviewSection(db: Db, row: RunbookRow, every: string | null, now: Date) {
  const history = listReviews(db, row.id, REVIEWS_SHOWN).map((r) => ({
    at: r.reviewed_at,
    by: r.reviewer_name,
    note: r.note,
    marked: r.kind === 'marked',
    version: r.version,
  }));
  const total = countReviews(db, row.id);
  return {
    every: reviewEveryLabel(every),
    lastReviewedAt: row.reviewed_at,
    dueAt: every === null ? null : row.review_due_at,
    state: every === null ? null : reviewState(row.review_due_at, now),
    history,
    older: total >= COUNT_CAP ? COUNT_CAP : total - history.length,
  };
}

const VERSIONS_SHOWN = 10;
const ORIGINS: Record<string, string> = { import: 'imported from a file', api: 'sent through the API', editor: 'edited here' };

/** Everything the runbook's page shows: the runbook, its versions, its recent runs, what the viewer may do. */
/** The run fields of a runbook's current version: what its Start a run form asks for. */
export function runFieldDefs(db: Db, row: RunbookRow): FieldDef[] {
  const version = findVersion(db, row.current_version_id);
  return version ? (JSON.parse(version.run_fields) as FieldDef[]) : [];
}

export function runbookPage(db: Db, actor: Actor, row: RunbookRow, typed: Record<string, unknown> = {}, now = new Date()) {
  const runbook = presentRunbookPage(db, row);
  const defs = runFieldDefs(db, row);
  const since = unusedSince(now);
  const versions = listVersions(db, row.id);
  const { runs, total } = recentRuns(db, row.id);
  return {
    title: runbook.title,
    runbook,
    versions: versions.slice(0, VERSIONS_SHOWN).map((v, i) => ({
      ...v,
      origin: ORIGINS[v.origin] ?? v.origin,
      previous: versions[i + 1]?.number ?? null,
    })),
    olderVersions: Math.max(0, versions.length - VERSIONS_SHOWN),
    versionNumbers: versions.length > 1 ? versions.map((v) => v.number) : [],
    runs,
    // A count that stopped at the cap reads "1,000 or more" (the tally helper).
    moreRuns: total >= COUNT_CAP ? COUNT_CAP : total - runs.length,
    canWrite: can(actor, { action: 'runbook.write' }),
    canStart: can(actor, { action: 'run.start' }) && row.archived_at === null,
    startFields: startFieldViews(defs, typed),
    runTitle: runbook.runTitle,
    review: reviewSection(db, row, runbook.review.every, now),
    // Nobody ran it in 180 days (and nobody chose to keep it since): archive it, or keep it.
    unused:
      row.archived_at === null && row.created_at < since && (row.kept_at ?? '') < since && (runs[0]?.started_at ?? '') < since,
  };
}
