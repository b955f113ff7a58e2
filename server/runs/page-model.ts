import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import { type FieldType, type FieldValue, fieldValueText } from '../runbooks/format/fields';
import { fieldView } from '../runbooks/field-view';
import type { HandOffRow } from './events';

/** The run as GET /api/runs/:id gives it (server/runs/read.ts). */
export interface RunDoc {
  id: number;
  title: string;
  status: 'open' | 'complete';
  /** With the introduction (Markdown and sanitised HTML) of the version the run started from. */
  runbook: { slug: string; title: string; version: number; intro: string; introHtml: string };
  startedAt: string;
  startedBy: Ref | null;
  completedAt: string | null;
  progress: { steps: number; done: number; required: number; requiredDone: number };
  fields: FieldDoc[];
  steps: StepDoc[];
  /** The newest events (server/runs/read.ts), oldest of them first. */
  events: RunEvent[];
  /** Where the events before those are, when there are more. */
  olderEvents: string | null;
}
export interface RunEvent {
  id: number;
  kind: string;
  at: string;
  actor: Ref | null;
  step: number | null;
  data: Record<string, unknown>;
}
interface Ref {
  id: number;
  name: string;
  /** For the people a step may go to: the last day of an absence they are in today. */
  awayUntil?: string | null;
}
export interface FieldDoc {
  name: string;
  type: FieldType;
  required: boolean;
  options: string[];
  value: FieldValue | null;
  setBy: Ref | null;
  setAt: string | null;
}
export interface StepNote {
  at: string;
  by: Ref | null;
  note: string;
}
export interface StepDoc {
  position: number;
  title: string;
  owner: string | null;
  role: Ref | null;
  assignee: Ref | null;
  optional: boolean;
  estimateMinutes: number | null;
  dueAt: string | null;
  overdue: boolean;
  status: 'open' | 'complete' | 'skipped' | 'not-done' | 'not-needed' | 'awaiting-approval';
  completedBy: Ref | null;
  completedAt: string | null;
  note: string | null;
  /** An open step standing still for a reason outside the team; its due time keeps counting. */
  waiting: { reason: string; since: string; by: Ref | null } | null;
  /** The step's newest notes (oldest of them first), and how many it has in all. */
  notes: StepNote[];
  noteCount: number;
  dueFrom: { field: string; minutes: number } | null;
  condition: string | null;
  approval: { by: string; approvedBy: Ref | null; approvedAt: string | null } | null;
  fields: FieldDoc[];
  bodyHtml: string;
  checks: { index: number; text: string; html: string; ticked: boolean; tickedBy: Ref | null; tickedAt: string | null }[];
}

const STATUS_LABELS = {
  open: 'To do',
  complete: 'Done',
  skipped: 'Skipped',
  'not-done': 'Not done',
  'not-needed': 'Not needed',
  'awaiting-approval': 'Waiting for approval',
} as const;

/** "due once Order date is set", "due 2 days after Order date": a due time counted from a date field. */
function dueFromLabel(dueFrom: NonNullable<StepDoc['dueFrom']>): string {
  const days = Math.round(Math.abs(dueFrom.minutes) / 1440);
  const hours = Math.round(Math.abs(dueFrom.minutes) / 60);
  const amount =
    dueFrom.minutes === 0
      ? ''
      : days >= 1 && dueFrom.minutes % 1440 === 0
        ? `${days} day${days === 1 ? '' : 's'}`
        : `${hours} hour${hours === 1 ? '' : 's'}`;
  return amount === '' ? `on ${dueFrom.field}` : `${amount} ${dueFrom.minutes < 0 ? 'before' : 'after'} ${dueFrom.field}`;
}

/** "from Sam to Vera", with the names as they were at the hand-off (older events had ids only). */
function handOffPeople(data: Record<string, unknown>): string {
  const from = typeof data.fromName === 'string' ? `from ${data.fromName} ` : '';
  return typeof data.toName === 'string' ? `${from}to ${data.toName}` : 'on';
}

/** Every time a step changed hands, oldest first: the step's own history (all of it, not only recent events). */
function handOffsOf(handOffs: HandOffRow[], position: number) {
  return handOffs
    .filter((e) => e.step === position)
    .map((e) => {
      const data = JSON.parse(e.data) as Record<string, unknown>;
      return {
        at: e.at,
        by: e.actor_name ?? 'The schedule',
        people: handOffPeople(data),
        reason: typeof data.reason === 'string' ? data.reason : null,
      };
    });
}

/** "ticked", or for ticks folded into one event, what became of the check and how often it changed. */
function checkChange(event: RunEvent, step: string): string {
  const state = event.kind === 'check.ticked' ? 'ticked' : 'unticked';
  const changes = Array.isArray(event.data.changes) ? event.data.changes.length : 1;
  const text = `“${String(event.data.text)}” in ${step}`;
  return changes > 1 ? `changed ${text} ${changes} times within a minute, leaving it ${state}` : `${state} ${text}`;
}

/** One line of the run's activity, as people say it. */
export function describe(event: RunEvent, steps: Map<number, string>): string {
  const step = event.step === null ? '' : `“${steps.get(event.step) ?? `step ${event.step}`}”`;
  const data = event.data;
  switch (event.kind) {
    case 'run.started':
      return `started the run (version ${String(data.version)})`;
    case 'run.completed':
      return 'finished the run';
    case 'step.completed':
      return `completed ${step}${data.note ? `: ${String(data.note)}` : ''}`;
    case 'step.skipped':
      return `skipped ${step}${data.note ? `: ${String(data.note)}` : ''}`;
    case 'step.not-done':
      return `closed ${step} as not done when finishing the run`;
    case 'step.reopened':
      return `reopened ${step}`;
    case 'step.noted':
      return `noted on ${step}: ${String(data.note)}`;
    case 'step.waiting':
      return `marked ${step} as waiting: ${String(data.reason)}`;
    case 'step.resumed':
      return `took ${step} off waiting (it waited: ${String(data.reason)})`;
    case 'step.reassigned':
      return `handed ${step} ${handOffPeople(data)}${data.reason ? ` (${String(data.reason)})` : ''}`;
    case 'check.ticked':
    case 'check.unticked':
      return checkChange(event, step);
    case 'field.set': {
      const type = typeof data.type === 'string' ? (data.type as FieldType) : 'text';
      const value = data.value as FieldValue | null;
      return value === null ? `emptied ${String(data.name)}` : `set ${String(data.name)} to “${fieldValueText({ type }, value)}”`;
    }
    case 'step.approved':
      return `approved ${step}`;
    case 'step.rejected':
      return `sent ${step} back${data.reason ? `: ${String(data.reason)}` : ''}`;
    case 'step.not-needed':
      return `made ${step} not needed (its condition no longer holds)`;
    case 'step.needed':
      return `made ${step} needed again`;
    default:
      return `${event.kind} ${step}`;
  }
}

/**
 * What the run page shows a viewer: each step with the actions they may take on it (the same
 * policy as the API), a progress figure, and the activity newest first.
 */
export function runPageModel(
  run: RunDoc,
  actor: Actor,
  people: Ref[],
  handOffs: HandOffRow[],
  approverOf: ReadonlySet<number> = new Set(),
  /** A refusal of a form on one step: shown beside that step's buttons, where the person is. */
  refusal: { position: number; text: string } | null = null,
) {
  const titles = new Map(run.steps.map((s) => [s.position, s.title]));
  const open = run.status === 'open';
  const percent = run.progress.steps === 0 ? 0 : Math.round((100 * run.progress.done) / run.progress.steps);
  const hasStep = run.steps.some((s) => s.assignee?.id === actor.id);
  const mayFillRecord = open && can(actor, { action: 'run.fill-fields', startedBy: run.startedBy?.id ?? null, hasStep });
  return {
    run,
    open,
    percent,
    // Open until the viewer has completed a step of this run: its warnings are for whoever is about to
    // do the work (on a phone the box is a screen tall, so it folds once they have started).
    intro:
      run.runbook.introHtml.trim() === ''
        ? null
        : { html: run.runbook.introHtml, open: open && !run.steps.some((s) => s.completedBy?.id === actor.id) },
    canStartAnother: can(actor, { action: 'run.start' }),
    record: run.fields.length > 0 ? { fields: run.fields.map((f) => fieldView(f)), mayFill: mayFillRecord } : null,
    steps: run.steps.map((step) => {
      const mayWork = open && can(actor, { action: 'step.work', assigneeId: step.assignee?.id ?? null });
      const mayReassign = open && step.status === 'open' && can(actor, { action: 'step.reassign', assigneeId: step.assignee?.id ?? null });
      const awaiting = step.status === 'awaiting-approval';
      return {
        ...step,
        statusLabel: awaiting && step.approval ? `Waiting for approval by ${step.approval.by}` : STATUS_LABELS[step.status],
        notNeeded: step.status === 'not-needed',
        awaiting,
        mayApprove:
          open &&
          awaiting &&
          can(actor, { action: 'step.approve', isApprover: approverOf.has(step.position) }) &&
          step.completedBy?.id !== actor.id,
        fieldViews: step.fields.map((f) => fieldView(f)),
        mayFill: mayWork && step.status === 'open',
        dueFromLabel: step.dueFrom ? dueFromLabel(step.dueFrom) : null,
        done: step.status !== 'open',
        mine: step.assignee?.id === actor.id,
        mayTick: mayWork && step.status === 'open',
        mayComplete: mayWork && step.status === 'open',
        maySkip: mayWork && step.status === 'open' && step.optional,
        mayReopen: mayWork && step.status !== 'open' && step.status !== 'not-needed',
        notDone: step.status === 'not-done',
        // Anyone working a step (or, in the team, beside it) notes it at any time while the run is open.
        mayNote: open && can(actor, { action: 'step.comment', assigneeId: step.assignee?.id ?? null }),
        mayWait: mayWork && step.status === 'open',
        olderNotes: step.noteCount - step.notes.length,
        mayReassign,
        people: mayReassign ? people.filter((p) => p.id !== step.assignee?.id) : [],
        openChecks: step.checks.filter((c) => !c.ticked).length,
        refusal: refusal?.position === step.position ? refusal.text : null,
        handOffs: handOffsOf(handOffs, step.position),
      };
    }),
    activity: activityLines(run.events.slice().reverse(), titles),
    // The run page's own address for the events before those shown.
    olderActivity: run.olderEvents === null ? null : run.olderEvents.replace(/^\/api\/runs\/(\d+)\/events/, '/runs/$1/activity'),
  };
}

/** Events as the activity list shows them, in the order given. */
export function activityLines(events: RunEvent[], titles: Map<number, string>) {
  return events.map((e) => ({ at: e.at, who: e.actor?.name ?? 'The schedule', what: describe(e, titles), step: e.step }));
}

/** The page differs by viewer (their steps, their rights), so each viewer has their own cached copy. */
export function pageVariant(actor: Actor): string {
  return `page:${actor.id}:${actor.level}:${actor.via}`;
}
