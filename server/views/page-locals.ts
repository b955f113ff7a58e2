import type { RequestHandler } from 'express';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';

interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

/** The main navigation, showing only what the viewer may open. */
export function navItems(actor: Actor, path: string): NavItem[] {
  const items: NavItem[] = [{ href: '/my-work', label: 'My work' }];
  if (can(actor, { action: 'runbook.read' })) items.unshift({ href: '/', label: 'Home' });
  if (can(actor, { action: 'runbook.read' })) items.push({ href: '/runbooks', label: 'Library' });
  if (can(actor, { action: 'runs.read-all' })) items.push({ href: '/runs', label: 'Runs' });
  if (can(actor, { action: 'people.list' })) items.push({ href: '/people', label: 'People' });
  // Owners and editors see what depends on the owner first; the team, what their own absence would do.
  if (can(actor, { action: 'dependence.read' })) items.push({ href: '/dependence', label: 'Step away' });
  else if (can(actor, { action: 'step-away.simulate', personId: actor.id })) items.push({ href: '/step-away', label: 'Step away' });
  // Those who do not see the team (outsourcers) reach their own page, with their absences and email choice.
  if (!can(actor, { action: 'people.list' }) && can(actor, { action: 'person.read', personId: actor.id })) {
    items.push({ href: `/people/${actor.id}`, label: 'My page' });
  }
  if (can(actor, { action: 'tokens.own' })) items.push({ href: '/account', label: 'Account' });
  if (can(actor, { action: 'outbox.read' })) items.push({ href: '/outbox', label: 'Outbox' });
  if (can(actor, { action: 'audit.read' })) items.push({ href: '/audit', label: 'Audit log' });
  return items.map((item) => ({
    ...item,
    current: item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`),
  }));
}

/**
 * What every page's layout needs: who is signed in, their navigation, the CSRF token; and the
 * settings pages explain themselves with (how long a personal link lives unused).
 */
export function pageLocals(settings: { linkDays: number }): RequestHandler {
  return (req, res, next) => {
    res.locals.linkDays = settings.linkDays;
    res.locals.actor = req.actor;
    res.locals.csrfToken = req.session?.csrf_token;
    res.locals.navItems = req.actor ? navItems(req.actor, req.path) : [];
    next();
  };
}
