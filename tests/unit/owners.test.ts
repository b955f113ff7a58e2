import type { Db } from '../../server/db/open';
import { ensureOwnerRoles, resolveOwner } from '../../server/people/owners';
import { updatePerson } from '../../server/people/repo';
import { findRoleByName, listRoleMembers, listRoles } from '../../server/people/roles-repo';
import { freshDb } from '../helpers/db';
import { makePerson, makeRole } from '../helpers/factories';

let db: Db;
let cleanup: () => void;

beforeAll(() => {
  ({ db, cleanup } = freshDb());
});
afterAll(() => cleanup());

describe('resolveOwner', () => {
  test('resolves no name to nobody', () => {
    expect(resolveOwner(db, null)).toEqual({ kind: 'none' });
  });

  test('gives a step to the primary of the role it names', () => {
    const primary = makePerson(db, { name: 'Bea Books' });
    const backup = makePerson(db, { name: 'Ben Backup' });
    const role = makeRole(db, 'Bookkeeper', [primary, backup]);
    const resolved = resolveOwner(db, 'Bookkeeper');
    expect(resolved).toEqual({
      kind: 'role',
      role: { ...role, is_gap: expect.any(Number) },
      assignee: { id: primary.id, name: 'Bea Books' },
    });
  });

  test('matches a role name in any case', () => {
    const member = makePerson(db, { name: 'Rita Refunds' });
    const role = makeRole(db, 'Customer support VA', [member]);
    expect(resolveOwner(db, 'CUSTOMER support va')).toEqual({
      kind: 'role',
      role: { ...role, is_gap: expect.any(Number) },
      assignee: { id: member.id, name: 'Rita Refunds' },
    });
  });

  test('prefers a role over a person with the same name', () => {
    const person = makePerson(db, { name: 'Support' });
    const lead = makePerson(db, { name: 'Sue Support-Lead' });
    const role = makeRole(db, 'Support', [lead]);
    const resolved = resolveOwner(db, 'support');
    expect(resolved).toEqual({ kind: 'role', role: { ...role, is_gap: expect.any(Number) }, assignee: { id: lead.id, name: lead.name } });
    expect(resolved.kind === 'role' && resolved.assignee?.id).not.toBe(person.id);
  });

  test('passes a step to the first active backup when the primary is inactive', () => {
    const away = makePerson(db, { name: 'Away Primary' });
    const inactiveBackup = makePerson(db, { name: 'Gone Backup', active: false });
    const firstActive = makePerson(db, { name: 'First Active Backup' });
    const laterActive = makePerson(db, { name: 'Later Active Backup' });
    makeRole(db, 'Fulfillment VA', [away, inactiveBackup, firstActive, laterActive]);
    updatePerson(db, away.id, { active: false });
    const resolved = resolveOwner(db, 'Fulfillment VA');
    expect(resolved.kind === 'role' && resolved.assignee).toEqual({ id: firstActive.id, name: 'First Active Backup' });
  });

  test('resolves a role whose members are all inactive with no assignee', () => {
    const gone = makePerson(db, { name: 'Gone Editor', active: false });
    const role = makeRole(db, 'Audio editor', [gone]);
    expect(resolveOwner(db, 'Audio editor')).toEqual({ kind: 'role', role: { ...role, is_gap: expect.any(Number) }, assignee: null });
  });

  test('resolves an empty role with no assignee', () => {
    const role = makeRole(db, 'Content VA');
    expect(resolveOwner(db, 'Content VA')).toEqual({ kind: 'role', role: { ...role, is_gap: expect.any(Number) }, assignee: null });
  });

  test("resolves a person's name to that person", () => {
    const person = makePerson(db, { name: 'Ana Pérez' });
    expect(resolveOwner(db, 'Ana Pérez')).toEqual({ kind: 'person', person, assignee: { id: person.id, name: 'Ana Pérez' } });
  });

  test("matches a person's name in any case", () => {
    const person = makePerson(db, { name: 'Carla Jones' });
    const resolved = resolveOwner(db, 'CARLA JONES');
    expect(resolved.kind === 'person' && resolved.person.id).toBe(person.id);
  });

  test('resolves an inactive person by name with no assignee', () => {
    const person = makePerson(db, { name: 'Retired Ron', active: false });
    expect(resolveOwner(db, 'Retired Ron')).toEqual({ kind: 'person', person, assignee: null });
  });

  test('does not guess between two people with the same name', () => {
    makePerson(db, { name: 'Sam Lee' });
    makePerson(db, { name: 'Sam Lee' });
    expect(resolveOwner(db, 'Sam Lee')).toEqual({ kind: 'none' });
  });

  test('does not guess between two people whose names differ only in case', () => {
    makePerson(db, { name: 'Kim Park' });
    makePerson(db, { name: 'kim park' });
    expect(resolveOwner(db, 'Kim Park')).toEqual({ kind: 'none' });
  });

  test('resolves an unknown name to nobody', () => {
    expect(resolveOwner(db, 'Nobody By This Name')).toEqual({ kind: 'none' });
  });
});

describe('ensureOwnerRoles', () => {
  test('creates an empty role only for names that match neither a role nor any person', () => {
    makeRole(db, 'Operations lead');
    makePerson(db, { name: 'Olive Owner' });
    makePerson(db, { name: 'Twin Name' });
    makePerson(db, { name: 'Twin Name' });
    const before = listRoles(db).length;

    const created = ensureOwnerRoles(db, [
      'Operations lead',
      'OPERATIONS LEAD',
      'Olive Owner',
      'olive owner',
      'Twin Name',
      'Designer',
      'Designer',
      'Podcast host',
    ]);

    expect(created.map((r) => r.name)).toEqual(['Designer', 'Podcast host']);
    expect(listRoles(db)).toHaveLength(before + 2);
    for (const role of created) {
      expect(findRoleByName(db, role.name)).toEqual(role);
      expect(role.description).toBe('');
      expect(listRoleMembers(db, role.id)).toEqual([]);
    }
  });

  test('does not create a second role for a name that differs only in case', () => {
    expect(ensureOwnerRoles(db, ['Translator', 'translator', 'TRANSLATOR']).map((r) => r.name)).toEqual(['Translator']);
  });

  test('creates nothing when called again with the same names', () => {
    ensureOwnerRoles(db, ['Researcher']);
    const before = listRoles(db).length;
    expect(ensureOwnerRoles(db, ['Researcher', 'researcher'])).toEqual([]);
    expect(listRoles(db)).toHaveLength(before);
  });

  test('resolves a created role as an empty role', () => {
    const [role] = ensureOwnerRoles(db, ['Webinar producer']);
    expect(role).toBeDefined();
    expect(resolveOwner(db, 'Webinar producer')).toEqual({ kind: 'role', role: { ...role, is_gap: expect.any(Number) }, assignee: null });
  });
});
