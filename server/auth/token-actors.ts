import type { Db } from '../db/open';
import type { Level } from '../access/actor';

/** Who an API token belongs to, as authenticate() looked it up. */
export interface TokenActor {
  tokenId: number;
  /** When the token was last recorded as used (ms since the epoch), null if never. */
  lastUsedAt: number | null;
  id: number;
  name: string;
  email: string;
  level: Level;
}

interface Cache {
  entries: Map<string, TokenActor>;
  dataVersion: number;
  readDataVersion: () => number;
}

const caches = new WeakMap<Db, Cache>();
const LIMIT = 1000;

/**
 * Tokens and people changed through this connection: any such change empties the cache on the
 * spot, inside the statement that makes it (TEMP triggers belong to this connection only).
 * Inserts need nothing: only tokens found live are cached, never a miss.
 */
const TRIGGERS = `
CREATE TEMP TRIGGER IF NOT EXISTS token_actors_token_changed AFTER UPDATE OF token_hash, person_id, revoked_at ON api_tokens
BEGIN SELECT forget_token_actors(); END;
CREATE TEMP TRIGGER IF NOT EXISTS token_actors_token_deleted AFTER DELETE ON api_tokens
BEGIN SELECT forget_token_actors(); END;
CREATE TEMP TRIGGER IF NOT EXISTS token_actors_person_changed AFTER UPDATE OF id, name, email, access_level, active ON people
BEGIN SELECT forget_token_actors(); END;
CREATE TEMP TRIGGER IF NOT EXISTS token_actors_person_deleted AFTER DELETE ON people
BEGIN SELECT forget_token_actors(); END;`;

function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache) {
    const entries = new Map<string, TokenActor>();
    db.function('forget_token_actors', () => {
      entries.clear();
      return null;
    });
    db.exec(TRIGGERS);
    const version = db.prepare('PRAGMA data_version').pluck();
    const readDataVersion = () => version.get() as number;
    cache = { entries, dataVersion: readDataVersion(), readDataVersion };
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The people behind recently used API tokens (keyed by the token's hash), so that a script's
 * requests do not each look their token up. Revoking a token, or deactivating, renaming or
 * re-levelling its person, takes effect on the very next request: through this connection it
 * empties the cache (see TRIGGERS), through another one (the CLI) it changes SQLite's
 * data_version, which every lookup compares first. forgetTokenActors() covers a rollback.
 */
export function tokenActors(db: Db) {
  const cache = cacheOf(db);
  return {
    get(tokenHash: string): TokenActor | undefined {
      const version = cache.readDataVersion();
      if (version !== cache.dataVersion) {
        cache.entries.clear();
        cache.dataVersion = version;
        return undefined;
      }
      return cache.entries.get(tokenHash);
    },
    set(tokenHash: string, entry: TokenActor): void {
      if (cache.entries.size >= LIMIT) cache.entries.delete(cache.entries.keys().next().value as string);
      cache.entries.set(tokenHash, entry);
    },
  };
}

/** Drops every cached token (after a rolled-back batch: what was read inside it may be void). */
export function forgetTokenActors(db: Db): void {
  caches.get(db)?.entries.clear();
}
