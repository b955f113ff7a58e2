import path from 'node:path';
import type { Db } from '../../server/db/open';
import { importDirectory } from '../../server/runbooks/import';
import { findRoleByName, insertRole, upsertRoleMember } from '../../server/people/roles-repo';
import type { PersonRow } from '../../server/people/repo';
import { makePerson } from './factories';

export const SHIPPED_RUNBOOKS = path.join(__dirname, '..', '..', 'runbooks');

/**
 * The shipped runbooks with the team a new user builds around them: the owner fills the Owner
 * role and is the only backup of Bookkeeper and Operations lead; a virtual assistant fills the
 * VA roles. For the dependence page's screenshot and journeys.
 */
export function shippedTeam(db: Db, owner: PersonRow) {
  const report = importDirectory(db, SHIPPED_RUNBOOKS);
  if (report.problems.length > 0) throw new Error(`shipped runbooks do not import: ${JSON.stringify(report.problems)}`);
  db.prepare('UPDATE people SET hourly_cost_cents = 15000 WHERE id = ?').run(owner.id);
  const bea = makePerson(db, { name: 'Bea Bookkeeper', email: 'bea@example.com', hourlyCostCents: 4500 });
  const oscar = makePerson(db, { name: 'Oscar Ops', email: 'oscar@example.com', hourlyCostCents: 3500 });
  const vera = makePerson(db, { name: 'Vera VA', email: 'vera@example.com', level: 'outsourcer', hourlyCostCents: 1200 });
  const fill = (role: string, people: PersonRow[]) => {
    const found = findRoleByName(db, role) ?? insertRole(db, role);
    people.forEach((person, i) => upsertRoleMember(db, found.id, person.id, i === 0));
  };
  fill('Owner', [owner]);
  fill('Bookkeeper', [bea, owner]);
  fill('Operations lead', [oscar, owner]);
  fill('Fulfillment VA', [vera, oscar]);
  fill('Customer support VA', [vera, oscar]);
  fill('Content VA', [vera]);
  return { bea, oscar, vera };
}
