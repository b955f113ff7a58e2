import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { ConflictError } from '../http/errors';
import { audit } from '../audit/repo';
import { endAccessLinks, revokeAllLinks } from '../auth/links';
import { endSessionsOf } from '../auth/sessions';
import { revokeAllApiTokens } from '../auth/tokens';
import type { PersonRow } from './repo';
import type { Level } from '../access/actor';

/** Refuses a change that would leave nobody able to run the business. */
function keepAnOwner(db: Db, target: PersonRow): void {
  if (target.access_level !== 'owner') return;
  const others = sql(db, "SELECT count(*) AS n FROM people WHERE access_level = 'owner' AND active = 1 AND id != ?").get(target.id) as {
    n: number;
  };
  if (others.n === 0) throw new ConflictError('last-owner', `${target.name} is the only owner; make someone else owner first`);
}

export function setAccessLevel(db: Db, actorId: number, target: PersonRow, level: Level, address: string | null): void {
  if (level !== 'owner') keepAnOwner(db, target);
  sql(db, 'UPDATE people SET access_level = ? WHERE id = ?').run(level, target.id);
  // Nobody holds a personal link to an owner's account (server/access/policy.ts, link.manage).
  if (level === 'owner') endAccessLinks(db, target.id);
  audit(db, { action: 'level.changed', actorId, subjectId: target.id, address, data: { from: target.access_level, to: level } });
}

/**
 * Deactivation takes effect at once: sessions end, tokens and links stop working. Their open
 * steps stay assigned to them and show as gaps (GET /api/gaps) until someone takes them over.
 */
export function deactivatePerson(db: Db, actorId: number, target: PersonRow, address: string | null): void {
  keepAnOwner(db, target);
  sql(db, 'UPDATE people SET active = 0 WHERE id = ?').run(target.id);
  endSessionsOf(db, target.id);
  revokeAllApiTokens(db, target.id);
  revokeAllLinks(db, target.id);
  audit(db, { action: 'person.deactivated', actorId, subjectId: target.id, address });
}
