import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { notify } from './outbox';
import { formatDue, greet, stepPath, text, type Named, type StepRef } from './compose';

/** The words of the messages about a step's approval, and about one overdue past its grace time. */

/** A step completed that needs approval: each approver hears (not whoever completed it). */
export function tellApprovalNeeded(db: Db, step: StepRef, completedBy: number, now: Date): void {
  const approvers = sql(
    db,
    `SELECT DISTINCT p.id, p.name, c.name AS completed_by_name
       FROM run_steps s JOIN people c ON c.id = @completedBy
       JOIN people p ON p.active = 1 AND (p.id = s.approver_id
         OR p.id IN (SELECT m.person_id FROM role_members m WHERE m.role_id = s.approver_role_id))
      WHERE s.run_id = @run AND s.position = @position AND p.id != @completedBy`,
  ).all({ run: step.runId, position: step.position, completedBy }) as (Named & { completed_by_name: string })[];
  for (const approver of approvers) {
    notify(
      db,
      {
        personId: approver.id,
        kind: 'assigned',
        subject: text`${step.runTitle}: "${step.title}" waits for your approval`,
        body:
          text`${greet(approver.name)}${approver.completed_by_name} completed "${step.title}" in "${step.runTitle}". It needs your approval before the work goes on.\n\n` +
          text`Approve or send it back: {link}\n`,
        linkPath: stepPath(step),
        runId: step.runId,
      },
      now,
    );
  }
}

/** A step sent back by its approver: its assignee hears why. */
export function tellRejected(db: Db, step: StepRef, personId: number, by: Named, reason: string, now: Date): void {
  const person = sql(db, 'SELECT name FROM people WHERE id = ?').get(personId) as { name: string } | undefined;
  if (!person) return;
  notify(
    db,
    {
      personId,
      kind: 'assigned',
      subject: text`${step.runTitle}: ${by.name} sent "${step.title}" back`,
      body: text`${greet(person.name)}${by.name} did not approve "${step.title}" in "${step.runTitle}" and sent it back to you.\nWhy: ${reason}\n\nOpen the step: {link}\n`,
      linkPath: stepPath(step),
      runId: step.runId,
    },
    now,
  );
}

/**
 * An overdue step past its grace time: its role's first backup and the runbook's owner hear
 * (once), so that someone can step in or chase it.
 */
export function tellEscalated(
  db: Db,
  step: StepRef & { assignee: Named | null; runbookTitle: string },
  to: { person: Named; why: string },
  now: Date,
): void {
  const whose = step.assignee ? `${step.assignee.name}'s step` : 'A step nobody has';
  notify(
    db,
    {
      personId: to.person.id,
      kind: 'overdue',
      subject: text`Still not done: "${step.title}" (${step.runTitle})`,
      body:
        text`${greet(to.person.name)}${whose} "${step.title}" in "${step.runTitle}" was due ${formatDue(step.dueAt as string)} and is not done yet.\n` +
        text`You hear because ${to.why}. Take it over, or ask ${step.assignee ? step.assignee.name : 'someone'} about it, from the step's page.\n\nOpen the step: {link}\n`,
      linkPath: stepPath(step),
      runId: step.runId,
    },
    now,
  );
}
