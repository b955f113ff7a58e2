import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { hashSecret, newSecret } from './secrets';

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
    personId, name, hashSecret(token), at,
  );
  return { token, row: { id: Number(lastInsertRowid), person_id: personId, name, created_at: at, last_used_at: null, revoked_at: null } };
}

export function listApiTokens(db: Db, personId: number): ApiTokenRow[] {
  return sql(db, 
    'SELECT id, person_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE person_id = ? ORDER BY id DESC',
  ).all(personId) as ApiTokenRow[];
}

/** Revokes one of the person's own tokens; false when it is not theirs or already revoked. */
export function revokeApiToken(db: Db, personId: number, tokenId: number): boolean {
  return (
    sql(db, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL').run(
      new Date().toISOString(), tokenId, personId,
    ).changes > 0
  );
}

export function revokeAllApiTokens(db: Db, personId: number): number {
  return sql(db, 'UPDATE api_tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL').run(new Date().toISOString(), personId)
    .changes;
}
