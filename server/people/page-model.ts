import type { Db } from '../db/open';
import { LEVELS, type Actor, type Level } from '../access/actor';
import { can } from '../access/policy';
import { accountState, invitedPeople, refuseReinvite } from '../auth/grants';
import { AppError } from '../http/errors';
import { listAccessLinks } from '../auth/links';
import type { Paging } from '../http/paging';
import { countUpTo } from '../db/statements';
import { presentPerson } from './present';
import { listPeople, listPeopleAfter, PEOPLE_LIST, type PersonRow } from './repo';
import {
  listRoleMembers,
  listRolesAfter,
  membersOf,
  rolesOf,
  rolesOfPeople,
  type OwnedStep,
  type RoleMemberRow,
  type RoleRow,
  ROLE_IS_GAP,
  stepsOwnedBy,
} from './roles-repo';
import { ASSIGNMENT_LIST, assignmentCounts, assignmentKey, assignmentRows, presentAssignment } from './assignments';
import { calendarSection } from './calendar-section';
import { absenceEnd, listAwayPeriods, presentAway, stepsDueWhileAway, today } from './absences';

/** What each page shows, built with a fixed number of queries whatever the number of people. */

export const LEVEL_LABELS: Record<Level, { label: string; about: string }> = {
  owner: { label: 'Owner', about: 'everything, including access levels, costs and the audit log' },
  editor: { label: 'Editor', about: 'writes runbooks, manages roles, invites members and outsourcers' },
  member: { label: 'Member', about: 'reads every runbook, starts runs, works their own steps' },
  outsourcer: { label: 'Outsourcer', about: 'only the steps assigned to them' },
};

const KIND_LABELS = { team: 'Team', outsourcer: 'Outsourcer' } as const;

/** Money as stored (cents) to what the cost field shows and takes back. */
export const costText = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

/** The levels this viewer may give to someone new (or invite someone at). */
export const grantableLevels = (actor: Actor) => LEVELS.filter((level) => can(actor, { action: 'person.invite', level }));

const levelOptions = (levels: readonly Level[]) => levels.map((value) => ({ value, ...LEVEL_LABELS[value] }));

function personSummary(p: PersonRow, viewer: Actor) {
  const shown = presentPerson(p, viewer);
  return {
    ...shown,
    kindLabel: KIND_LABELS[p.kind],
    levelLabel: LEVEL_LABELS[p.access_level].label,
    // The kind is worth a word only where the level does not already say it.
    kindDiffers: (p.kind === 'outsourcer') !== (p.access_level === 'outsourcer'),
    cost: 'hourlyCost' in shown && p.hourly_cost_cents !== null ? costText(p.hourly_cost_cents) : null,
  };
}

/** A role with its members in hand-off order: the primary, then the backups. */
function roleSummary(role: RoleRow, members: RoleMemberRow[]) {
  const present = (m: RoleMemberRow) => ({ id: m.person_id, name: m.name, active: m.active === 1 });
  const primary = members.find((m) => m.is_primary === 1);
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    primary: primary ? present(primary) : null,
    backups: members.filter((m) => m.is_primary !== 1).map((m, i) => ({ ...present(m), rank: i + 1 })),
    gap: role.is_gap === 1,
  };
}

/** The directory's two lists: people (`?cursor=`) and roles (`?roles=`), each a page at a time. */
const DIRECTORY_ROLES = { name: 'directory-roles', key: ['text'], param: 'roles' } as const;

export function directoryData(db: Db, actor: Actor, paging: Paging, query: Record<string, unknown> = {}) {
  const peopleRequest = paging.read(query, PEOPLE_LIST);
  const rolesRequest = paging.read(query, DIRECTORY_ROLES);
  const peoplePage = paging.page(
    listPeopleAfter(db, peopleRequest.after as [string, number] | null, peopleRequest.limit + 1),
    peopleRequest,
    { ...PEOPLE_LIST, keyOf: (p) => [p.name, p.id] },
    { path: '/people' },
  );
  const rolesPage = paging.page(
    listRolesAfter(db, (rolesRequest.after?.[0] as string | undefined) ?? '', rolesRequest.limit + 1),
    rolesRequest,
    { ...DIRECTORY_ROLES, keyOf: (r) => [r.name] },
    { path: '/people' },
  );
  const byRole = new Map<number, RoleMemberRow[]>();
  for (const m of membersOf(
    db,
    rolesPage.items.map((r) => r.id),
  )) {
    if (!byRole.has(m.role_id)) byRole.set(m.role_id, []);
    byRole.get(m.role_id)?.push(m);
  }
  // Each person's roles, in the roles' (name) order.
  const byPerson = new Map<number, { id: number; name: string; primary: boolean; backupRank: number }[]>();
  for (const r of rolesOfPeople(
    db,
    peoplePage.items.map((p) => p.id),
  )) {
    if (!byPerson.has(r.person_id)) byPerson.set(r.person_id, []);
    byPerson
      .get(r.person_id)
      ?.push({ id: r.id, name: r.name, primary: r.is_primary === 1, backupRank: r.is_primary === 1 ? 0 : r.backup_rank });
  }
  const presentedRoles = rolesPage.items.map((role) => roleSummary(role, byRole.get(role.id) ?? []));
  const levels = grantableLevels(actor);
  const invited = invitedPeople(
    db,
    peoplePage.items.map((p) => p.id),
  );
  const canManageRoles = can(actor, { action: 'roles.manage' });
  return {
    title: 'People',
    people: peoplePage.items.map((p) => ({ ...personSummary(p, actor), roles: byPerson.get(p.id) ?? [], invited: invited.has(p.id) })),
    peopleCount: countUpTo(db, 'SELECT 1 FROM people'),
    nextPeople: peoplePage.next && `${peoplePage.next}#people`,
    roles: presentedRoles,
    roleCount: countUpTo(db, 'SELECT 1 FROM roles'),
    nextRoles: rolesPage.next && `${rolesPage.next}#roles`,
    later: peopleRequest.after !== null || rolesRequest.after !== null,
    gapCount: countUpTo(db, `SELECT 1 FROM roles r WHERE ${ROLE_IS_GAP}`),
    showCosts: can(actor, { action: 'person.see-costs' }),
    canAdd: levels.length > 0,
    levelOptions: levelOptions(levels),
    canManageRoles,
    // The roles to fill on the add-person form (the first ROLE_CHOICES by name; the rest on each role's page).
    roleChoices: canManageRoles && levels.length > 0 ? listRolesAfter(db, '', ROLE_CHOICES).map((r) => ({ id: r.id, name: r.name })) : [],
  };
}

const ROLE_CHOICES = 60;

/** Why a rule from server/access refuses (its message), or null when it allows: to explain a missing button. */
function refusal(check: () => void): string | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/**
 * The person's personal link as their page lists it (there is at most one live): for those who
 * may make and end it, and, to read, for the person themself.
 */
function linkSection(db: Db, actor: Actor, person: PersonRow, now: string) {
  const manage = can(actor, { action: 'link.manage', level: person.access_level });
  if (!manage && person.id !== actor.id) return null;
  const links = listAccessLinks(db, person.id);
  const live = links.find((l) => l.revoked_at === null && l.expires_at > now);
  const matters = live !== undefined || (manage && (person.kind === 'outsourcer' || person.access_level === 'outsourcer'));
  if (!matters) return null;
  return {
    live: live && {
      id: live.id,
      createdAt: live.created_at,
      madeBy: live.created_by_name,
      lastUsedAt: live.last_used_at,
      endsAt: live.expires_at,
    },
    ended: links.filter((l) => l !== live).length,
    manage,
    canCreate: manage && person.active === 1,
  };
}

/** A person's open steps on their page, a page at a time (`?cursor=`). */
function personSteps(db: Db, paging: Paging | null, person: PersonRow, query: Record<string, unknown>, now: string) {
  const request = paging ? paging.read(query, ASSIGNMENT_LIST) : { limit: 50, after: null };
  const rows = assignmentRows(db, person.id, request);
  const page = paging
    ? paging.page(rows, request, { ...ASSIGNMENT_LIST, keyOf: assignmentKey }, { path: `/people/${person.id}` })
    : { items: rows.slice(0, request.limit), next: null };
  const counts = assignmentCounts(db, person.id, now);
  return {
    assignments: page.items.map((a) => presentAssignment(a, now)),
    openCount: counts.open,
    overdueCount: counts.overdue,
    nextSteps: page.next && `${page.next}#steps`,
    laterSteps: request.after !== null ? `/people/${person.id}#steps` : null,
  };
}

export function personData(db: Db, actor: Actor, person: PersonRow, paging: Paging | null = null, query: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  const owner = can(actor, { action: 'person.manage' });
  const mayInvite = person.active === 1 && can(actor, { action: 'person.invite', level: person.access_level });
  const reinviteRefusal = mayInvite ? refusal(() => refuseReinvite(db, actor, person)) : null;
  const canInvite = mayInvite && reinviteRefusal === null;
  const links = linkSection(db, actor, person, now);
  return {
    title: person.name,
    person: personSummary(person, actor),
    isSelf: person.id === actor.id,
    // An outsourcer on their own page sees neither the team's directory nor its roles' pages.
    seesTeam: can(actor, { action: 'people.list' }),
    ...personSteps(db, paging, person, query, now),
    roles: rolesOf(db, person.id).map((r) => ({ id: r.id, name: r.name, primary: r.is_primary === 1, backupRank: r.backup_rank })),
    // Whether they can sign in yet: for those who invite people.
    account: can(actor, { action: 'person.invite', level: 'outsourcer' }) ? accountState(db, person.id, now) : null,
    canInvite,
    reinviteRefusal,
    managesAccess: mayInvite || Boolean(links?.manage) || owner,
    links,
    calendar: calendarSection(db, actor, person),
    // Completed steps between two days as a spreadsheet: this month so far unless changed.
    workDownload: { from: `${today(new Date()).slice(0, 8)}01`, to: today(new Date()) },
    signOutEverywhere: person.active === 1 && can(actor, { action: 'sessions.end-all', personId: person.id }),
    owner: owner ? { levelOptions: levelOptions(LEVELS).map((o) => ({ ...o, current: o.value === person.access_level })) } : null,
    ...personDelegation(db, actor, person),
  };
}

/** Steps grouped under their runbook (the rows come ordered by runbook). */
function byRunbook(steps: OwnedStep[]) {
  const runbooks: { slug: string; title: string; steps: { position: number; title: string }[] }[] = [];
  for (const step of steps) {
    let last = runbooks.at(-1);
    if (last?.slug !== step.slug) runbooks.push((last = { slug: step.slug, title: step.runbook_title, steps: [] }));
    last.steps.push({ position: step.position, title: step.title });
  }
  return runbooks;
}

/** The steps naming the role: the first ROLE_STEPS_SHOWN by runbook, how many in all, and the library filtered by it. */
const ROLE_STEPS_SHOWN = 50;
function ownedSteps(db: Db, name: string) {
  const { steps, count = 0 } = stepsOwnedBy(db, name, ROLE_STEPS_SHOWN) as { steps: OwnedStep[]; count: number };
  return {
    runbooks: byRunbook(steps),
    stepCount: count,
    moreSteps: count > steps.length ? count - steps.length : 0,
    libraryHref: `/runbooks?owner=${encodeURIComponent(name)}`,
  };
}

export function roleData(db: Db, actor: Actor, role: RoleRow) {
  const members = listRoleMembers(db, role.id);
  const manage = can(actor, { action: 'roles.manage' });
  const inRole = new Set(members.map((m) => m.person_id));
  return {
    title: role.name,
    role: roleSummary(role, members),
    ...ownedSteps(db, role.name),
    canManage: manage,
    candidates: manage
      ? listPeople(db)
          .filter((p) => p.active === 1 && !inRole.has(p.id))
          .map((p) => ({ id: p.id, value: String(p.id), name: p.name, kindLabel: KIND_LABELS[p.kind] }))
      : [],
  };
}

/** What a person's page shows of delegation: absences, the hand-off, their email rhythm. */
function personDelegation(db: Db, actor: Actor, person: PersonRow) {
  const now = new Date();
  const rows = listAwayPeriods(db, person.id, now);
  const periods = rows.map((row) => presentAway(row, now));
  const current = periods.find((p) => p.now);
  const dueWhileAway = stepsDueWhileAway(db, person.id, now);
  const mayPlan = person.active === 1 && can(actor, { action: 'person.away', personId: person.id });
  return {
    away: {
      // Absences back to back read as one: "away until 13 Dec", not the end of the first.
      current: current ? { ...current, to: absenceEnd(rows, today(now)) ?? current.to } : null,
      dueWhileAway: dueWhileAway.length,
      periods,
      mayPlan,
      show: mayPlan || periods.length > 0,
      today: today(now),
    },
    handOffHref: can(actor, { action: 'steps.handoff', fromId: person.id }) ? `/people/${person.id}/handoff` : null,
    email:
      actor.id === person.id || can(actor, { action: 'person.manage' })
        ? { each: person.notify === 'each', digest: person.notify === 'digest', self: actor.id === person.id }
        : null,
  };
}
