import type { Db } from '../db/open';
import { sql } from '../db/statements';

export type AuditAction =
  | 'sign-in.ok'
  | 'sign-in.failed'
  | 'sign-in.burst'
  | 'sign-out'
  | 'signed-out-everywhere'
  | 'setup.owner-created'
  | 'invitation.created'
  | 'invitation.accepted'
  | 'invitation.revoked'
  | 'level.changed'
  | 'person.deactivated'
  | 'person.reactivated'
  | 'token.created'
  | 'token.revoked'
  | 'link.created'
  | 'link.revoked'
  | 'link.opened'
  | 'link.used'
  | 'password.changed'
  | 'password-reset.requested'
  | 'steps.handed-off'
  | 'person.offboarded'
  | 'away.planned'
  | 'away.cancelled'
  | 'runbook.reviewed'
  | 'runbook.kept'
  | 'calendar.created'
  | 'calendar.revoked';

/** How each entry reads on the audit page. */
export const AUDIT_LABELS: Record<AuditAction, string> = {
  'sign-in.ok': 'Signed in',
  'sign-in.failed': 'Failed sign-in',
  'sign-in.burst': 'Sign-ins failing from many addresses',
  'sign-out': 'Signed out',
  'signed-out-everywhere': 'Signed out everywhere',
  'setup.owner-created': 'Owner account created',
  'invitation.created': 'Invitation sent',
  'invitation.accepted': 'Invitation accepted',
  'invitation.revoked': 'Invitation withdrawn',
  'level.changed': 'Access level changed',
  'person.deactivated': 'Deactivated',
  'person.reactivated': 'Reactivated',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'link.created': 'Personal link created',
  'link.revoked': 'Personal link revoked',
  'link.opened': 'Personal link opened',
  'link.used': 'Change made through a personal link',
  'password.changed': 'Password set',
  'password-reset.requested': 'Password reset link asked for (by email)',
  'steps.handed-off': 'Steps handed off',
  'person.offboarded': 'Offboarded',
  'away.planned': 'Absence planned',
  'away.cancelled': 'Absence cancelled',
  'runbook.reviewed': 'Runbook reviewed',
  'runbook.kept': 'Unused runbook kept',
  'calendar.created': 'Calendar link made',
  'calendar.revoked': 'Calendar link revoked',
};

/** Who did what the server's command line (npm run cli) did, as the audit log names them. */
export const COMMAND_LINE = 'Command line (on the server)';

/** Appends to the audit log that owners read. Never holds a secret. */
export function audit(
  db: Db,
  entry: { action: AuditAction; actorId: number | null; subjectId?: number | null; address?: string | null; data?: object },
): void {
  sql(db, 'INSERT INTO audit_log (at, actor_id, action, subject_id, address, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    new Date().toISOString(),
    entry.actorId,
    entry.action,
    entry.subjectId ?? null,
    entry.address ?? null,
    JSON.stringify(entry.data ?? {}),
  );
}

/** What an entry's data says, as people read it: who made a link, what a burst was. */
function detailOf(action: string, data: Record<string, unknown>, madeByName: string | null): string | null {
  const madeBy = 'madeBy' in data ? (data.madeBy === null ? 'link made for an email' : `link made by ${madeByName ?? 'someone'}`) : null;
  switch (action) {
    case 'link.created':
    case 'link.opened':
      return madeBy;
    case 'link.used':
      return [typeof data.request === 'string' ? data.request : null, madeBy].filter(Boolean).join(' · ') || null;
    case 'sign-in.burst':
      return `${String(data.failures)} failed sign-ins for ${String(data.email)} from ${String(data.addresses)} addresses`;
    case 'runbook.reviewed':
    case 'runbook.kept':
      return [typeof data.title === 'string' ? `“${data.title}”` : null, typeof data.note === 'string' ? `note: ${data.note}` : null]
        .filter(Boolean)
        .join(' · ');
    case 'password.changed':
      return typeof data.via === 'string' ? `through the ${data.via === 'cli' ? 'command line' : `${data.via} page`}` : null;
    default:
      return null;
  }
}

/** The audit log newest first, a page at a time (`?cursor=` holds the id of the last entry shown). */
export const AUDIT_LIST = { name: 'audit', key: ['id'] } as const;

/** Up to `limit` entries older than the entry `before` (the newest when null). */
export function listAudit(db: Db, before: number | null, limit: number) {
  return (
    sql(
      db,
      `SELECT l.id, l.at, l.action, l.address, l.data, l.actor_id, a.name AS actor_name, l.subject_id, s.name AS subject_name,
              m.name AS made_by_name
         FROM audit_log l LEFT JOIN people a ON a.id = l.actor_id LEFT JOIN people s ON s.id = l.subject_id
         LEFT JOIN people m ON m.id = json_extract(l.data, '$.madeBy')
        WHERE l.id < @before ORDER BY l.id DESC LIMIT @limit`,
    ).all({ before: before ?? Number.MAX_SAFE_INTEGER, limit }) as {
      id: number;
      at: string;
      action: string;
      address: string | null;
      data: string;
      actor_id: number | null;
      actor_name: string | null;
      subject_id: number | null;
      subject_name: string | null;
      made_by_name: string | null;
    }[]
  ).map((row) => {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    return {
      id: row.id,
      at: row.at,
      action: row.action,
      label: AUDIT_LABELS[row.action as AuditAction] ?? row.action,
      detail: detailOf(row.action, data, row.made_by_name),
      address: row.address,
      // What the server's command line did was done by whoever ran it there: it is named as such.
      actor:
        row.actor_id !== null ? { id: row.actor_id, name: row.actor_name } : data.via === 'cli' ? { id: null, name: COMMAND_LINE } : null,
      subject: row.subject_id === null ? null : { id: row.subject_id, name: row.subject_name },
      data,
    };
  });
}
