import type { Db } from '../db/open';
import type { Actor } from '../access/actor';
import { authorize, can } from '../access/policy';
import { UnprocessableError } from '../http/errors';
import { liveCalendarLink } from '../auth/calendar-links';
import { loadPerson } from './load';
import type { PersonRow } from './repo';

/**
 * Who may make or stop a person's calendar link (the person, owners, and editors for anyone but
 * an owner: policy.ts, calendar.manage), for the API and the page alike. Someone the caller may
 * not know of is not found; someone they may not make one for is refused.
 */
export function mayManageCalendar(db: Db, actor: Actor, rawId: string | undefined, { making = false } = {}): PersonRow {
  const person = loadPerson(db, rawId, actor);
  authorize(actor, { action: 'calendar.manage', personId: person.id, level: person.access_level });
  if (making && !person.active) {
    throw new UnprocessableError('inactive-person', `${person.name} is inactive; reactivate them first`, 'calendar');
  }
  return person;
}

/** The calendar part of a person's page, for those who may manage it (null for anyone else). */
export function calendarSection(db: Db, actor: Actor, person: PersonRow) {
  if (!can(actor, { action: 'calendar.manage', personId: person.id, level: person.access_level })) return null;
  const live = liveCalendarLink(db, person.id);
  return {
    live: live ? { createdAt: live.created_at, madeBy: live.created_by_name } : null,
    canCreate: person.active === 1,
  };
}
