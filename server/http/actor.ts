import { z } from 'zod';
import type { Db } from '../db/open';
import { findPerson } from '../people/repo';
import { UnprocessableError } from './errors';
import { validate } from './validate';

const byField = z.object({ by: z.number({ error: 'must be a person id' }).int().positive() });

/**
 * The person acting on a request. Until sign-in exists this is the `by` person id of the
 * body; it must be someone active, so history never names a stranger.
 */
export function actorFromBody(db: Db, body: unknown): number {
  const { by } = validate(byField, body ?? {});
  const person = findPerson(db, by);
  if (!person) throw new UnprocessableError('unknown-person', `by: person ${by} does not exist`, 'by');
  if (!person.active) throw new UnprocessableError('inactive-person', `by: ${person.name} is inactive`, 'by');
  return person.id;
}
