import type { Actor } from '../access/actor';
import { describeSchedule } from '../runbooks/format/schedule';
import type { DependenceReport } from './report';
import { INCOME_LABELS, duration, money, month, plural, runsText } from './words';
import type { IncomeKey } from './workload';

/** What the dependence page shows: the report in words. */

const INCOMES: IncomeKey[] = ['direct', 'indirect', 'none', 'unset'];
export const SHOWN_HAND_OFFS = 10;
export const SHOWN_UNESTIMATED = 20;

const names = (people: { name: string }[]) =>
  people.length <= 1
    ? (people[0]?.name ?? 'the owner')
    : `${people
        .slice(0, -1)
        .map((p) => p.name)
        .join(', ')} and ${people.at(-1)?.name}`;

export function dependencePage(report: DependenceReport, actor: Actor) {
  const ownerIsViewer = report.owners.length === 1 && report.owners[0]?.id === actor.id;
  const share = report.totalMinutesPerMonth > 0 ? Math.round((report.ownerMinutesPerMonth / report.totalMinutesPerMonth) * 100) : 0;
  const heaviest = Math.max(1, ...report.people.map((p) => p.minutesPerMonth), report.unassigned.minutesPerMonth);
  const trendTop = Math.max(1, ...report.trend.map((t) => t.minutes));
  // Drawn as SVG rectangles (x and width in % of the heaviest load): the CSP allows no inline style.
  const bars = (byIncome: Record<IncomeKey, number>) => {
    let x = 0;
    return INCOMES.filter((k) => byIncome[k] > 0).map((k) => {
      const width = Math.max(0.5, (byIncome[k] / heaviest) * 100);
      const bar = { income: k, label: INCOME_LABELS[k], time: duration(byIncome[k]), x: x.toFixed(2), width: width.toFixed(2) };
      x += width;
      return bar;
    });
  };
  return {
    title: ownerIsViewer ? 'What still depends on you' : 'What depends on the owner',
    ownerIsViewer,
    ownerNames: names(report.owners),
    ownerTime: duration(report.ownerMinutesPerMonth),
    totalTime: duration(report.totalMinutesPerMonth),
    share,
    unestimatedCount: report.unestimatedCount,
    unestimated: report.unestimatedSteps.slice(0, SHOWN_UNESTIMATED).map((s) => ({ ...s, who: s.assignee?.name ?? 'nobody' })),
    moreUnestimated: Math.max(0, report.unestimatedCount - SHOWN_UNESTIMATED),
    people: report.people
      .filter((p) => p.minutesPerMonth > 0 || p.owner)
      .map((p) => ({
        ...p,
        time: duration(p.minutesPerMonth),
        bars: bars(p.byIncome),
        cost: p.costPerMonthCents === null ? null : money(p.costPerMonthCents),
      })),
    idle: report.people.filter((p) => p.minutesPerMonth === 0 && !p.owner).map((p) => p.person),
    nobody: {
      ...report.unassigned,
      time: duration(report.unassigned.minutesPerMonth),
      bars: bars(report.unassigned.byIncome),
    },
    handOff: report.handOffNext.slice(0, SHOWN_HAND_OFFS).map((row) => {
      const schedule = row.schedule;
      return {
        ...row,
        time: duration(row.minutesPerMonth),
        incomeLabel: INCOME_LABELS[row.income ?? 'unset'],
        how: schedule
          ? `${describeSchedule(schedule)} (${runsText(row.runsPerMonth)})`
          : `${runsText(row.runsPerMonth)}, from the last 90 days`,
        candidates: row.candidates.map((c) => ({
          ...c,
          load: duration(c.minutesPerMonth),
          cost: c.costPerMonthCents === null ? null : money(c.costPerMonthCents),
          inRole: c.reason === 'in the role',
        })),
      };
    }),
    moreHandOffs: Math.max(0, report.handOffCount - SHOWN_HAND_OFFS),
    singlePoints: report.singlePoints.map((point) => ({ ...point, text: singlePointText(point), time: duration(point.minutesPerMonth) })),
    trend: report.trend.map((t) => ({
      label: month(t.month),
      time: duration(t.minutes),
      width: ((t.minutes / trendTop) * 100).toFixed(2),
      current: t.current,
    })),
  };
}

function singlePointText(point: DependenceReport['singlePoints'][number]): string {
  switch (point.kind) {
    case 'no-backup':
      return `${point.role?.name}: only ${point.person?.name}, and no backup`;
    case 'owner-only-backup':
      return `${point.role?.name}: ${point.person?.name}, and only the owner as backup`;
    case 'only-owner-completes':
      return `${point.runbook?.title}: only the owner completed its steps in the last 90 days`;
  }
}

export { plural };
