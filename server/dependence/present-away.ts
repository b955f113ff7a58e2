import type { AwayItem, StepAwayResult } from './step-away';
import { calendarDay, day, duration, plural } from './words';

/** The simulator's answer in words, with the same step's runs grouped ("Pack the box · 10 times: 22 Dec, 23 Dec, …"). */

const SHOWN_DATES = 4;
/**
 * Cards shown in each list: a year away from a busy workspace is thousands of steps (each card
 * a few hundred bytes, a 300 kB page for two weeks of the bench's workspace). The first ones by
 * date are the ones to fix first; the rest are counted, and GET /api/step-away lists them.
 */
export const SHOWN_GROUPS = 50;

/** The first SHOWN_GROUPS cards, and how many steps the cards left out hold (of `total` in all). */
function shown(all: ReturnType<typeof groups>, total: number) {
  const cards = all.slice(0, SHOWN_GROUPS);
  const more = total - cards.reduce((sum, g) => sum + g.count, 0);
  return { cards, more: more > 0 ? `${plural(more, 'more step')}, due later` : null };
}

interface Group {
  title: string;
  position: number;
  runbook: { slug: string; title: string };
  run: { id: number; title: string } | null;
  who: { id: number; name: string } | null;
  role: { id: number; name: string } | null;
  dates: string[];
  minutes: number;
  count: number;
  open: boolean;
  due: boolean;
  fix: { label: string; href: string } | null;
}

function groups(items: AwayItem[], now: Date) {
  const byKey = new Map<string, Group>();
  for (const item of items) {
    const key = [item.kind, item.runbook.slug, item.run?.id ?? '', item.step.position, item.who?.id ?? ''].join('\n');
    let group = byKey.get(key);
    if (!group) {
      group = {
        title: item.step.title,
        position: item.step.position,
        runbook: item.runbook,
        run: item.run,
        who: item.who,
        role: item.role,
        dates: [],
        minutes: 0,
        count: 0,
        open: item.kind === 'open',
        due: item.dueAt !== null,
        fix: item.fix,
      };
      byKey.set(key, group);
    }
    const when = item.dueAt ?? item.startsAt;
    if (when) group.dates.push(day(when, now));
    group.minutes += item.estimateMinutes ?? 0;
    group.count++;
  }
  return [...byKey.values()].map((g) => {
    const dates = [...new Set(g.dates)];
    const shown = dates.slice(0, SHOWN_DATES).join(', ');
    return {
      ...g,
      when: `${g.due ? 'due' : 'run starts'} ${dates.length > SHOWN_DATES ? `${shown} and ${dates.length - SHOWN_DATES} more` : shown}`,
      times: g.count > 1 ? `${g.count} times` : null,
      time: g.minutes > 0 ? duration(g.minutes) : 'no estimate',
    };
  });
}

export function stepAwayPage(result: StepAwayResult, viewerId: number, now: Date = new Date()) {
  const self = result.subject.id === viewerId;
  const range = `${calendarDay(result.from, now)} to ${calendarDay(result.to, now)}`;
  const blockers = result.totals.nobody.steps + result.totals.person.steps;
  const you = self ? 'you' : result.subject.name;
  const nobody = shown(groups(result.nobody, now), result.totals.nobody.steps);
  const person = shown(groups(result.person, now), result.totals.person.steps);
  const others = shown(groups(result.others, now), result.totals.others.steps);
  return {
    self,
    range,
    clear: result.verdict === 'clear',
    verdict:
      result.verdict === 'clear'
        ? `${self ? 'You' : result.subject.name} can step away from ${range}.`
        : `Not yet: ${plural(blockers, 'step')} would be left undone if ${you} stepped away from ${range}.`,
    nobody: nobody.cards,
    moreNobody: nobody.more,
    person: person.cards,
    morePerson: person.more,
    others: others.cards,
    moreOthers: others.more,
    totals: {
      nobody: duration(result.totals.nobody.minutes),
      person: duration(result.totals.person.minutes),
      others: duration(result.totals.others.minutes),
    },
    openToHandOff: result.totals.openToHandOff,
    byPerson: result.byPerson.map((p) => ({
      ...p,
      time: duration(p.minutes),
      usual: duration(p.usualMinutes),
      extra: p.extraPercent === null ? 'they usually carry nothing in these days' : `${p.extraPercent}% more than usual`,
    })),
  };
}
