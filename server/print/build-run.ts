import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { runJson } from '../runs/read';
import type { RunDoc } from '../runs/page-model';
import { minutes } from '../views/helpers/minutes';
import { byWhom, checksMatchBody, fileName, printedDate, when, type Body, type PrintDocument, type PrintStep } from './model';
import { qrFor } from './qr';
import { fieldValueText } from '../runbooks/format/fields';

/** A step of the run's JSON, which also carries the Markdown the step was written in. */
export type RunStep = RunDoc['steps'][number] & { body: string };
type RunWithText = Omit<RunDoc, 'steps'> & { steps: RunStep[] };

/** "Vera VA (Packer)", or who should have it when nobody does. */
export function assigneeText(step: RunStep): string {
  const role = step.role?.name ?? step.owner;
  if (step.assignee) return step.role ? `${step.assignee.name} (${step.role.name})` : step.assignee.name;
  return role ? `Nobody assigned (${role})` : 'Nobody assigned';
}

/** Where a step stands with its approver, in words for paper. */
function approvalText(step: RunStep): string | null {
  if (!step.approval) return null;
  if (step.approval.approvedBy) return `Approved by ${step.approval.approvedBy.name}, ${when(step.approval.approvedAt)}`;
  if (step.status === 'awaiting-approval') return `Waits for approval by ${step.approval.by}`;
  return `To be approved by ${step.approval.by}`;
}

/**
 * A step of a run as it stands. Open steps carry their instructions (someone is about to do
 * them); finished ones say who finished them and when, and each check says who ticked it.
 */
export function runStep(step: RunStep, withBody: (step: RunStep) => boolean): PrintStep {
  const body = withBody(step) && step.body.trim() !== '' ? { markdown: step.body, html: step.bodyHtml } : null;
  const checks = step.checks.map((c) => ({
    text: c.text,
    html: c.html,
    ticked: c.ticked,
    tickedBy: c.ticked ? byWhom(c.tickedBy?.name, c.tickedAt) : null,
  }));
  const finishedWord = step.status === 'skipped' ? 'Skipped' : 'Done';
  return {
    position: step.position,
    title: step.title,
    optional: step.optional,
    state:
      step.status === 'complete'
        ? 'done'
        : step.status === 'awaiting-approval'
          ? 'awaiting'
          : step.status === 'not-done'
            ? 'skipped'
            : step.status,
    owner: assigneeText(step),
    due: step.dueAt ? when(step.dueAt) : null,
    overdue: step.overdue,
    estimate: minutes(step.estimateMinutes) || null,
    finished:
      step.status === 'open' || step.status === 'not-needed'
        ? null
        : step.status === 'not-done'
          ? { by: 'Not done: the run was finished without it', at: when(step.completedAt) }
          : { by: `${finishedWord} by ${step.completedBy?.name ?? 'someone'}`, at: when(step.completedAt) },
    note: step.note,
    waiting: step.waiting ? `Waiting since ${when(step.waiting.since)}: ${step.waiting.reason}` : null,
    notes: step.notes.map((n) => ({ by: byWhom(n.by?.name, n.at), text: n.note })),
    olderNotes:
      step.noteCount > step.notes.length
        ? `${step.noteCount - step.notes.length} older note${step.noteCount - step.notes.length === 1 ? '' : 's'}: see the run online`
        : null,
    fields: step.fields.map((field) => ({ name: field.name, value: field.value === null ? null : fieldValueText(field, field.value) })),
    approval: approvalText(step),
    notNeeded: step.status === 'not-needed' ? `Not needed in this run: ${step.condition ?? 'its condition'} does not hold` : null,
    body,
    checks,
    checksInBody: body !== null && checksMatchBody(body, checks),
  };
}

/** The introduction of the runbook version a run started from, when it has one. */
export const runIntro = (run: RunWithText): Body | null =>
  run.runbook.intro.trim() === '' ? null : { markdown: run.runbook.intro, html: run.runbook.introHtml };

/** The run's JSON as the viewer may see it (an outsourcer: their own steps only), or a 404. */
export function loadRun(db: Db, runId: number, viewer: number | null, now: Date): RunWithText {
  const json = runJson(db, runId, viewer, now.toISOString());
  if (json === undefined) throw new NotFoundError(`Run ${runId}`);
  return JSON.parse(json) as RunWithText;
}

/**
 * A run as it stands: done steps with who and when, open steps with their owner, due time
 * and instructions. `viewer` is set for an outsourcer, whose paper holds only their steps.
 */
export function runDocument(db: Db, runId: number, viewer: number | null, baseUrl: string, now: Date): PrintDocument {
  const run = loadRun(db, runId, viewer, now);
  const printed = printedDate(now);
  const url = `${baseUrl}/runs/${run.id}`;
  const progress = `${run.progress.done} of ${run.progress.steps} ${viewer === null ? '' : 'of your '}steps done`;
  return {
    kind: 'run',
    kindLabel: 'Run',
    title: run.title,
    header: `${run.runbook.title} · version ${run.runbook.version} · ${run.title} · printed ${printed}`,
    printedAt: printed,
    facts: [
      { label: 'Runbook', value: `${run.runbook.title}, version ${run.runbook.version}` },
      { label: 'Started', value: byWhom(run.startedBy?.name ?? 'the schedule', run.startedAt) },
      { label: 'Status', value: run.status === 'complete' ? `Complete, finished ${when(run.completedAt)}` : `Open, ${progress}` },
    ],
    record: run.fields.map((field) => ({ name: field.name, value: field.value === null ? null : fieldValueText(field, field.value) })),
    fillIn: [],
    // Its runbook's purpose and warnings, as they were in the version the run started from.
    intro: runIntro(run),
    link: { url, qr: qrFor(url) },
    groups: [
      { heading: null, lines: [], intro: null, link: null, steps: run.steps.map((s) => runStep(s, (step) => step.status === 'open')) },
    ],
    empty: 'This run has no steps to show.',
    filename: fileName('run', run.id, run.title),
    backHref: `/runs/${run.id}`,
    backLabel: 'Back to the run',
  };
}
