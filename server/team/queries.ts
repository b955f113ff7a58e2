import type { Db } from '../db/open';
import { sql } from '../db/statements';

/** The few reads the team pages need that the people and auth repos do not have. */

/** The roles a person is in, with where they stand: primary, or their place among the backups. */
export function rolesOf(db: Db, personId: number) {
  return sql(db,
    `SELECT r.id, r.name, m.is_primary,
            (SELECT count(*) FROM role_members o
              WHERE o.role_id = m.role_id AND o.is_primary = 0 AND o.position < m.position) + 1 AS backup_rank
       FROM role_members m JOIN roles r ON r.id = m.role_id
      WHERE m.person_id = ?
      ORDER BY r.name COLLATE NOCASE`,
  ).all(personId) as { id: number; name: string; is_primary: number; backup_rank: number }[];
}

/** Whether someone can sign in yet: a password set, or an invitation still open. */
export function accountState(db: Db, personId: number, now: string) {
  return sql(db,
    `SELECT EXISTS (SELECT 1 FROM credentials WHERE person_id = @id) AS has_password,
            (SELECT max(expires_at) FROM invitations
              WHERE person_id = @id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @now) AS invitation_expires_at`,
  ).get({ id: personId, now }) as { has_password: number; invitation_expires_at: string | null };
}

/** Steps of current, unarchived runbooks that name this role as their owner (or inherit it). */
export function stepsOwnedBy(db: Db, roleName: string) {
  return sql(db,
    `SELECT b.slug, v.title AS runbook_title, s.position, s.title
       FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
       JOIN runbook_steps s ON s.version_id = v.id
      WHERE b.archived_at IS NULL AND coalesce(s.owner, v.owner) = ? COLLATE NOCASE
      ORDER BY v.title COLLATE NOCASE, b.slug, s.position`,
  ).all(roleName) as { slug: string; runbook_title: string; position: number; title: string }[];
}
