import type { Db } from '../db/open';
import { COUNT_CAP, countUpTo, sql, value } from '../db/statements';
import type { PageRequest, Paging } from '../http/paging';
import { byDueThenId, openStepRows, type AssignmentRow } from './assignments';
import { ROLE_IS_GAP, stepsOwnedBy } from './roles-repo';

/**
 * Where work depends on nobody: roles no active person fills (with the runbook steps that
 * name them), current steps with no owner at all, and open run steps nobody (or only someone
 * since made inactive) is assigned to. Each is a list read a page at a time in index order,
 * with a count that stops at COUNT_CAP.
 */

export const GAP_LISTS = {
  emptyRoles: { name: 'gaps-empty-roles', key: ['text'], path: '/api/gaps/empty-roles' },
  unownedSteps: { name: 'gaps-unowned-steps', key: ['text', 'text', 'int'], path: '/api/gaps/unowned-steps' },
  unassignedRunSteps: { name: 'gaps-unassigned-steps', key: ['text?', 'id'], path: '/api/gaps/unassigned-steps' },
} as const;
export type GapList = keyof typeof GAP_LISTS;

/** Steps shown with each empty role; `moreSteps` says there are others (the role's page counts and lists them). */
const ROLE_STEPS_SHOWN = 5;

const EMPTY_ROLES = `SELECT r.id, r.name FROM roles r WHERE ${ROLE_IS_GAP}`;

const UNOWNED = `SELECT b.slug, v.title AS runbook_title, s.position, s.title
   FROM runbook_versions v JOIN runbooks b ON b.current_version_id = v.id JOIN runbook_steps s ON s.version_id = v.id
  WHERE v.owner IS NULL AND s.owner IS NULL AND b.archived_at IS NULL`;

/**
 * Open steps of this role that nobody holds (a role's "waiting" count), up to COUNT_CAP, read
 * from their index alone: an open step always belongs to an open run (see closeStepsLeftOpen).
 */
export function waitingOnRole(db: Db, roleId: number): number {
  return countUpTo(db, `SELECT 1 FROM run_steps s WHERE s.role_id = @role AND s.status = 'open' AND s.assignee_id IS NULL`, {
    role: roleId,
  });
}

/** The first `limit` roles nobody fills, by name, without their steps (home names them only). */
export function emptyRoleNames(db: Db, limit: number): { id: number; name: string }[] {
  return sql(db, `${EMPTY_ROLES} ORDER BY r.name LIMIT @limit`).all({ limit }) as { id: number; name: string }[];
}

function emptyRoleRows(db: Db, page: PageRequest) {
  const rows = sql(db, `${EMPTY_ROLES} AND r.name > @after ORDER BY r.name LIMIT @limit`).all({
    after: page.after?.[0] ?? '',
    limit: page.limit + 1,
  }) as { id: number; name: string }[];
  return rows.map((role) => {
    // One more than shown says whether there are more; the role's page counts them.
    const owned = stepsOwnedBy(db, role.name, ROLE_STEPS_SHOWN + 1, false).steps;
    return {
      id: role.id,
      name: role.name,
      steps: owned
        .slice(0, ROLE_STEPS_SHOWN)
        .map((s) => ({ runbook: s.slug, runbookTitle: s.runbook_title, position: s.position, title: s.title })),
      moreSteps: owned.length > ROLE_STEPS_SHOWN,
      waiting: waitingOnRole(db, role.id),
    };
  });
}

function unownedRows(db: Db, page: PageRequest) {
  const [title, slug, position] = (page.after ?? ['', '', 0]) as [string, string, number];
  const rows = sql(
    db,
    `${UNOWNED} AND v.title >= @title COLLATE NOCASE AND (v.title COLLATE NOCASE, b.slug, s.position) > (@title, @slug, @position)
      ORDER BY v.title COLLATE NOCASE, b.slug, s.position LIMIT @limit`,
  ).all({ title, slug, position, limit: page.limit + 1 }) as { slug: string; runbook_title: string; position: number; title: string }[];
  return rows.map((s) => ({ runbook: s.slug, runbookTitle: s.runbook_title, position: s.position, title: s.title }));
}

/** Nobody, and everyone since made inactive: the holders of steps that wait on nobody. */
const inactiveHolders = (db: Db) => value(db, 'SELECT id FROM people WHERE active = 0').all() as number[];

function unassignedRows(db: Db, page: PageRequest) {
  // Each holder's steps come in order from its own index range; merged, the first limit + 1 are the page.
  const rows: AssignmentRow[] = [];
  for (const holder of [null, ...inactiveHolders(db)]) rows.push(...openStepRows(db, holder, page));
  return rows
    .sort(byDueThenId)
    .slice(0, page.limit + 1)
    .map((s) => ({
      id: s.id,
      run: s.run_id,
      runTitle: s.run_title,
      position: s.position,
      title: s.title,
      owner: s.owner,
      dueAt: s.due_at,
    }));
}

/** One page of one list of gaps, with the address of the next. */
export function gapPage(db: Db, paging: Paging, list: GapList, request: PageRequest): { items: object[]; next: string | null } {
  const link = { path: GAP_LISTS[list].path };
  switch (list) {
    case 'emptyRoles':
      return paging.page(emptyRoleRows(db, request), request, { ...GAP_LISTS[list], keyOf: (r) => [r.name] }, link);
    case 'unownedSteps':
      return paging.page(
        unownedRows(db, request),
        request,
        { ...GAP_LISTS[list], keyOf: (s) => [s.runbookTitle, s.runbook, s.position] },
        link,
      );
    case 'unassignedRunSteps': {
      const page = paging.page(unassignedRows(db, request), request, { ...GAP_LISTS[list], keyOf: (s) => [s.dueAt, s.id] }, link);
      // The step's id is only the cursor's tie-break: the API names steps by run and position.
      return { items: page.items.map(({ id: _id, ...step }) => step), next: page.next };
    }
  }
}

/** How many of each there are, each counted up to COUNT_CAP. */
export function gapCounts(db: Db) {
  const unassigned = [null, ...inactiveHolders(db)].reduce<number>(
    (sum, holder) =>
      sum +
      countUpTo(
        db,
        `SELECT 1 FROM run_steps s JOIN runs r ON r.id = s.run_id
          WHERE ${holder === null ? 's.assignee_id IS NULL' : 's.assignee_id = @holder'} AND s.status = 'open' AND r.status = 'open'`,
        { holder },
      ),
    0,
  );
  return {
    emptyRoles: countUpTo(db, EMPTY_ROLES),
    unownedSteps: countUpTo(db, UNOWNED),
    unassignedRunSteps: Math.min(COUNT_CAP, unassigned),
  };
}

/** GET /api/gaps: the counts, the first page of each list, and where each list goes on. */
export function gapSummary(db: Db, paging: Paging, limit: number) {
  const first = { limit, after: null };
  const lists = (Object.keys(GAP_LISTS) as GapList[]).map((list) => [list, gapPage(db, paging, list, first)] as const);
  return {
    counts: gapCounts(db),
    ...Object.fromEntries(lists.map(([list, page]) => [list, page.items])),
    next: Object.fromEntries(lists.map(([list, page]) => [list, page.next])),
  };
}
