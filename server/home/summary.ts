import type { Db } from '../db/open';
import { COUNT_CAP, countUpTo, sql, value } from '../db/statements';
import { can } from '../access/policy';
import type { Actor } from '../access/actor';
import { listRuns, presentRunSummary } from '../runs/list';
import { gapCounts, gapPage, emptyRoleNames, waitingOnRole } from '../people/gaps';
import { ROLE_IS_GAP } from '../people/roles-repo';
import { awayToday } from '../people/absences';
import type { Paging } from '../http/paging';
import { groupedWork } from './work';
import { reviewsDueThisMonth, unusedRunbooks } from '../runbooks/reviews';

/**
 * Home is a summary, whatever the size of the workspace: counts (each up to COUNT_CAP), the
 * first few of each list, and a link to the whole list. Every part reads a bounded number of
 * rows through an index, so a year of runs costs home what a week does.
 */
export const HOME_ITEMS = 5;

const first = { limit: HOME_ITEMS, after: null };

/** Everyone who can hold a step, and nobody (null): the overdue steps are theirs. */
const holders = (db: Db) => [null, ...(value(db, 'SELECT id FROM people').all() as number[])];

interface OverdueRow {
  id: number;
  run_id: number;
  run_title: string;
  position: number;
  title: string;
  due_at: string;
  assignee_name: string | null;
  escalated_at: string | null;
  waiting_reason: string | null;
}

/** Open steps of open runs past their due time: how many (up to COUNT_CAP), and the most overdue few. */
function overdueSteps(db: Db, now: string) {
  let count = 0;
  const top: OverdueRow[] = [];
  for (const holder of holders(db)) {
    // Read from the step index alone: an open step always belongs to an open run (see
    // closeStepsLeftOpen); the run is joined only for its title.
    const overdue = `${holder === null ? 's.assignee_id IS NULL' : 's.assignee_id = @holder'} AND s.status = 'open' AND s.due_at < @now`;
    if (count < COUNT_CAP) count += countUpTo(db, `SELECT 1 FROM run_steps s WHERE ${overdue}`, { holder, now });
    // Each holder's steps come earliest due first: their first few are all that can make the top.
    top.push(
      ...(sql(
        db,
        `SELECT s.id, s.run_id, r.title AS run_title, s.position, s.title, s.due_at, s.escalated_at, s.waiting_reason,
                (SELECT name FROM people WHERE id = s.assignee_id) AS assignee_name
           FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE ${overdue} ORDER BY s.due_at, s.id LIMIT ${HOME_ITEMS}`,
      ).all({ holder, now }) as OverdueRow[]),
    );
  }
  return {
    count: Math.min(count, COUNT_CAP),
    top: top
      .sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : a.id - b.id))
      .slice(0, HOME_ITEMS)
      .map((s) => ({
        run: { id: s.run_id, title: s.run_title },
        position: s.position,
        title: s.title,
        dueAt: s.due_at,
        assignee: s.assignee_name,
        escalated: s.escalated_at !== null,
        waiting: s.waiting_reason,
      })),
  };
}

/**
 * Open steps of open runs that wait on something outside the team: how many (up to COUNT_CAP),
 * and the few waiting longest, read from the index of waiting steps alone.
 */
function waitingSteps(db: Db) {
  // From the few waiting steps outwards (CROSS JOIN keeps that order), never from every open run;
  // the run only for its title, as an open step always belongs to an open run.
  const waiting = `s.status = 'open' AND s.waiting_reason IS NOT NULL`;
  const top = sql(
    db,
    `SELECT s.run_id, r.title AS run_title, s.position, s.title, s.waiting_reason, s.waiting_since, s.due_at,
            (SELECT name FROM people WHERE id = s.assignee_id) AS assignee_name
       FROM run_steps s CROSS JOIN runs r ON r.id = s.run_id WHERE ${waiting} ORDER BY s.waiting_since, s.id LIMIT ${HOME_ITEMS}`,
  ).all() as {
    run_id: number;
    run_title: string;
    position: number;
    title: string;
    waiting_reason: string;
    waiting_since: string;
    due_at: string | null;
    assignee_name: string | null;
  }[];
  return {
    count: countUpTo(db, `SELECT 1 FROM run_steps s WHERE ${waiting}`),
    top: top.map((s) => ({
      run: { id: s.run_id, title: s.run_title },
      position: s.position,
      title: s.title,
      reason: s.waiting_reason,
      since: s.waiting_since,
      assignee: s.assignee_name,
    })),
  };
}

/** Roles with open steps nobody holds, each with how many (up to COUNT_CAP), most waiting first: the gaps people act on by role. */
function gapsByRole(db: Db) {
  const roles = sql(
    db,
    `SELECT r.id, r.name, NOT ${ROLE_IS_GAP} AS filled
       FROM roles r WHERE EXISTS (SELECT 1 FROM run_steps s WHERE s.role_id = r.id AND s.status = 'open' AND s.assignee_id IS NULL)`,
  ).all() as { id: number; name: string; filled: number }[];
  return roles
    .map((role) => ({ id: role.id, name: role.name, filled: role.filled === 1, waiting: waitingOnRole(db, role.id) }))
    .sort((a, b) => b.waiting - a.waiting || (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}

// A search by rowid (WHERE id >= 1) stops at the first row without the plan reading as a scan.
const exists = (db: Db, select: string, params: Record<string, unknown> = {}) => value(db, `SELECT EXISTS (${select})`).get(params) === 1;

/**
 * A workspace that has never run anything gets three steps to start with, each marked done
 * once it is: its ownership gaps are every role of every runbook, which says nothing yet.
 */
function gettingStarted(db: Db, actor: Actor) {
  if (!can(actor, { action: 'gaps.read' }) || exists(db, 'SELECT 1 FROM runs WHERE id >= 1')) return null;
  const others = exists(db, 'SELECT 1 FROM people WHERE id != @me', { me: actor.id });
  const filled = exists(db, 'SELECT 1 FROM role_members');
  return [
    {
      label: 'Add a person',
      about: 'someone who does some of the work: staff, a virtual assistant, a bookkeeper',
      href: '/people#add-person',
      done: others,
    },
    {
      label: 'Fill a role',
      about: 'say who does the work a runbook gives to a role, such as Bookkeeper',
      href: '/people#roles',
      done: filled,
    },
    { label: 'Start a run', about: 'pick a runbook in the library and work through it as a checklist', href: '/runbooks', done: false },
  ];
}

export function homeSummary(db: Db, paging: Paging, actor: Actor, now = new Date()) {
  const at = now.toISOString();
  const work = groupedWork(db, actor.id, first, now);
  const openRuns = listRuns(db, { status: 'open' }, null, first, at).slice(0, HOME_ITEMS);
  const gaps = can(actor, { action: 'gaps.read' })
    ? (() => {
        const counts = gapCounts(db);
        const away = awayToday(db, now).slice(0, HOME_ITEMS);
        const byRole = gapsByRole(db);
        // Roles nobody fills, with the waiting steps already counted above (a role with none waits on nothing).
        const waiting = new Map(byRole.map((role) => [role.id, role.waiting]));
        return {
          counts,
          byRole: byRole.slice(0, HOME_ITEMS),
          unassigned: gapPage(db, paging, 'unassignedRunSteps', first).items,
          emptyRoles: emptyRoleNames(db, HOME_ITEMS).map((role) => ({ ...role, waiting: waiting.get(role.id) ?? 0 })),
          unowned: gapPage(db, paging, 'unownedSteps', first).items,
          away,
          any: counts.emptyRoles + counts.unownedSteps + counts.unassignedRunSteps + away.length > 0,
        };
      })()
    : null;
  return {
    gettingStarted: gettingStarted(db, actor),
    work: { ...work, top: [...work.overdue, ...work.today, ...work.upcoming] },
    openRuns: {
      count: countUpTo(db, "SELECT 1 FROM runs WHERE status = 'open'"),
      top: openRuns.map((r) => presentRunSummary(r, at)),
    },
    // Overdue across the team: for those who run it (owners and editors), where escalation shows first.
    overdue: can(actor, { action: 'gaps.read' }) ? overdueSteps(db, at) : { count: 0, top: [] },
    // Steps standing still for a reason outside the team (each assignee sees theirs under My work).
    waiting: can(actor, { action: 'gaps.read' }) ? waitingSteps(db) : { count: 0, top: [] },
    gaps,
    // Keeping the library true: for those who may change runbooks.
    reviews: can(actor, { action: 'runbook.write' }) ? reviewsDueThisMonth(db, HOME_ITEMS, now) : null,
    unused: can(actor, { action: 'runbook.write' }) ? unusedRunbooks(db, HOME_ITEMS, now) : null,
  };
}
