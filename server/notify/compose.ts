import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { notify } from './outbox';
import { plain } from './links';

/**
 * The words of each message. Plain text that reads well in any mail client and on a phone;
 * `{link}` is replaced when the message is sent (see links.ts).
 */

/**
 * A due time in the workspace's time zone (TZ, checked at start; else the machine's), named, as
 * the reader may be elsewhere: "Tue 15 Dec 2026, 09:00 (America/New_York)". People have no time
 * zone of their own yet. Node reads TZ again when it changes, so the format is made per zone.
 */
const dueFormats = new Map<string, Intl.DateTimeFormat>();
export function formatDue(iso: string): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let format = dueFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
    });
    dueFormats.set(zone, format);
  }
  return `${format.format(new Date(iso))} (${zone})`;
}

export interface Named {
  id: number;
  name: string;
}

export interface StepRef {
  runId: number;
  runTitle: string;
  position: number;
  title: string;
  dueAt: string | null;
}

/** A template whose every interpolation is user text: none of it can become a link placeholder. */
export const text = (strings: TemplateStringsArray, ...values: unknown[]) =>
  strings.reduce((out, part, i) => out + part + (i < values.length ? plain(String(values[i])) : ''), '');

const stepLine = (step: StepRef, withRun: boolean) =>
  text`  - ${withRun ? `${step.runTitle}: ` : ''}${step.title}${step.dueAt ? ` (due ${formatDue(step.dueAt)})` : ''}`;
export const stepPath = (step: Pick<StepRef, 'runId' | 'position'>) => `/runs/${step.runId}#step-${step.position}`;
/** "Ben Ledger" → "Ben": emails greet people as a colleague would. A one-word name stays whole. */
export const firstName = (name: string) => name.trim().split(/\s+/)[0] || name;
export const greet = (name: string) => text`Hi ${firstName(name)},\n\n`;

/** At a run's start, each assignee hears once, with all of their steps in it (not the person who started it). */
export function tellAssignedAtStart(db: Db, runId: number, startedBy: Named | null, now: Date): void {
  const rows = sql(
    db,
    `SELECT s.position, s.title, s.due_at, s.assignee_id, p.name AS assignee_name, r.title AS run_title, v.title AS runbook_title
       FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN runbook_versions v ON v.id = r.version_id
       JOIN people p ON p.id = s.assignee_id
      WHERE s.run_id = ? AND s.status = 'open' ORDER BY s.assignee_id, s.position`,
  ).all(runId) as {
    position: number;
    title: string;
    due_at: string | null;
    assignee_id: number;
    assignee_name: string;
    run_title: string;
    runbook_title: string;
  }[];
  const byPerson = new Map<number, typeof rows>(); // Map.groupBy needs Node 21
  for (const row of rows) byPerson.set(row.assignee_id, [...(byPerson.get(row.assignee_id) ?? []), row]);
  for (const [personId, steps] of byPerson) {
    if (personId === startedBy?.id) continue;
    const first = steps[0];
    if (!first) continue;
    const refs = steps.map((s) => ({ runId, runTitle: s.run_title, position: s.position, title: s.title, dueAt: s.due_at }));
    const who = startedBy ? `${startedBy.name} started` : 'The schedule started';
    notify(
      db,
      {
        personId,
        kind: 'assigned',
        subject:
          steps.length === 1 ? `${first.run_title}: "${first.title}" is yours` : `${first.run_title}: ${steps.length} steps are yours`,
        body:
          text`${greet(first.assignee_name)}${who} "${first.run_title}" (${first.runbook_title}). ${steps.length === 1 ? 'This step is' : 'These steps are'} yours:\n\n` +
          text`${refs.map((r) => stepLine(r, false)).join('\n')}\n\nOpen the run: {link}\n`,
        linkPath: stepPath(refs[0] as StepRef),
        runId,
      },
      now,
    );
  }
}

/** One step changed hands: the new assignee and the previous one both hear (not whoever did it). */
export function tellReassigned(
  db: Db,
  change: { step: StepRef; from: Named | null; to: Named; by: Named; reason: string },
  now: Date,
): void {
  const { step, from, to, by, reason } = change;
  if (to.id !== by.id) {
    notify(
      db,
      {
        personId: to.id,
        kind: 'assigned',
        subject: text`${step.runTitle}: ${by.name} handed you "${step.title}"`,
        body:
          text`${greet(to.name)}${by.name} handed you "${step.title}" in "${step.runTitle}"${from ? ` (it was ${from.id === by.id ? 'theirs' : `${from.name}'s`})` : ''}.\n` +
          text`Why: ${reason}\n${step.dueAt ? `Due: ${formatDue(step.dueAt)}\n` : ''}\nOpen the step: {link}\n`,
        linkPath: stepPath(step),
        runId: step.runId,
      },
      now,
    );
  }
  if (from && from.id !== by.id) {
    notify(
      db,
      {
        personId: from.id,
        kind: 'handed-off',
        subject: text`${step.runTitle}: "${step.title}" now goes to ${to.name}`,
        body: text`${greet(from.name)}${by.name} handed "${step.title}" in "${step.runTitle}" to ${to.name}; it is no longer yours.\nWhy: ${reason}\n\nThe run: {link}\n`,
        linkPath: stepPath(step),
        runId: step.runId,
      },
      now,
    );
  }
}

/** Many steps changed hands at once (a holiday, someone leaving): one message each, listing them. */
export function tellHandedOff(
  db: Db,
  change: { steps: StepRef[]; from: Named; to: Named; by: Named; reason: string; fromStaying: boolean },
  now: Date,
): void {
  const { steps, from, to, by, reason } = change;
  const list = steps.map((s) => stepLine(s, true)).join('\n');
  const count = steps.length === 1 ? '1 step' : `${steps.length} steps`;
  if (to.id !== by.id) {
    notify(
      db,
      {
        personId: to.id,
        kind: 'assigned',
        subject: text`${by.name} handed you ${count} from ${from.name}`,
        body: text`${greet(to.name)}${by.name} handed you ${count} that ${from.name} had.\nWhy: ${reason}\n\n${list}\n\nYour work: {link}\n`,
        linkPath: '/my-work',
        runId: null,
      },
      now,
    );
  }
  if (change.fromStaying && from.id !== by.id) {
    notify(
      db,
      {
        personId: from.id,
        kind: 'handed-off',
        subject: text`${count} of yours now go to ${to.name}`,
        body: text`${greet(from.name)}${by.name} handed ${count} of yours to ${to.name}; they are no longer yours.\nWhy: ${reason}\n\n${list}\n\nYour work: {link}\n`,
        linkPath: '/my-work',
        runId: null,
      },
      now,
    );
  }
}

export function tellOverdue(db: Db, step: StepRef & { assignee: Named }, now: Date): void {
  notify(
    db,
    {
      personId: step.assignee.id,
      kind: 'overdue',
      subject: text`Overdue: "${step.title}" (${step.runTitle})`,
      body:
        text`${greet(step.assignee.name)}"${step.title}" in "${step.runTitle}" was due ${formatDue(step.dueAt as string)} and is not done yet.\n` +
        text`If you cannot do it, hand it to someone from the step's page.\n\nOpen the step: {link}\n`,
      linkPath: stepPath(step),
      runId: step.runId,
    },
    now,
  );
}

/** A step that was not needed is needed again (a field changed): its assignee hears. */
export function tellNeededAgain(db: Db, runId: number, position: number, personId: number, now: Date): void {
  const row = sql(
    db,
    `SELECT s.title, s.due_at, r.title AS run_title, p.name FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN people p ON p.id = ?
      WHERE s.run_id = ? AND s.position = ?`,
  ).get(personId, runId, position) as { title: string; due_at: string | null; run_title: string; name: string } | undefined;
  if (!row) return;
  const step = { runId, runTitle: row.run_title, position, title: row.title, dueAt: row.due_at };
  notify(
    db,
    {
      personId,
      kind: 'assigned',
      subject: text`${row.run_title}: "${row.title}" is needed now`,
      body: text`${greet(row.name)}"${row.title}" in "${row.run_title}" was not needed, and now is: a field it depends on changed.\n\nOpen the step: {link}\n`,
      linkPath: stepPath(step),
      runId,
    },
    now,
  );
}

/**
 * A run was finished while optional steps of this person were still open: they were closed as
 * "not done" (server/runs/complete-run.ts), and the person hears so, rather than seeing them
 * silently leave their work.
 */
export function tellNotDone(db: Db, change: { person: Named; finishedBy: Named | null; steps: StepRef[] }, now: Date): void {
  const { person, finishedBy, steps } = change;
  const first = steps[0];
  if (!first) return;
  const who = finishedBy ? finishedBy.name : 'Someone';
  const these = steps.length === 1 ? 'this optional step of yours was' : `these ${steps.length} optional steps of yours were`;
  notify(
    db,
    {
      personId: person.id,
      kind: 'handed-off',
      subject: text`${first.runTitle} is finished: ${steps.length === 1 ? `"${first.title}" was` : `${steps.length} of your steps were`} not done`,
      body:
        text`${greet(person.name)}${who} finished "${first.runTitle}", and ${these} closed as not done; there is nothing more to do for ${steps.length === 1 ? 'it' : 'them'}:\n\n` +
        text`${steps.map((s) => stepLine(s, false)).join('\n')}\n\nThe run: {link}\n`,
      linkPath: stepPath(first),
      runId: first.runId,
    },
    now,
  );
}
