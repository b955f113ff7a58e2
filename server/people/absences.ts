import type { Db } from '../db/open';
import { countUpTo, sql, value } from '../db/statements';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors';
import { audit } from '../audit/repo';
import { formatDay } from '../views/helpers/format-date';

/**
 * Absences. While someone is away, the steps of their roles go to the next backup when a run
 * starts, nobody can hand steps to them, and their open steps are listed for hand-off.
 * Periods are whole days in UTC, both ends included.
 */
export interface AwayRow {
  id: number;
  person_id: number;
  starts_on: string;
  ends_on: string;
  note: string;
  created_by: number | null;
  created_at: string;
}

export const today = (now: Date = new Date()) => now.toISOString().slice(0, 10);

/** The person's periods that have not ended, soonest first. */
export function listAwayPeriods(db: Db, personId: number, now: Date = new Date()): AwayRow[] {
  return sql(db, 'SELECT * FROM away_periods WHERE person_id = ? AND ends_on >= ? ORDER BY starts_on, id').all(
    personId,
    today(now),
  ) as AwayRow[];
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The last day of the absence that includes `day`, with absences back to back (or overlapping)
 * read as one: away 1-6 December and again 7-13 December is "away until 13 Dec". Null when the
 * day is in no absence. `periods` must be sorted by their first day.
 */
export function absenceEnd(periods: readonly Pick<AwayRow, 'starts_on' | 'ends_on'>[], day: string): string | null {
  let until: string | null = null;
  for (const period of periods) {
    if (until === null) {
      if (period.starts_on <= day && period.ends_on >= day) until = period.ends_on;
    } else if (period.starts_on <= nextDay(until)) {
      if (period.ends_on > until) until = period.ends_on;
    } else {
      break;
    }
  }
  return until;
}

/** The last day someone is away, if they are away on `now`'s day (absences back to back read as one). */
export function awayUntil(db: Db, personId: number, now: Date = new Date()): string | null {
  return absenceEnd(listAwayPeriods(db, personId, now), today(now));
}

/** The period someone is in today, if any. */
export function currentAbsence(db: Db, personId: number, now: Date = new Date()): AwayRow | undefined {
  return sql(
    db,
    'SELECT * FROM away_periods WHERE person_id = @person AND starts_on <= @today AND ends_on >= @today ORDER BY ends_on DESC LIMIT 1',
  ).get({ person: personId, today: today(now) }) as AwayRow | undefined;
}

/** Everyone away today (the hand-off page greys them out). */
export function peopleAwayToday(db: Db, now: Date = new Date()): Set<number> {
  const ids = value(db, 'SELECT DISTINCT person_id FROM away_periods WHERE starts_on <= @today AND ends_on >= @today').all({
    today: today(now),
  });
  return new Set(ids as number[]);
}

/** "Sam is away until 31 Dec 2026": the refusal for giving work to someone who is not there. */
export function refuseIfAway(db: Db, person: { id: number; name: string }, field: string, now: Date = new Date()): void {
  const until = awayUntil(db, person.id, now);
  if (until) {
    throw new UnprocessableError(
      'person-away',
      `${field}: ${person.name} is away until ${formatDay(until)}; choose someone who is here`,
      field,
      {
        awayUntil: until,
      },
    );
  }
}

export function addAwayPeriod(
  db: Db,
  input: { personId: number; from: string; to: string; note: string; createdBy: number },
  now: Date = new Date(),
): AwayRow {
  if (input.to < input.from)
    throw new UnprocessableError('bad-period', `to: ${formatDay(input.to)} is before ${formatDay(input.from)}`, 'to');
  if (input.to < today(now)) throw new UnprocessableError('bad-period', `to: ${formatDay(input.to)} is in the past`, 'to');
  return db.transaction(() => {
    const overlap = sql(db, 'SELECT * FROM away_periods WHERE person_id = ? AND starts_on <= ? AND ends_on >= ? LIMIT 1').get(
      input.personId,
      input.to,
      input.from,
    ) as AwayRow | undefined;
    if (overlap) {
      throw new ConflictError(
        'away-overlap',
        `from: this overlaps the absence from ${formatDay(overlap.starts_on)} to ${formatDay(overlap.ends_on)}; change or remove that one`,
        {
          field: 'from',
          period: overlap.id,
        },
      );
    }
    const { lastInsertRowid } = sql(
      db,
      'INSERT INTO away_periods (person_id, starts_on, ends_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(input.personId, input.from, input.to, input.note, input.createdBy, now.toISOString());
    return sql(db, 'SELECT * FROM away_periods WHERE id = ?').get(lastInsertRowid) as AwayRow;
  })();
}

export function removeAwayPeriod(db: Db, personId: number, periodId: number): void {
  const { changes } = sql(db, 'DELETE FROM away_periods WHERE id = ? AND person_id = ?').run(periodId, personId);
  if (changes === 0) throw new NotFoundError(`Absence ${periodId}`);
}

export const presentAway = (row: AwayRow, now: Date = new Date()) => ({
  id: row.id,
  from: row.starts_on,
  to: row.ends_on,
  note: row.note,
  now: row.starts_on <= today(now) && row.ends_on >= today(now),
});

/**
 * People away today whose open steps still wait on them: a gap until someone hands them off.
 * Their steps are counted up to COUNT_CAP.
 */
export function awayToday(db: Db, now: Date = new Date()) {
  const away = sql(
    db,
    `SELECT p.id, p.name, max(a.ends_on) AS until
       FROM away_periods a JOIN people p ON p.id = a.person_id
      WHERE a.starts_on <= @today AND a.ends_on >= @today AND p.active = 1
      GROUP BY p.id ORDER BY p.name COLLATE NOCASE`,
  ).all({ today: today(now) }) as { id: number; name: string; until: string }[];
  return away
    .map((person) => ({
      ...person,
      // Back-to-back absences read as one: away until the last of them ends.
      until: awayUntil(db, person.id, now) ?? person.until,
      open_steps: countUpTo(
        db,
        `SELECT 1 FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.assignee_id = @id AND s.status = 'open' AND r.status = 'open'`,
        { id: person.id },
      ),
    }))
    .filter((person) => person.open_steps > 0);
}

/**
 * A person's open steps (of open runs) due on a day they are away, soonest first: planning an
 * absence after the run started leaves them waiting, so their page, Home and the hand-off
 * preview flag them ("due while you are away") and offer to hand them off. At most `limit`.
 */
export function stepsDueWhileAway(db: Db, personId: number, now: Date = new Date(), limit = 50) {
  return sql(
    db,
    `SELECT s.id, s.run_id, r.title AS run_title, s.position, s.title, s.due_at
       FROM run_steps s JOIN runs r ON r.id = s.run_id
      WHERE s.assignee_id = @person AND s.status = 'open' AND r.status = 'open' AND s.due_at >= @today
        AND EXISTS (SELECT 1 FROM away_periods a WHERE a.person_id = s.assignee_id
                     AND a.starts_on <= substr(s.due_at, 1, 10) AND a.ends_on >= substr(s.due_at, 1, 10))
      ORDER BY s.due_at, s.id LIMIT @limit`,
  ).all({ person: personId, today: today(now), limit }) as {
    id: number;
    run_id: number;
    run_title: string;
    position: number;
    title: string;
    due_at: string;
  }[];
}

interface By {
  actorId: number;
  address: string | null;
}

/** Plans an absence and records who planned it (the API and the person page both call this). */
export function planAbsence(db: Db, input: { personId: number; from: string; to: string; note: string }, by: By): AwayRow {
  return db.transaction(() => {
    const added = addAwayPeriod(db, { ...input, createdBy: by.actorId });
    audit(db, {
      action: 'away.planned',
      actorId: by.actorId,
      subjectId: input.personId,
      address: by.address,
      data: { from: input.from, to: input.to },
    });
    return added;
  })();
}

/** Removes one of a person's absences and records it; a period that is not theirs is not found. */
export function cancelAbsence(db: Db, personId: number, periodId: number, by: By): void {
  db.transaction(() => {
    removeAwayPeriod(db, personId, periodId);
    audit(db, { action: 'away.cancelled', actorId: by.actorId, subjectId: personId, address: by.address, data: { period: periodId } });
  })();
}
