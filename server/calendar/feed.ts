import { ICalCalendar } from 'ical-generator';
import type { Db } from '../db/open';
import { nextOccurrences } from '../runbooks/format/schedule';
import { openDueSteps, scheduledRunbooksOf, type DueStepRow } from './repo';

/**
 * A person's calendar (iCalendar, RFC 5545), written by ical-generator: their open steps with a
 * due time, and the next runs of scheduled runbooks they own steps in. Calendar programs poll the
 * address (Google Calendar about twice a day, Apple Calendar and Outlook as often as they are
 * told), so an event's UID stays the same while it lasts: a moved due time moves the event.
 */

/** Upcoming runs per runbook, within the next RUN_DAYS: enough to plan by, bounded for every-minute schedules. */
export const RUNS_PER_RUNBOOK = 10;
export const RUN_DAYS = 60;
const MINUTE = 60_000;

/**
 * A step due "the same day" (or on a date field's day with no time) is due at the end of that day
 * in server time (runbooks/format/durations.ts, due.ts): it shows as an all-day item on that day.
 */
const isEndOfDay = (date: Date) =>
  date.getHours() === 23 && date.getMinutes() === 59 && date.getSeconds() === 59 && date.getMilliseconds() === 999;

/** The local day as a UTC midnight: ical-generator writes an all-day date from the UTC fields. */
const dayOf = (date: Date) => new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));

function stepEvent(step: DueStepRow, baseUrl: string, host: string) {
  const due = new Date(step.due_at);
  const url = `${baseUrl}/runs/${step.run_id}#step-${step.position}`;
  const about = step.estimate_minutes ? ` It takes about ${step.estimate_minutes} minutes.` : '';
  const allDay = isEndOfDay(due);
  return {
    id: `step-${step.id}@${host}`,
    summary: `Due: ${step.title}`,
    description: `Step ${step.position} of "${step.run_title}".${about} Open it: ${url}`,
    url,
    allDay,
    // A due time is a deadline: the event lasts as long as the step takes (or a quarter of an hour) and ends at it.
    start: allDay ? dayOf(due) : new Date(due.getTime() - (step.estimate_minutes ?? 15) * MINUTE),
    end: allDay ? null : due,
  };
}

export function personCalendar(db: Db, person: { id: number; name: string }, baseUrl: string, now = new Date()): string {
  const host = new URL(baseUrl).host;
  const calendar = new ICalCalendar({
    name: `Runbooks: ${person.name}`,
    description: `The open steps of ${person.name} with a due time, and the next scheduled runs with steps of theirs.`,
    prodId: { company: 'Runbook manager', product: 'calendar', language: 'EN' },
    // Read again every hour by the programs that honour it (Apple Calendar, Outlook).
    ttl: 3600,
  });
  for (const step of openDueSteps(db, person.id)) calendar.createEvent(stepEvent(step, baseUrl, host));
  const until = new Date(now.getTime() + RUN_DAYS * 24 * 60 * MINUTE);
  for (const runbook of scheduledRunbooksOf(db, person.id)) {
    const url = `${baseUrl}/runbooks/${runbook.slug}`;
    const steps = runbook.steps === 1 ? 'one step' : `${runbook.steps} steps`;
    for (const at of nextOccurrences(runbook.schedule, now, RUNS_PER_RUNBOOK).filter((d) => d <= until)) {
      calendar.createEvent({
        id: `run-${runbook.id}-${at.toISOString()}@${host}`,
        summary: `Scheduled: ${runbook.title}`,
        description: `A run of "${runbook.title}" starts by itself; ${steps} of it ${runbook.steps === 1 ? 'is' : 'are'} yours. The runbook: ${url}`,
        url,
        start: at,
        end: new Date(at.getTime() + Math.max(15, runbook.minutes) * MINUTE),
      });
    }
  }
  return calendar.toString();
}
