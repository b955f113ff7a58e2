import type { Db } from '../db/open';
import { sql, value } from '../db/statements';
import { ByteCache, ENTRY_OVERHEAD, stringBytes } from '../db/byte-cache';

/** The choices the library's filters offer (categories, tags, owners) and how many runbooks each side of the archive holds. */

export interface LibraryOptions {
  categories: string[];
  tags: string[];
  owners: string[];
  counts: { active: number; archived: number };
}

// Working the choices out reads every current step; they change only when the library does.
const optionCaches = new WeakMap<Db, ByteCache<LibraryOptions & { revision: string }>>();
const OPTIONS_BYTES = 512 * 1024;

/**
 * The values the filters offer: those used by the runbooks on this side of the archive. Kept
 * until the library changes (library_revision, bumped by triggers on runbooks).
 */
export function libraryOptions(db: Db, archived: boolean): LibraryOptions {
  const revision = value(db, "SELECT value FROM app_meta WHERE key = 'library_revision'").get() as string;
  let cache = optionCaches.get(db);
  if (!cache) optionCaches.set(db, (cache = new ByteCache(OPTIONS_BYTES)));
  const slot = archived ? 'archived' : 'current';
  const hit = cache.get(slot);
  if (hit?.revision === revision) return hit;
  const options = readLibraryOptions(db, archived);
  cache.set(slot, { ...options, revision }, stringBytes(JSON.stringify(options)) + ENTRY_OVERHEAD);
  return options;
}

function readLibraryOptions(db: Db, archived: boolean): LibraryOptions {
  const values = (text: string) => (sql(db, text).all({ archived: archived ? 1 : 0 }) as { value: string }[]).map((r) => r.value);
  const current = `runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE @archived = (r.archived_at IS NOT NULL)`;
  const counts = sql(
    db,
    `SELECT count(*) FILTER (WHERE archived_at IS NULL) AS active, count(*) FILTER (WHERE archived_at IS NOT NULL) AS archived
       FROM runbooks WHERE current_version_id IS NOT NULL`,
  ).get() as { active: number; archived: number };
  return {
    categories: values(`SELECT min(v.category) AS value FROM ${current} AND v.category IS NOT NULL
                         GROUP BY v.category COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    tags: values(`SELECT min(t.value) AS value
                    FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id, json_each(v.tags) t
                   WHERE @archived = (r.archived_at IS NOT NULL)
                   GROUP BY t.value COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    owners: values(`SELECT min(name) AS value FROM (
                      SELECT v.owner AS name FROM ${current}
                      UNION ALL
                      SELECT s.owner FROM runbook_steps s JOIN runbooks r ON r.current_version_id = s.version_id
                       WHERE @archived = (r.archived_at IS NOT NULL))
                    WHERE name IS NOT NULL GROUP BY name COLLATE NOCASE ORDER BY value COLLATE NOCASE`),
    counts,
  };
}
