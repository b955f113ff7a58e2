import { AppError, NotFoundError } from '../http/errors';
import { isManager, isTeam, type Actor, type Level } from './actor';

/**
 * Who may do what, in one place. Each rule reads like the access table in the README:
 *
 *   owner      everything
 *   editor     write and archive runbooks, run every run, manage roles, invite
 *   member     read runbooks, start runs, work their own steps, hand off their own steps
 *   outsourcer only their own steps (and the runs as far as those go), their own profile
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
  | { action: 'person.see-costs' }
  | { action: 'roles.read' }
  | { action: 'roles.manage' }
  | { action: 'gaps.read' }
  | { action: 'run.start' }
  | { action: 'runs.read-all' }
  | { action: 'step.work'; assigneeId: number | null }
  | { action: 'step.reassign'; assigneeId: number | null }
  | { action: 'step.comment'; assigneeId: number | null }
  | { action: 'step.approve'; isApprover: boolean }
  | { action: 'run.fill-fields'; startedBy: number | null; hasStep: boolean }
  | { action: 'assignments.read'; personId: number }
  | { action: 'links.manage' }
  | { action: 'audit.read' }
  | { action: 'tokens.own' }
  | { action: 'tokens.create' }
  | { action: 'person.away'; personId: number }
  | { action: 'steps.handoff'; fromId: number }
  | { action: 'notify.choose'; personId: number }
  | { action: 'outbox.read' };

export function can(actor: Actor, rule: Rule): boolean {
  // Only a person at a browser may make tokens (a leaked token must not mint its own spares):
  // this is about how someone signed in, not their level, so it binds owners too.
  if (rule.action === 'tokens.create') return actor.via === 'session';
  if (actor.level === 'owner') return true;
  switch (rule.action) {
    case 'runbook.read':
    case 'people.list':
    case 'roles.read':
    case 'run.start':
    case 'runs.read-all':
      return isTeam(actor);
    case 'runbook.write':
    case 'roles.manage':
    case 'gaps.read':
    case 'links.manage':
      return isManager(actor);
    case 'person.invite':
      return isManager(actor) && (rule.level === 'member' || rule.level === 'outsourcer');
    case 'person.manage':
    case 'person.see-costs':
    case 'audit.read':
    case 'outbox.read':
      return false;
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
      return actor.via !== 'link';
    // Planning an absence: one's own, or anyone's for those who run the team.
    case 'person.away':
      return isManager(actor) || (isTeam(actor) && rule.personId === actor.id);
    case 'steps.handoff':
      return isManager(actor) || (actor.level === 'member' && rule.fromId === actor.id);
    case 'notify.choose':
      return rule.personId === actor.id;
  }
}

/**
 * Refuses what `can` does not allow. Where asking about a thing could reveal that it exists
 * (someone else's person, run or step), the refusal is the same 404 as for a missing one.
 */
export function authorize(actor: Actor, rule: Rule, hideAs?: string): void {
  if (can(actor, rule)) return;
  if (hideAs) throw new NotFoundError(hideAs);
  throw new AppError(403, 'forbidden', 'Your access level does not allow this');
}

/**
 * For a step inside a run: the team may learn that a step exists (403), an outsourcer may not
 * (the same 404 as a step that does not exist).
 */
export function authorizeInRun(actor: Actor, rule: Rule, what: string): void {
  authorize(actor, rule, isTeam(actor) ? undefined : what);
}
