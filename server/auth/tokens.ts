import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { hashSecret, newSecret } from './secrets';
import { audit } from '../audit/repo';

/** Personal API tokens: shown once, stored as a hash, used as `Authorization: Bearer …`. */
export const TOKEN_PREFIX = 'rbk_';

export interface ApiTokenRow {
  id: number;
  person_id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function createApiToken(db: Db, personId: number, name: string): { token: string; row: ApiTokenRow } {
  const token = newSecret(TOKEN_PREFIX);
  const at = new Date().toISOString();
  const { lastInsertRowid } = sql(db, 'INSERT INTO api_tokens (person_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)').run(
    personId,
    name,
    hashSecret(token),
    at,
  );
  return { token, row: { id: Number(lastInsertRowid), person_id: personId, name, created_at: at, last_used_at: null, revoked_at: null } };
}

/** Makes a token for a person and records it in the audit log (who made it, from where). */
export function issueApiToken(
  db: Db,
  personId: number,
  name: string,
  by: { actorId: number | null; address: string | null; via?: string },
): { token: string; row: ApiTokenRow } {
  const made = createApiToken(db, personId, name);
  audit(db, {
    action: 'token.created',
    actorId: by.actorId,
    subjectId: personId,
    address: by.address,
    data: { token: made.row.id, name, ...(by.via ? { via: by.via } : {}) },
  });
  return made;
}

export function listApiTokens(db: Db, personId: number): ApiTokenRow[] {
  return sql(
    db,
    'SELECT id, person_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE person_id = ? ORDER BY id DESC',
  ).all(personId) as ApiTokenRow[];
}

/** Revokes one of the person's own tokens; false when it is not theirs or already revoked. */
export function revokeApiToken(db: Db, personId: number, tokenId: number): boolean {
  return (
    sql(db, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL').run(
      new Date().toISOString(),
      tokenId,
      personId,
    ).changes > 0
  );
}

/** Revokes one of the person's own tokens and records it; false when it is not theirs or already revoked. */
export function revokeApiTokenWithAudit(db: Db, personId: number, tokenId: number, address: string | null): boolean {
  if (!revokeApiToken(db, personId, tokenId)) return false;
  audit(db, { action: 'token.revoked', actorId: personId, subjectId: personId, address, data: { token: tokenId } });
  return true;
}

export function revokeAllApiTokens(db: Db, personId: number): number {
  return sql(db, 'UPDATE api_tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL').run(new Date().toISOString(), personId)
    .changes;
}
