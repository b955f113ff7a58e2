import type { Db } from '../db/open';
import { notify, notifyNow } from './outbox';
import { formatDue, greet, text, type Named } from './compose';

/** The words of the messages that are not about a run's steps: invitations, password resets, reviews due. */

/**
 * An invitation by email (issue 13 item 8): sent as soon as it is made, to whoever has an
 * address, with the working link (`{invitation:ID}`, filled in by links.ts while it is open).
 */
export function tellInvited(db: Db, invite: { person: Named; by: Named; invitationId: number }, now = new Date()): void {
  const { person, by, invitationId } = invite;
  notifyNow(
    db,
    {
      personId: person.id,
      topic: 'invitation',
      subject: text`${by.name} invited you to your team's runbooks`,
      body:
        text`${greet(person.name)}${by.name} invited you to the team's runbooks: the checklists of how the work is done, and the steps that are yours.\n\n` +
        `Choose a password to get in (the link works once, within 7 days):\n\n{invitation:${invitationId}}\n`,
      linkPath: '/',
      runId: null,
    },
    now,
  );
}

/** A "forgot password" link (issue 13 item 9), sent at once; `{reset:ID}` is filled in by links.ts while it is open. */
export function tellPasswordReset(db: Db, reset: { person: Named; resetId: number }, now = new Date()): void {
  notifyNow(
    db,
    {
      personId: reset.person.id,
      topic: 'password-reset',
      subject: 'Choose a new password',
      body:
        text`${greet(reset.person.name)}Someone, we hope you, asked for a new password for your account. Choose one here (the link works once, within 30 minutes):\n\n` +
        `{reset:${reset.resetId}}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
      linkPath: '/',
      runId: null,
    },
    now,
  );
}

/** A runbook's review fell due: whoever holds its owner role hears once. */
export function tellReviewDue(
  db: Db,
  runbook: { slug: string; title: string; every: string; dueAt: string },
  to: { person: Named; role: string },
  now: Date,
): void {
  notify(
    db,
    {
      personId: to.person.id,
      kind: 'review-due',
      subject: text`Review due: "${runbook.title}"`,
      body:
        text`${greet(to.person.name)}"${runbook.title}" asks to be reviewed every ${runbook.every}, and its review was due ${formatDue(runbook.dueAt)}.\n` +
        text`You hear because ${to.role} is accountable for it. Read it through: if it still holds, mark it reviewed; if not, edit it (a new version counts as a review).\n\nOpen the runbook: {link}\n`,
      linkPath: `/runbooks/${runbook.slug}#lib-reviews-h`,
      runId: null,
    },
    now,
  );
}
