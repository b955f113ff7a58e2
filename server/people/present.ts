import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import type { PersonRow } from './repo';

/** A person as the viewer may see them: costs only for owners (and the person themself, signed in with a password or a token). */
export const presentPerson = (p: PersonRow, viewer: Actor) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  kind: p.kind,
  level: p.access_level,
  ...(can(viewer, { action: 'person.see-costs', personId: p.id })
    ? { hourlyCost: p.hourly_cost_cents === null ? null : p.hourly_cost_cents / 100 }
    : {}),
  active: p.active === 1,
  ...(viewer.id === p.id || can(viewer, { action: 'person.manage' }) ? { notify: p.notify } : {}),
  createdAt: p.created_at,
});
