import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { tellOverdue } from './compose';
import { notify, type NotificationRow } from './outbox';
import { plain } from './links';

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
          body: `Hi ${plain(person.name)},\n\n${count} about your work since the last digest.\n\n${sections.join('\n\n')}\n\nAll your work: {link}\n`,
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
