import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { firstName, tellOverdue } from './compose';
import { tellEscalated } from './compose-approvals';
import { tellReviewDue } from './compose-account';
import { reviewEveryLabel } from '../runbooks/reviews';
import { resolveOwner } from '../people/owners';
import { today } from '../people/absences';
import { notify, type NotificationRow } from './outbox';
import { plain } from './links';
import { queueWebhookEvent, runEventData } from '../webhooks/events';

/**
 * Open steps due by @now whose assignee has not been told yet. Person by person (CROSS JOIN
 * keeps that order), each one's open steps due by now come straight from
 * run_steps_open_by_assignee, so the sweep reads only overdue steps.
 */
export const OVERDUE_STEPS = `
SELECT s.id, s.run_id, s.position, s.title, s.due_at, s.assignee_id, p.name AS assignee_name, r.title AS run_title
  FROM people p CROSS JOIN run_steps s ON s.assignee_id = p.id AND s.status = 'open' AND s.due_at <= @now
  JOIN runs r ON r.id = s.run_id
 WHERE p.active = 1 AND s.overdue_notified_at IS NULL AND r.status = 'open'
 ORDER BY s.due_at, s.id`;

/**
 * Tells each assignee once when a step of theirs passes its due time. Handing the step to
 * someone else clears the mark, so the new assignee hears too.
 */
export function notifyOverdueSteps(db: Db, now: Date = new Date()): number {
  return db.transaction(() => {
    const rows = sql(db, OVERDUE_STEPS).all({ now: now.toISOString() }) as {
      id: number;
      run_id: number;
      position: number;
      title: string;
      due_at: string;
      assignee_id: number;
      assignee_name: string;
      run_title: string;
    }[];
    const mark = sql(db, 'UPDATE run_steps SET overdue_notified_at = ? WHERE id = ?');
    for (const row of rows) {
      tellOverdue(
        db,
        {
          runId: row.run_id,
          runTitle: row.run_title,
          position: row.position,
          title: row.title,
          dueAt: row.due_at,
          assignee: { id: row.assignee_id, name: row.assignee_name },
        },
        now,
      );
      mark.run(now.toISOString(), row.id);
      queueWebhookEvent(db, 'step.overdue', now.toISOString(), () =>
        runEventData(db, { runId: row.run_id, runStepId: row.id, actorId: null }),
      );
    }
    return rows.length;
  })();
}

/**
 * Open steps whose escalation time (due time plus the runbook's grace time, set when the run
 * started) has passed and that were not escalated yet: person by person through
 * run_steps_open_by_assignee (escalation comes after the due time), then those nobody has.
 */
export const STEPS_TO_ESCALATE = `
SELECT s.id, s.run_id, s.position, s.title, s.due_at, s.role_id, s.assignee_id, a.name AS assignee_name,
       r.title AS run_title, v.title AS runbook_title, v.owner AS runbook_owner
  FROM people a CROSS JOIN run_steps s ON s.assignee_id = a.id AND s.status = 'open' AND s.due_at <= @now
  JOIN runs r ON r.id = s.run_id JOIN runbook_versions v ON v.id = r.version_id
 WHERE s.escalated_at IS NULL AND s.escalate_at <= @now AND r.status = 'open'
UNION ALL
SELECT s.id, s.run_id, s.position, s.title, s.due_at, s.role_id, NULL, NULL, r.title, v.title, v.owner
  FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN runbook_versions v ON v.id = r.version_id
 WHERE s.assignee_id IS NULL AND s.status = 'open' AND s.due_at <= @now
   AND s.escalated_at IS NULL AND s.escalate_at <= @now AND r.status = 'open'`;

interface EscalationRow {
  id: number;
  run_id: number;
  position: number;
  title: string;
  due_at: string;
  role_id: number | null;
  assignee_id: number | null;
  assignee_name: string | null;
  run_title: string;
  runbook_title: string;
  runbook_owner: string | null;
}

/**
 * Escalates each overdue step once, after its grace time (runbook front matter `escalate:`,
 * default one working day): the first backup of the step's role who is here (not the
 * assignee) and whoever the runbook's owner role gives it to today are emailed through the
 * outbox. A step is marked even when nobody can be told, so it is never escalated twice.
 */
export function escalateOverdueSteps(db: Db, now: Date = new Date()): number {
  return db.transaction(() => {
    const rows = sql(db, STEPS_TO_ESCALATE).all({ now: now.toISOString() }) as EscalationRow[];
    const firstBackup = sql(
      db,
      `SELECT p.id, p.name, r.name AS role FROM role_members m JOIN people p ON p.id = m.person_id JOIN roles r ON r.id = m.role_id
        WHERE m.role_id = @role AND m.is_primary = 0 AND p.active = 1 AND p.id IS NOT @assignee
          AND NOT EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = p.id AND a.starts_on <= @today AND a.ends_on >= @today)
        ORDER BY m.position, p.id LIMIT 1`,
    );
    const mark = sql(db, 'UPDATE run_steps SET escalated_at = ? WHERE id = ?');
    for (const row of rows) {
      const told = new Set<number>();
      const step = {
        runId: row.run_id,
        runTitle: row.run_title,
        runbookTitle: row.runbook_title,
        position: row.position,
        title: row.title,
        dueAt: row.due_at,
        assignee: row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name as string },
      };
      const tell = (person: { id: number; name: string } | null, why: string) => {
        if (!person || person.id === row.assignee_id || told.has(person.id)) return;
        told.add(person.id);
        tellEscalated(db, step, { person, why }, now);
      };
      if (row.role_id !== null) {
        const backup = firstBackup.get({ role: row.role_id, assignee: row.assignee_id, today: today(now) }) as
          { id: number; name: string; role: string } | undefined;
        if (backup) tell(backup, `you are a backup of ${backup.role}`);
      }
      const owner = resolveOwner(db, row.runbook_owner, now);
      if (owner.kind !== 'none') tell(owner.assignee, `${row.runbook_owner} is accountable for "${row.runbook_title}"`);
      mark.run(now.toISOString(), row.id);
    }
    return rows.length;
  })();
}

/**
 * Tells each runbook's owner role once when its review falls due: whoever takes the role's
 * work today (resolveOwner: the primary, or a backup while they are away). Marked even when
 * nobody can be told, so it is not tried again until the next review clears the mark.
 */
export function notifyReviewsDue(db: Db, now: Date = new Date()): number {
  return db.transaction(() => {
    const rows = sql(
      db,
      `SELECT r.id, r.slug, r.review_due_at, v.title, v.owner, v.review
         FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id
        WHERE r.review_due_at IS NOT NULL AND r.archived_at IS NULL AND r.review_due_at <= @now AND r.review_notified_at IS NULL`,
    ).all({ now: now.toISOString() }) as {
      id: number;
      slug: string;
      review_due_at: string;
      title: string;
      owner: string | null;
      review: string;
    }[];
    const mark = sql(db, 'UPDATE runbooks SET review_notified_at = ? WHERE id = ?');
    for (const row of rows) {
      const owner = resolveOwner(db, row.owner, now);
      if (owner.kind !== 'none' && owner.assignee) {
        const every = (reviewEveryLabel(row.review) ?? row.review).replace(/^every /, '');
        tellReviewDue(
          db,
          { slug: row.slug, title: row.title, every, dueAt: row.review_due_at },
          { person: owner.assignee, role: row.owner as string },
          now,
        );
      }
      mark.run(now.toISOString(), row.id);
    }
    return rows.length;
  })();
}

/** The latest daily digest time at or before `now` (digestHour, UTC). */
export function lastDigestTime(now: Date, digestHour: number): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), digestHour));
  if (at > now) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

/**
 * For people who chose a daily digest: once a day, from `digestHour` on, the messages kept
 * for them become one email. Returns the number of digests made.
 */
export function composeDigests(db: Db, digestHour: number, now: Date = new Date()): number {
  const since = lastDigestTime(now, digestHour).toISOString();
  return db.transaction(() => {
    const people = sql(
      db,
      `SELECT DISTINCT n.person_id AS id, p.name FROM notifications n JOIN people p ON p.id = n.person_id
        WHERE n.status = 'digest' AND p.active = 1 AND NOT EXISTS (
          SELECT 1 FROM notifications d WHERE d.person_id = n.person_id AND d.kind = 'digest' AND d.created_at >= @since)`,
    ).all({ since }) as { id: number; name: string }[];
    for (const person of people) {
      const items = sql(db, "SELECT * FROM notifications WHERE person_id = ? AND status = 'digest' ORDER BY id").all(
        person.id,
      ) as NotificationRow[];
      const sections = items.map((item) => {
        // Each item keeps its own link; its greeting is the digest's.
        const text = item.body
          .replace(/^Hi [^\n]*\n\n/, '')
          .replace(/\{link\}/g, `{link:${item.link_path}}`)
          .trimEnd();
        return `== ${item.subject}\n${text}`;
      });
      const count = items.length === 1 ? '1 update' : `${items.length} updates`;
      notify(
        db,
        {
          personId: person.id,
          kind: 'digest',
          subject: `Your daily digest: ${count}`,
          body: `Hi ${plain(firstName(person.name))},\n\n${count} about your work since the last digest.\n\n${sections.join('\n\n')}\n\nAll your work: {link}\n`,
          linkPath: '/my-work',
          runId: null,
        },
        now,
      );
      const digestId = Number((sql(db, 'SELECT last_insert_rowid() AS id').get() as { id: number }).id);
      const markDigested = sql(db, "UPDATE notifications SET status = 'digested', digest_id = ? WHERE id = ?");
      for (const item of items) markDigested.run(digestId, item.id);
    }
    return people.length;
  })();
}
