import type { Db } from '../db/open';
import { formatDay } from '../views/helpers/format-date';
import { sql } from '../db/statements';
import { UnprocessableError } from '../http/errors';
import { pickRoleAssignee, type OwnerResolution } from '../people/owners';
import type { PersonRow } from '../people/repo';
import { listRoleMembers } from '../people/roles-repo';
import {
  DAY_MS,
  dueOffset,
  loadByPerson,
  occurrenceCounter,
  ownerResolver,
  stepDueAt,
  workload,
  type Named,
  type StepLoad,
} from './workload';

/**
 * The step-away simulator: if this person were away from `from` to `to` (whole days, UTC, as
 * absences are), what would happen to the work that would otherwise be theirs? Runs the
 * schedules would start (and whose steps fall due) in the range, and their open steps due in
 * it, each resolved as assignment would resolve it then (their other absences and everyone
 * else's applied, backups in order) with the person away. Three answers: what lands on nobody,
 * what still lands on them (steps whose Owner: names them), what lands on someone else.
 */

export const MAX_RANGE_DAYS = 366;
/** Lists stop here (totals still count everything), so a year of an hourly schedule stays readable. */
export const LIST_LIMIT = 1000;

export interface AwayItem {
  kind: 'scheduled' | 'open';
  runbook: { slug: string; title: string };
  run: { id: number; title: string } | null;
  step: { position: number; title: string };
  /** When the run starts (scheduled), or null for a run already open. */
  startsAt: string | null;
  dueAt: string | null;
  estimateMinutes: number | null;
  role: Named | null;
  /** Who would do it instead (in `others`). */
  who: Named | null;
  /** An open step does not move by itself: it must be handed off before the absence. */
  needsHandOff: boolean;
  fix: { label: string; href: string } | null;
}

/** Refuses ranges that cannot be simulated, naming the field. */
export function checkRange(from: string, to: string, now: Date): void {
  if (to < from) throw new UnprocessableError('bad-period', `to: ${formatDay(to)} is before ${formatDay(from)}`, 'to');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS)
    throw new UnprocessableError('period-too-long', `to: the range is ${days} days; at most ${MAX_RANGE_DAYS}`, 'to');
  if (to < now.toISOString().slice(0, 10)) throw new UnprocessableError('bad-period', `to: ${formatDay(to)} is in the past`, 'to');
}

/** The person's open steps of open runs due in [from, to), through run_steps_open_by_assignee. */
export const OPEN_STEPS_DUE = `
SELECT s.run_id, r.title AS run_title, b.slug, v.title AS runbook_title, s.position, s.title, s.due_at, s.estimate_minutes,
       s.role_id, ro.name AS role_name
  FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN runbooks b ON b.id = r.runbook_id
  JOIN runbook_versions v ON v.id = r.version_id LEFT JOIN roles ro ON ro.id = s.role_id
 WHERE s.assignee_id = @person AND s.status = 'open' AND s.due_at >= @from AND s.due_at < @to AND r.status = 'open'
 ORDER BY s.due_at, s.run_id, s.position`;

export function simulateStepAway(db: Db, input: { person: PersonRow; from: string; to: string }, now: Date = new Date()) {
  checkRange(input.from, input.to, now);
  const person = input.person;
  const rangeStart = new Date(`${input.from}T00:00:00Z`);
  const rangeEnd = new Date(Date.parse(`${input.to}T00:00:00Z`) + DAY_MS);
  const start = rangeStart > now ? rangeStart : now;
  const inRange = (d: Date | null) => d !== null && d >= start && d < rangeEnd;
  const work = workload(db, now);
  const resolve = ownerResolver(db);
  const nobody: AwayItem[] = [];
  const self: AwayItem[] = [];
  const others: AwayItem[] = [];

  // Only a step of one of the person's roles, or one that names them, can be theirs.
  const theirRoles = new Set(
    listRoleMembers(db)
      .filter((m) => m.person_id === person.id)
      .map((m) => m.role_id),
  );
  const scheduled = work.steps.filter(
    (s) => s.runbook.schedule !== null && (s.role ? theirRoles.has(s.role.id) : s.namedPerson?.id === person.id),
  );
  // A run started shortly before the range may have steps due inside it: look back as far as the longest Due:.
  const lookback = Math.max(0, ...scheduled.map((s) => dueOffsetMinutes(s.due))) * 60_000;
  const occurrences = occurrenceCounter(new Date(Math.max(now.getTime(), start.getTime() - lookback)), new Date(rangeEnd.getTime() - 1));

  // Which runs of a schedule would be the person's, and who would take them instead, depends only
  // on the step's owner, schedule and Due: text: worked out once for all the steps that share them.
  const plans = new Map<string, Planned[]>();
  const planFor = (step: StepLoad): Planned[] => {
    const key = `${step.owner ?? ''}\n${step.runbook.schedule}\n${step.due ?? ''}`;
    let plan = plans.get(key);
    if (plan) return plan;
    plan = [];
    for (const runStart of occurrences(step.runbook.schedule as string)) {
      const due = stepDueAt(step.due, runStart);
      if (!inRange(runStart) && !inRange(due)) continue;
      const usual = resolve(step.owner, runStart, due);
      if (usual.kind === 'none' || usual.assignee?.id !== person.id) continue;
      const instead = usual.kind === 'person' ? null : resolve(step.owner, runStart, due, person.id);
      plan.push({ startsAt: runStart.toISOString(), dueAt: due?.toISOString() ?? null, usual, instead });
    }
    plans.set(key, plan);
    return plan;
  };

  for (const step of scheduled) {
    for (const { startsAt, dueAt, usual, instead } of planFor(step)) {
      const item = scheduledItem(step, startsAt, dueAt);
      if (usual.kind === 'person' || !instead) {
        self.push({ ...item, fix: { label: 'Give the step to a role', href: `/runbooks/${step.runbook.slug}/edit` } });
        continue;
      }
      if (usual.kind !== 'role') continue;
      const role = usual.role;
      if (instead.kind === 'none' || !instead.assignee) {
        nobody.push({ ...item, fix: { label: `Add a backup to ${role.name}`, href: `/roles/${role.id}` } });
      } else {
        others.push({ ...item, who: instead.assignee });
      }
    }
  }

  const open = sql(db, OPEN_STEPS_DUE).all({
    person: person.id,
    from: start.toISOString(),
    to: rangeEnd.toISOString(),
  }) as OpenDueRow[];
  for (const row of open) {
    const item = openItem(row);
    const handOff = { label: 'Hand it off', href: `/people/${person.id}/handoff` };
    if (row.role_id === null) {
      self.push({ ...item, fix: { label: 'Hand it off', href: `/runs/${row.run_id}#step-${row.position}` } });
      continue;
    }
    const instead = pickRoleAssignee(db, row.role_id, new Date(row.due_at), { alsoAway: person.id });
    if (!instead) nobody.push({ ...item, fix: { label: `Add a backup to ${row.role_name}`, href: `/roles/${row.role_id}` } });
    else others.push({ ...item, who: instead, fix: handOff });
  }

  // By when it is due (or starts), then runbook and step: the same answer every time.
  const byDate = (a: AwayItem, b: AwayItem) =>
    ((a.dueAt ?? a.startsAt ?? '') < (b.dueAt ?? b.startsAt ?? '')
      ? -1
      : (a.dueAt ?? a.startsAt ?? '') > (b.dueAt ?? b.startsAt ?? '')
        ? 1
        : 0) ||
    (a.runbook.title < b.runbook.title ? -1 : a.runbook.title > b.runbook.title ? 1 : 0) ||
    a.step.position - b.step.position;
  for (const list of [nobody, self, others]) list.sort(byDate);
  const days = (rangeEnd.getTime() - start.getTime()) / DAY_MS;
  const loads = loadByPerson(work);
  const verdict: 'clear' | 'blocked' = nobody.length === 0 && self.length === 0 ? 'clear' : 'blocked';
  return {
    verdict,
    subject: { id: person.id, name: person.name },
    from: input.from,
    to: input.to,
    totals: {
      nobody: totalsOf(nobody),
      person: totalsOf(self),
      others: totalsOf(others),
      openToHandOff: others.filter((i) => i.needsHandOff).length,
    },
    nobody: nobody.slice(0, LIST_LIMIT),
    person: self.slice(0, LIST_LIMIT),
    others: others.slice(0, LIST_LIMIT),
    byPerson: extraLoad(others, (id) => ((loads.get(id)?.total ?? 0) * days) / 30),
  };
}

interface OpenDueRow {
  run_id: number;
  run_title: string;
  slug: string;
  runbook_title: string;
  position: number;
  title: string;
  due_at: string;
  estimate_minutes: number | null;
  role_id: number | null;
  role_name: string | null;
}

/** One run of a schedule that would be the person's: when, and who takes it with them away (null: a step naming them). */
interface Planned {
  startsAt: string;
  dueAt: string | null;
  usual: OwnerResolution;
  instead: OwnerResolution | null;
}

const scheduledItem = (step: StepLoad, startsAt: string, dueAt: string | null): AwayItem => ({
  kind: 'scheduled',
  runbook: { slug: step.runbook.slug, title: step.runbook.title },
  run: null,
  step: { position: step.position, title: step.title },
  startsAt,
  dueAt,
  estimateMinutes: step.estimateMinutes,
  role: step.role,
  who: null,
  needsHandOff: false,
  fix: null,
});

const openItem = (row: OpenDueRow): AwayItem => ({
  kind: 'open',
  runbook: { slug: row.slug, title: row.runbook_title },
  run: { id: row.run_id, title: row.run_title },
  step: { position: row.position, title: row.title },
  startsAt: null,
  dueAt: row.due_at,
  estimateMinutes: row.estimate_minutes,
  role: row.role_id === null ? null : { id: row.role_id, name: row.role_name as string },
  who: null,
  needsHandOff: true,
  fix: null,
});

const totalsOf = (items: AwayItem[]) => ({
  steps: items.length,
  minutes: items.reduce((sum, i) => sum + (i.estimateMinutes ?? 0), 0),
});

/** Per person who would take over: the extra minutes, against their usual load over the same days. */
function extraLoad(items: AwayItem[], usualOver: (id: number) => number) {
  const by = new Map<number, { person: Named; steps: number; minutes: number }>();
  for (const item of items) {
    const who = item.who as Named;
    const entry = by.get(who.id) ?? { person: who, steps: 0, minutes: 0 };
    entry.steps++;
    entry.minutes += item.estimateMinutes ?? 0;
    by.set(who.id, entry);
  }
  return [...by.values()]
    .map((entry) => {
      const usual = Math.round(usualOver(entry.person.id));
      return {
        ...entry,
        usualMinutes: usual,
        // "+50%": how much heavier these days are than usual; null when they usually carry nothing.
        extraPercent: usual > 0 ? Math.round((entry.minutes / usual) * 100) : null,
      };
    })
    .sort((a, b) => b.minutes - a.minutes || (a.person.name < b.person.name ? -1 : 1));
}

/** How long after a run's start a Due: text falls due, in minutes ("same day": at most a day). */
function dueOffsetMinutes(due: string | null): number {
  const offset = dueOffset(due);
  if (!offset) return 0;
  return offset.kind === 'same-day' ? 1440 : offset.minutes;
}

export type StepAwayResult = ReturnType<typeof simulateStepAway>;
