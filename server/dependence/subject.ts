import type { Actor } from '../access/actor';
import { authorize } from '../access/policy';
import type { Db } from '../db/open';
import { UnprocessableError } from '../http/errors';
import { findPerson, type PersonRow } from '../people/repo';

/**
 * Whose absence to simulate: the viewer by default. Owners and editors may ask about anyone
 * (an unknown id is named as the bad field); anyone else asking about another person gets the
 * 404 that any other person's data gets, whether that person exists or not.
 */
export function stepAwaySubject(db: Db, actor: Actor, personId: number | undefined): PersonRow {
  const id = personId ?? actor.id;
  authorize(actor, { action: 'step-away.simulate', personId: id }, id === actor.id ? undefined : `Person ${id}`);
  const person = findPerson(db, id);
  if (!person) throw new UnprocessableError('unknown-person', `person: person ${id} does not exist`, 'person');
  return person;
}
