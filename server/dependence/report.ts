import type { Db } from '../db/open';
import { listRoleMembers, type RoleMemberRow } from '../people/roles-repo';
import { ownerCompletedMinutes, runbooksOnlyOwnersComplete, type WorkerRow } from './repo';
import {
  DAY_MS,
  HISTORY_DAYS,
  emptyByIncome,
  loadByPerson,
  workload,
  type ByIncome,
  type IncomeKey,
  type Named,
  type StepLoad,
} from './workload';

/**
 * The dependence page and GET /api/dependence: from the workload model, how many minutes a
 * month land on each person and on nobody, which of the owner's steps to hand off first,
 * where one absence stops work (single points of failure), and the owner's trend.
 */

/** Hand-off order: work with the least income potential first, as the owner's time is worth most on the rest. */
export const HAND_OFF_ORDER: IncomeKey[] = ['none', 'indirect', 'unset', 'direct'];
const CANDIDATES = 3;

const round = (minutes: number) => Math.round(minutes);
const roundIncome = (by: ByIncome): ByIncome => ({
  direct: round(by.direct),
  indirect: round(by.indirect),
  none: round(by.none),
  unset: round(by.unset),
});
/** Cost of `minutes` a month at an hourly rate in cents; null without a rate (or for viewers who may not see costs). */
const cost = (minutes: number, rate: number | null, showCosts: boolean) =>
  showCosts && rate !== null ? Math.round((minutes * rate) / 60) : null;
const named = (p: { id: number; name: string }): Named => ({ id: p.id, name: p.name });
/** Plain text order for ties (localeCompare costs a microsecond a call: too much for thousands of rows). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const stepRef = (s: StepLoad) => ({ runbook: { slug: s.runbook.slug, title: s.runbook.title }, position: s.position, title: s.title });

export interface DependenceOptions {
  now?: Date;
  /** Hourly costs are for owners only (as on the people pages). */
  showCosts: boolean;
  /**
   * How many hand-off rows and unestimated steps to spell out (the page shows the first few; the
   * API all). Their counts are always whole: a hand-off row costs its candidates, and the page
   * should not pay for 2,000 of them to show 10.
   */
  shown?: { handOffs: number; unestimated: number };
}

export function dependenceReport(db: Db, options: DependenceOptions) {
  const now = options.now ?? new Date();
  const work = workload(db, now);
  const loads = loadByPerson(work);
  const minutesOf = (id: number) => loads.get(id)?.total ?? 0;
  const byId = new Map(work.people.map((p) => [p.id, p]));
  const members = listRoleMembers(db).filter((m) => m.active === 1);
  const membersOf = (roleId: number) => members.filter((m) => m.role_id === roleId);

  const people = work.people
    .map((p) => {
      const load = loads.get(p.id);
      return {
        person: named(p),
        owner: work.ownerIds.has(p.id),
        minutesPerMonth: round(load?.total ?? 0),
        byIncome: roundIncome(load?.byIncome ?? emptyByIncome()),
        costPerMonthCents: cost(load?.total ?? 0, p.hourly_cost_cents, options.showCosts),
        steps: load?.steps ?? 0,
      };
    })
    .sort((a, b) => b.minutesPerMonth - a.minutesPerMonth || byText(a.person.name, b.person.name));
  const nobody = loads.get(0);
  const total = work.steps.reduce((sum, s) => sum + s.minutesPerMonth, 0);
  const ownerTotal = [...work.ownerIds].reduce((sum, id) => sum + minutesOf(id), 0);
  const unestimated = work.steps.filter((s) => s.estimateMinutes === null);
  const handOffs = handOffOrder(work.steps, work.ownerIds);

  return {
    at: now.toISOString(),
    windowDays: 30,
    totalMinutesPerMonth: round(total),
    owners: work.people.filter((p) => work.ownerIds.has(p.id)).map(named),
    ownerMinutesPerMonth: round(ownerTotal),
    people,
    unassigned: {
      minutesPerMonth: round(nobody?.total ?? 0),
      byIncome: roundIncome(nobody?.byIncome ?? emptyByIncome()),
      steps: nobody?.steps ?? 0,
    },
    unestimatedCount: unestimated.length,
    unestimatedSteps: unestimated
      .slice(0, options.shown?.unestimated)
      .map((s) => ({ ...stepRef(s), assignee: s.assignee, runsPerMonth: s.runbook.runsPerMonth })),
    handOffCount: handOffs.length,
    handOffNext: handOffs
      .slice(0, options.shown?.handOffs)
      .map(handOffRow(work.ownerIds, { byId, membersOf, minutesOf, showCosts: options.showCosts })),
    singlePoints: singlePoints(db, work, { byId, members, now }),
    trend: ownerTrend(db, now),
  };
}

/** The owners' steps with time on them, in hand-off order. */
function handOffOrder(steps: StepLoad[], ownerIds: Set<number>): StepLoad[] {
  const rank = (s: StepLoad) => HAND_OFF_ORDER.indexOf(s.income ?? 'unset');
  return steps
    .filter((s) => s.assignee !== null && ownerIds.has(s.assignee.id) && s.minutesPerMonth > 0)
    .sort(
      (a, b) =>
        rank(a) - rank(b) || b.minutesPerMonth - a.minutesPerMonth || byText(a.runbook.title, b.runbook.title) || a.position - b.position,
    );
}

/** A hand-off row of a step: who could take it, and where to change who does. */
function handOffRow(
  ownerIds: Set<number>,
  ctx: {
    byId: Map<number, WorkerRow>;
    membersOf: (roleId: number) => RoleMemberRow[];
    minutesOf: (id: number) => number;
    showCosts: boolean;
  },
) {
  // Everyone who is not an owner, lightest load first: who has room for more.
  const lightest = [...ctx.byId.values()]
    .filter((p) => !ownerIds.has(p.id))
    .sort((a, b) => ctx.minutesOf(a.id) - ctx.minutesOf(b.id) || byText(a.name, b.name));
  // The role's other members (its primary, when the owner is only a backup, then its backups), then the lightest loads.
  // The same for every step of a role (0: no role), so chosen once a role rather than once a step.
  const chosenFor = new Map<number, { backups: RoleMemberRow[]; others: WorkerRow[] }>();
  const whoElse = (roleId: number) => {
    let found = chosenFor.get(roleId);
    if (!found) {
      const backups = roleId ? ctx.membersOf(roleId).filter((m) => !ownerIds.has(m.person_id)) : [];
      const chosen = new Set(backups.map((m) => m.person_id));
      const others = lightest.filter((p) => !chosen.has(p.id)).slice(0, Math.max(0, CANDIDATES - backups.length));
      chosenFor.set(roleId, (found = { backups, others }));
    }
    return found;
  };
  return (s: StepLoad) => {
    const { backups, others } = whoElse(s.role?.id ?? 0);
    const candidate = (id: number, reason: 'in the role' | 'lightest load') => {
      const person = ctx.byId.get(id) as WorkerRow;
      return {
        person: named(person),
        reason,
        minutesPerMonth: round(ctx.minutesOf(id)),
        costPerMonthCents: cost(s.minutesPerMonth, person.hourly_cost_cents, ctx.showCosts),
      };
    };
    return {
      ...stepRef(s),
      schedule: s.runbook.schedule,
      income: s.income,
      runsPerMonth: s.runbook.runsPerMonth,
      minutesPerMonth: round(s.minutesPerMonth),
      carriedBy: s.assignee,
      role: s.role,
      candidates: [
        ...backups.slice(0, CANDIDATES).map((m) => candidate(m.person_id, 'in the role')),
        ...others.map((p) => candidate(p.id, 'lightest load')),
      ],
      // A role's step changes hands on the role page (a new primary); a step naming a person, in its text.
      fix: s.role
        ? { label: `Change who fills ${s.role.name}`, href: `/roles/${s.role.id}` }
        : { label: 'Change the step’s owner', href: `/runbooks/${s.runbook.slug}/edit` },
    };
  };
}

function singlePoints(
  db: Db,
  work: ReturnType<typeof workload>,
  ctx: { byId: Map<number, WorkerRow>; members: RoleMemberRow[]; now: Date },
) {
  const roleMinutes = new Map<number, { role: Named; minutes: number }>();
  for (const s of work.steps) {
    if (!s.role) continue;
    const entry = roleMinutes.get(s.role.id) ?? { role: s.role, minutes: 0 };
    entry.minutes += s.minutesPerMonth;
    roleMinutes.set(s.role.id, entry);
  }
  const points: {
    kind: 'no-backup' | 'owner-only-backup' | 'only-owner-completes';
    role: Named | null;
    person: Named | null;
    runbook: { slug: string; title: string } | null;
    minutesPerMonth: number;
    fix: { label: string; href: string };
  }[] = [];
  const used = [...roleMinutes.values()].sort((a, b) => b.minutes - a.minutes || byText(a.role.name, b.role.name));
  for (const { role, minutes } of used) {
    const inRole = ctx.members.filter((m) => m.role_id === role.id);
    const primary = inRole[0];
    if (!primary) continue; // nobody at all: a gap, counted as work on nobody
    const fix = { label: `Add a backup to ${role.name}`, href: `/roles/${role.id}` };
    const backups = inRole.slice(1);
    if (backups.length === 0) {
      points.push({
        kind: 'no-backup',
        role,
        person: { id: primary.person_id, name: primary.name },
        runbook: null,
        minutesPerMonth: round(minutes),
        fix,
      });
    } else if (!work.ownerIds.has(primary.person_id) && backups.every((m) => work.ownerIds.has(m.person_id))) {
      points.push({
        kind: 'owner-only-backup',
        role,
        person: { id: primary.person_id, name: primary.name },
        runbook: null,
        minutesPerMonth: round(minutes),
        fix,
      });
    }
  }
  const onlyOwners = runbooksOnlyOwnersComplete(db, new Date(ctx.now.getTime() - HISTORY_DAYS * DAY_MS).toISOString());
  for (const runbook of work.runbooks) {
    if (!onlyOwners.has(runbook.id)) continue;
    const minutes = work.steps.filter((s) => s.runbook === runbook).reduce((sum, s) => sum + s.minutesPerMonth, 0);
    points.push({
      kind: 'only-owner-completes',
      role: null,
      person: null,
      runbook: { slug: runbook.slug, title: runbook.title },
      minutesPerMonth: round(minutes),
      fix: { label: 'See who does each step', href: `/runbooks/${runbook.slug}` },
    });
  }
  return points;
}

/** Owner minutes completed in each of the last six calendar months (server time), the current one so far. */
export function ownerTrend(db: Db, now: Date) {
  return Array.from({ length: 6 }, (_, i) => {
    const start = new Date(now.getFullYear(), now.getMonth() - 5 + i, 1);
    const end = new Date(now.getFullYear(), now.getMonth() - 4 + i, 1);
    return {
      month: `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}`,
      minutes: ownerCompletedMinutes(db, start.toISOString(), end.toISOString()),
      current: i === 5,
    };
  });
}

export type DependenceReport = ReturnType<typeof dependenceReport>;
