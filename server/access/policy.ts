import { AppError, NotFoundError } from '../http/errors';
import type { Actor, Level } from './actor';

/**
 * Who may do what, in one place. Each rule reads like the access table in the README:
 *
 *   owner      everything
 *   editor     write and archive runbooks, run every run, manage roles, invite
 *   member     read runbooks, start runs, work their own steps, hand off their own steps
 *   outsourcer only their own steps (and the runs as far as those go), their own profile
 *
 * How someone came in limits them further, whatever their level: a personal link opens only
 * the person's own work (see linkOpens), and only a person at a browser signed in with their
 * password may make API tokens or change that password.
 *
 * Queries are scoped as well (an outsourcer's lists come from queries that only return their
 * rows); these rules are the second lock, not the only one.
 */
export type Rule =
  | { action: 'runbook.read' }
  | { action: 'runbook.write' }
  | { action: 'people.list' }
  | { action: 'person.read'; personId: number }
  | { action: 'person.manage' }
  | { action: 'person.invite'; level: Level }
  /** Without personId: everyone's costs (the directory); with it, that person's. */
  | { action: 'person.see-costs'; personId?: number }
  | { action: 'roles.read' }
  | { action: 'roles.manage' }
  | { action: 'gaps.read' }
  | { action: 'run.start' }
  /** The list of runs (each viewer's list is scoped: see runs.read-all). */
  | { action: 'runs.list' }
  /** Whole runs, every step of them; without it, only the viewer's own steps of a run. */
  | { action: 'runs.read-all' }
  | { action: 'step.work'; assigneeId: number | null }
  | { action: 'step.reassign'; assigneeId: number | null }
  | { action: 'step.comment'; assigneeId: number | null }
  | { action: 'step.approve'; isApprover: boolean }
  | { action: 'run.fill-fields'; startedBy: number | null; hasStep: boolean }
  | { action: 'assignments.read'; personId: number }
  /** Making, listing and ending the personal link of someone at `level`. */
  | { action: 'link.manage'; level: Level }
  /** Making, replacing and stopping a person's calendar link (a read-only feed of their steps). */
  | { action: 'calendar.manage'; personId: number; level: Level }
  | { action: 'audit.read' }
  | { action: 'tokens.own' }
  | { action: 'tokens.create' }
  | { action: 'password.change' }
  /** Ending every session, personal link and API token of a person at once. */
  | { action: 'sessions.end-all'; personId: number }
  | { action: 'person.away'; personId: number }
  | { action: 'steps.handoff'; fromId: number }
  | { action: 'notify.choose'; personId: number }
  | { action: 'outbox.read' }
  /** Registering webhooks and reading their deliveries: they send the workspace's events out. */
  | { action: 'webhooks.manage' }
  | { action: 'dependence.read' }
  | { action: 'step-away.simulate'; personId: number };

const isTeam = (actor: Actor) => actor.level !== 'outsourcer';
const isManager = (actor: Actor) => actor.level === 'owner' || actor.level === 'editor';

/**
 * What a personal link opens, whoever it names (an owner's link, were there one, too): what
 * My work offers. Their own steps (to read, work, note and, as their level allows, hand on),
 * their own page (absence, email choice), their own print-outs. Everything else needs the
 * person to sign in with their password: a link travels by email and chat, a password does not.
 */
function linkOpens(actor: Actor, rule: Rule): boolean {
  switch (rule.action) {
    case 'step.work':
    case 'step.comment':
    case 'step.reassign':
      return rule.assigneeId === actor.id;
    case 'person.read':
    case 'assignments.read':
    case 'person.away':
    case 'notify.choose':
    case 'calendar.manage': // their calendar shows only what the link opens already: their own steps
      return rule.personId === actor.id;
    default:
      return false;
  }
}

export function can(actor: Actor, rule: Rule): boolean {
  if (actor.via === 'link' && !linkOpens(actor, rule)) return false;
  // Only a person at a browser may make tokens (a leaked token must not mint its own spares)
  // or change their password: this is about how someone signed in, so it binds owners too.
  if (rule.action === 'tokens.create' || rule.action === 'password.change') return actor.via === 'session';
  // A link is a way in without a password: only for someone below its maker, never for an
  // owner; editors make them only for outsourcers.
  if (rule.action === 'link.manage') {
    return actor.level === 'owner' ? rule.level !== 'owner' : actor.level === 'editor' && rule.level === 'outsourcer';
  }
  if (actor.level === 'owner') return true;
  switch (rule.action) {
    case 'runbook.read':
    case 'people.list':
    case 'roles.read':
    case 'run.start':
    case 'runs.read-all':
      return isTeam(actor);
    case 'runs.list':
      return true;
    case 'runbook.write':
    case 'roles.manage':
    case 'gaps.read':
    case 'dependence.read':
      return isManager(actor);
    case 'person.invite':
      return isManager(actor) && (rule.level === 'member' || rule.level === 'outsourcer');
    case 'person.manage':
    case 'audit.read':
    case 'outbox.read':
    case 'webhooks.manage':
      return false;
    case 'person.see-costs':
      return rule.personId === actor.id;
    case 'person.read':
    case 'assignments.read':
      return rule.personId === actor.id || isTeam(actor);
    case 'step.work':
      return isManager(actor) || rule.assigneeId === actor.id;
    case 'step.reassign':
      return isManager(actor) || (actor.level === 'member' && rule.assigneeId === actor.id);
    // The role or person a step's Approval: names (whoever completed it may not: see runs/actions.ts).
    case 'step.approve':
      return rule.isApprover;
    // A run's own fields (an order number): those who run the team, who started it, or work in it.
    case 'run.fill-fields':
      return isManager(actor) || (isTeam(actor) && (rule.startedBy === actor.id || rule.hasStep));
    case 'step.comment':
      return isTeam(actor) || rule.assigneeId === actor.id;
    case 'tokens.own':
      return true;
    case 'sessions.end-all':
      return rule.personId === actor.id;
    // Planning an absence: one's own (outsourcers too: a VA goes on holiday), or anyone's for those who run the team.
    case 'person.away':
      return isManager(actor) || rule.personId === actor.id;
    case 'steps.handoff':
      return isManager(actor) || (actor.level === 'member' && rule.fromId === actor.id);
    case 'notify.choose':
      return rule.personId === actor.id;
    // One's own calendar; editors also anyone's but an owner's (nobody gives a way in to someone above them).
    case 'calendar.manage':
      return rule.personId === actor.id || (actor.level === 'editor' && rule.level !== 'owner');
    // What happens if someone steps away: one's own, or anyone's for those who run the team.
    case 'step-away.simulate':
      return isManager(actor) || (isTeam(actor) && rule.personId === actor.id);
  }
}

/**
 * Refuses what `can` does not allow. Where asking about a thing could reveal that it exists
 * (someone else's person, run or step), the refusal is the same 404 as for a missing one.
 */
export function authorize(actor: Actor, rule: Rule, hideAs?: string): void {
  if (can(actor, rule)) return;
  if (hideAs) throw new NotFoundError(hideAs);
  throw new AppError(403, 'forbidden', refusal(actor, rule));
}

/** Why a rule refuses, in words: the level, or how the request was signed in (a token, a personal link). */
function refusal(actor: Actor, rule: Rule): string {
  if (rule.action === 'tokens.create' && actor.via === 'token') {
    return 'An API token cannot create API tokens (a leaked token must not make its own spares): create one on the Account page, signed in with your password, or with "npm run cli -- token create" on the server';
  }
  if (actor.via === 'link') return 'A personal link opens only your own steps and your own page: sign in with your password for this';
  return 'Your access level does not allow this';
}

/** Whose steps of a run the viewer sees: null for every step, else only their own. */
export const runViewer = (actor: Actor): number | null => (can(actor, { action: 'runs.read-all' }) ? null : actor.id);

/**
 * For a step inside a run: those who see whole runs may learn that a step exists (403),
 * anyone else may not (the same 404 as a step that does not exist).
 */
export function authorizeInRun(actor: Actor, rule: Rule, what: string): void {
  authorize(actor, rule, can(actor, { action: 'runs.read-all' }) ? undefined : what);
}
