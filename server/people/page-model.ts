import type { Db } from '../db/open';
import { LEVELS, type Actor, type Level } from '../access/actor';
import { can } from '../access/policy';
import { accountState, refuseReinvite } from '../auth/grants';
import { AppError } from '../http/errors';
import { listAccessLinks } from '../auth/links';
import { presentPerson } from './present';
import { listPeople, type PersonRow } from './repo';
import { listRoleMembers, listRoles, rolesOf, type RoleMemberRow, type RoleRow, stepsOwnedBy } from './roles-repo';
import { listAssignments, presentAssignment } from './assignments';
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

export function directoryData(db: Db, actor: Actor) {
  const byRole = new Map<number, RoleMemberRow[]>();
  for (const m of listRoleMembers(db)) {
    if (!byRole.has(m.role_id)) byRole.set(m.role_id, []);
    byRole.get(m.role_id)?.push(m);
  }
  const roles = listRoles(db);
  // Each person's roles, in the roles' (name) order.
  const byPerson = new Map<number, { id: number; name: string; primary: boolean; backupRank: number }[]>();
  for (const role of roles) {
    let backupRank = 0;
    for (const m of byRole.get(role.id) ?? []) {
      if (!byPerson.has(m.person_id)) byPerson.set(m.person_id, []);
      const primary = m.is_primary === 1;
      byPerson.get(m.person_id)?.push({ id: role.id, name: role.name, primary, backupRank: primary ? 0 : ++backupRank });
    }
  }
  const presentedRoles = roles.map((role) => roleSummary(role, byRole.get(role.id) ?? []));
  const levels = grantableLevels(actor);
  return {
    title: 'People',
    people: listPeople(db).map((p) => ({ ...personSummary(p, actor), roles: byPerson.get(p.id) ?? [] })),
    roles: presentedRoles,
    gapCount: presentedRoles.filter((r) => r.gap).length,
    showCosts: can(actor, { action: 'person.see-costs' }),
    canAdd: levels.length > 0,
    levelOptions: levelOptions(levels),
    canManageRoles: can(actor, { action: 'roles.manage' }),
  };
}

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

export function personData(db: Db, actor: Actor, person: PersonRow) {
  const now = new Date().toISOString();
  const owner = can(actor, { action: 'person.manage' });
  const assignments = listAssignments(db, person.id).map((a) => presentAssignment(a, now));
  const mayInvite = person.active === 1 && can(actor, { action: 'person.invite', level: person.access_level });
  const reinviteRefusal = mayInvite ? refusal(() => refuseReinvite(db, actor, person)) : null;
  const canInvite = mayInvite && reinviteRefusal === null;
  const links = linkSection(db, actor, person, now);
  return {
    title: person.name,
    person: personSummary(person, actor),
    isSelf: person.id === actor.id,
    assignments,
    overdueCount: assignments.filter((a) => a.overdue).length,
    roles: rolesOf(db, person.id).map((r) => ({ id: r.id, name: r.name, primary: r.is_primary === 1, backupRank: r.backup_rank })),
    // Whether they can sign in yet: for those who invite people.
    account: can(actor, { action: 'person.invite', level: 'outsourcer' }) ? accountState(db, person.id, now) : null,
    canInvite,
    reinviteRefusal,
    managesAccess: mayInvite || Boolean(links?.manage) || owner,
    links,
    signOutEverywhere: person.active === 1 && can(actor, { action: 'sessions.end-all', personId: person.id }),
    owner: owner ? { levelOptions: levelOptions(LEVELS).map((o) => ({ ...o, current: o.value === person.access_level })) } : null,
    ...personDelegation(db, actor, person),
  };
}

/** Steps grouped under their runbook (the rows come ordered by runbook). */
function byRunbook(steps: ReturnType<typeof stepsOwnedBy>) {
  const runbooks: { slug: string; title: string; steps: { position: number; title: string }[] }[] = [];
  for (const step of steps) {
    let last = runbooks.at(-1);
    if (last?.slug !== step.slug) runbooks.push((last = { slug: step.slug, title: step.runbook_title, steps: [] }));
    last.steps.push({ position: step.position, title: step.title });
  }
  return runbooks;
}

export function roleData(db: Db, actor: Actor, role: RoleRow) {
  const members = listRoleMembers(db, role.id);
  const manage = can(actor, { action: 'roles.manage' });
  const inRole = new Set(members.map((m) => m.person_id));
  return {
    title: role.name,
    role: roleSummary(role, members),
    runbooks: byRunbook(stepsOwnedBy(db, role.name)),
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
