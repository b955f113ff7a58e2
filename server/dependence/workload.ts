import type { Db } from '../db/open';
import type { Income } from '../runbooks/format/model';
import { dueAt, parseDue, type DueOffset } from '../runbooks/format/durations';
import { occurrencesBetween } from '../runbooks/format/schedule';
import { assignNamed, namedBy, type NamedOwner, type OwnerResolution } from '../people/owners';
import { activePeople, currentSteps, runsStartedSince, type WorkerRow } from './repo';

/**
 * The workload model: how much of each runbook step's time lands on whom in a month. One
 * function, used by every view (the dependence page and its API and CSV, the step-away
 * simulator, Home), so that they can never disagree. See README, "The workload model".
 *
 *   runs per month     with a schedule: its occurrences in the next 30 days (croner, TZ);
 *                      without: the runs started in the last 90 days, divided by 3
 *   minutes per month  the step's estimate × its runbook's runs per month; optional steps and
 *                      steps a condition may skip count too (the conservative figure); a step
 *                      without an estimate counts 0 and is listed as "no estimate"
 *   who carries it     whom a run started now would give it to (role primary, or the person
 *                      its Owner: names), with absences applied; nobody if nobody
 *   the owner          every active person with the owner access level
 */

export const DAY_MS = 86_400_000;
export const WINDOW_DAYS = 30;
export const HISTORY_DAYS = 90;

export interface Named {
  id: number;
  name: string;
}

export interface RunbookLoad {
  id: number;
  slug: string;
  title: string;
  schedule: string | null;
  /** Runs a month: schedule occurrences in the next 30 days, or runs of the last 90 days / 3. */
  runsPerMonth: number;
  basis: 'schedule' | 'history';
}

/** A step's share of the model. Its runbook, role, namedPerson and assignee objects are shared between steps: never change them. */
export interface StepLoad {
  runbook: RunbookLoad;
  position: number;
  title: string;
  /** The role or person the step names (or inherits from the runbook); null: nobody. */
  owner: string | null;
  role: Named | null;
  /** Set when Owner: names a person, not a role: nobody else can be given it. */
  namedPerson: Named | null;
  assignee: Named | null;
  estimateMinutes: number | null;
  /** The step's Due: text ("+1d"), to resolve it again for another start. */
  due: string | null;
  income: Income | null;
  optional: boolean;
  /** Exact (fractional for history-based runbooks); round only to show. */
  minutesPerMonth: number;
}

export interface Workload {
  at: Date;
  steps: StepLoad[];
  runbooks: RunbookLoad[];
  people: WorkerRow[];
  ownerIds: Set<number>;
}

/**
 * Resolves owners the way startRun does (resolveOwner's two halves), once per owner name and
 * due day; what a name means is looked up once per name (the simulator asks for the same few
 * names on hundreds of days).
 */
export function ownerResolver(db: Db) {
  const memo = new Map<string, OwnerResolution>();
  const names = new Map<string | null, NamedOwner>();
  return (name: string | null, start: Date, due: Date | null, alsoAway: number | null = null): OwnerResolution => {
    // Days as numbers (absences are whole UTC days): building date strings cost more than the lookup.
    const key = `${name?.toLowerCase() ?? ''}\n${Math.floor(start.getTime() / DAY_MS)}\n${due ? Math.floor(due.getTime() / DAY_MS) : ''}\n${alsoAway ?? ''}`;
    let found = memo.get(key);
    if (!found) {
      let named = names.get(name);
      if (!named) names.set(name, (named = namedBy(db, name)));
      found = assignNamed(db, named, start, { dueAt: due, alsoAway });
      memo.set(key, found);
    }
    return found;
  };
}

const offsets = new Map<string, DueOffset | null>();
/** A Due: text read once (there are few distinct ones). */
export function dueOffset(due: string | null): DueOffset | null {
  if (due === null) return null;
  let offset = offsets.get(due);
  if (offset === undefined) {
    offset = parseDue(due);
    offsets.set(due, offset);
  }
  return offset;
}

/** When a step with this Due: text falls due for a run started at `start` (null: no due time). */
export function stepDueAt(due: string | null, start: Date): Date | null {
  const offset = dueOffset(due);
  return offset ? dueAt(offset, start) : null;
}

/** Counts a schedule's occurrences in a window once per expression (croner costs ~0.1 ms a step). */
export function occurrenceCounter(from: Date, to: Date) {
  const memo = new Map<string, Date[]>();
  return (expression: string): Date[] => {
    let found = memo.get(expression);
    if (!found) {
      found = occurrencesBetween(expression, from, to);
      memo.set(expression, found);
    }
    return found;
  };
}

export function workload(db: Db, now: Date = new Date()): Workload {
  const people = activePeople(db);
  const ownerIds = new Set(people.filter((p) => p.access_level === 'owner').map((p) => p.id));
  const history = runsStartedSince(db, new Date(now.getTime() - HISTORY_DAYS * DAY_MS).toISOString());
  const occurrences = occurrenceCounter(now, new Date(now.getTime() + WINDOW_DAYS * DAY_MS));
  const resolve = ownerResolver(db);
  // By owner name, then Due: text (maps of maps: no key string built per step).
  const carriers = new Map<string | null, Map<string | null, Pick<StepLoad, 'role' | 'namedPerson' | 'assignee'>>>();

  const runbooks: RunbookLoad[] = [];
  const steps: StepLoad[] = [];
  let runbook: RunbookLoad | undefined;
  for (const row of currentSteps(db)) {
    if (runbook?.id !== row.runbook_id) {
      runbook = {
        id: row.runbook_id,
        slug: row.slug,
        title: row.runbook_title,
        schedule: row.schedule,
        runsPerMonth: row.schedule === null ? (history.get(row.runbook_id) ?? 0) / 3 : occurrences(row.schedule).length,
        basis: row.schedule === null ? 'history' : 'schedule',
      };
      runbooks.push(runbook);
    }
    const owner = row.owner ?? row.runbook_owner;
    // Who carries a step depends only on its owner name and its Due: text (the start is `now`
    // for all): resolved once per pair, not per step (20,000 steps share a few dozen pairs).
    let byDue = carriers.get(owner);
    if (!byDue) carriers.set(owner, (byDue = new Map()));
    let carried = byDue.get(row.due);
    if (!carried) {
      const resolved = resolve(owner, now, stepDueAt(row.due, now));
      carried = {
        role: resolved.kind === 'role' ? { id: resolved.role.id, name: resolved.role.name } : null,
        namedPerson: resolved.kind === 'person' ? { id: resolved.person.id, name: resolved.person.name } : null,
        assignee: resolved.kind === 'none' ? null : resolved.assignee,
      };
      byDue.set(row.due, carried);
    }
    steps.push({
      runbook,
      position: row.position,
      title: row.title,
      owner,
      role: carried.role,
      namedPerson: carried.namedPerson,
      assignee: carried.assignee,
      estimateMinutes: row.estimate_minutes,
      due: row.due,
      income: row.income ?? row.runbook_income,
      optional: row.optional === 1,
      minutesPerMonth: (row.estimate_minutes ?? 0) * runbook.runsPerMonth,
    });
  }
  return { at: now, steps, runbooks, people, ownerIds };
}

export type IncomeKey = Income | 'unset';
export type ByIncome = Record<IncomeKey, number>;
export const emptyByIncome = (): ByIncome => ({ direct: 0, indirect: 0, none: 0, unset: 0 });

/** Exact minutes a month per person (assignee id; 0 stands for nobody), in total and by income potential. */
export function loadByPerson(work: Workload): Map<number, { total: number; byIncome: ByIncome; steps: number }> {
  const loads = new Map<number, { total: number; byIncome: ByIncome; steps: number }>();
  for (const step of work.steps) {
    const key = step.assignee?.id ?? 0;
    let load = loads.get(key);
    if (!load) loads.set(key, (load = { total: 0, byIncome: emptyByIncome(), steps: 0 }));
    load.total += step.minutesPerMonth;
    load.byIncome[step.income ?? 'unset'] += step.minutesPerMonth;
    load.steps++;
  }
  return loads;
}
