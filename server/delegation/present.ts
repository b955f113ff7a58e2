import type { Db } from '../db/open';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import type { PersonRow } from '../people/repo';
import { listAwayPeriods, presentAway, today } from './away';

/** What a person's page shows of delegation: absences, the hand-off, their email rhythm. */
export function personDelegation(db: Db, actor: Actor, person: PersonRow) {
  const now = new Date();
  const periods = listAwayPeriods(db, person.id, now).map((row) => presentAway(row, now));
  const mayPlan = person.active === 1 && can(actor, { action: 'person.away', personId: person.id });
  return {
    away: {
      current: periods.find((p) => p.now) ?? null,
      periods,
      mayPlan,
      show: mayPlan || periods.length > 0,
      today: today(now),
    },
    handOffHref: can(actor, { action: 'steps.handoff', fromId: person.id }) ? `/people/${person.id}/handoff` : null,
    email: actor.id === person.id || can(actor, { action: 'person.manage' })
      ? { each: person.notify === 'each', digest: person.notify === 'digest', self: actor.id === person.id }
      : null,
  };
}
