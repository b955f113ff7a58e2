import type { Request } from 'express';
import { requireActor, type Actor } from '../access/actor';
import { authorize } from '../access/policy';

/** Runbooks are for the team: to anyone else a runbook's address shows nothing (as in the API). */
export function readableBy(req: Request, slug: string): Actor {
  const actor = requireActor(req);
  authorize(actor, { action: 'runbook.read' }, `Runbook "${slug}"`);
  return actor;
}
