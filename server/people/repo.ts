import type { Db } from '../db/open';
import { sql } from '../db/statements';
import type { Level } from '../access/actor';

export interface PersonRow {
  id: number;
  name: string;
  email: string;
  kind: 'team' | 'outsourcer';
  hourly_cost_cents: number | null;
  active: number;
  access_level: Level;
  notify: 'each' | 'digest';
  created_at: string;
}

export function listPeople(db: Db): PersonRow[] {
  return sql(db, 'SELECT * FROM people ORDER BY name COLLATE NOCASE, id').all() as PersonRow[];
}

/** People by name, a page at a time: up to `limit` after `after` ([name, id] of the last one shown). */
export function listPeopleAfter(db: Db, after: [string, number] | null, limit: number): PersonRow[] {
  const [name, id] = after ?? ['', 0];
  return sql(
    db,
    `SELECT * FROM people WHERE name >= @name COLLATE NOCASE AND (name COLLATE NOCASE, id) > (@name, @id)
      ORDER BY name COLLATE NOCASE, id LIMIT @limit`,
  ).all({ name, id, limit }) as PersonRow[];
}

/** The sort key of a person in the people list. */
export const PEOPLE_LIST = { name: 'people', key: ['text', 'id'] } as const;

export function findPerson(db: Db, id: number): PersonRow | undefined {
  return sql(db, 'SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
}

export function findPersonByEmail(db: Db, email: string): PersonRow | undefined {
  return sql(db, 'SELECT * FROM people WHERE email = ?').get(email) as PersonRow | undefined;
}

/** The one person with this name; none when nobody or several share it (a guess is worse than a gap). */
export function findPersonByName(db: Db, name: string): PersonRow | undefined {
  const rows = sql(db, 'SELECT * FROM people WHERE name = ? COLLATE NOCASE LIMIT 2').all(name) as PersonRow[];
  return rows.length === 1 ? rows[0] : undefined;
}

export function insertPerson(
  db: Db,
  person: { name: string; email: string; kind: 'team' | 'outsourcer'; hourlyCostCents: number | null; active: boolean; level: Level },
): PersonRow {
  const { lastInsertRowid } = sql(
    db,
    'INSERT INTO people (name, email, kind, hourly_cost_cents, active, access_level, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(person.name, person.email, person.kind, person.hourlyCostCents, person.active ? 1 : 0, person.level, new Date().toISOString());
  return findPerson(db, Number(lastInsertRowid)) as PersonRow;
}

export function updatePerson(
  db: Db,
  id: number,
  changes: Partial<{ name: string; email: string; kind: 'team' | 'outsourcer'; hourlyCostCents: number | null; active: boolean }>,
): void {
  sql(
    db,
    `UPDATE people SET
       name = coalesce(@name, name),
       email = coalesce(@email, email),
       kind = coalesce(@kind, kind),
       hourly_cost_cents = CASE WHEN @setCost THEN @cost ELSE hourly_cost_cents END,
       active = coalesce(@active, active)
     WHERE id = @id`,
  ).run({
    id,
    name: changes.name ?? null,
    email: changes.email ?? null,
    kind: changes.kind ?? null,
    setCost: changes.hourlyCostCents !== undefined ? 1 : 0,
    cost: changes.hourlyCostCents ?? null,
    active: changes.active === undefined ? null : changes.active ? 1 : 0,
  });
}
