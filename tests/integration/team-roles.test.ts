import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { listRoleMembers } from '../../server/people/roles-repo';

/** Roles from the pages: creating one, who fills it (primary, then backups in order), changes. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const html = { Accept: 'text/html' };
const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
const gone = makePerson(t.db, { name: 'Gone Person', email: 'gone@example.com', level: 'member', active: false });

const post = (path: string, body: Record<string, string> = {}, who = editor) =>
  t.asPerson(who).post(path).set(html).type('form').send(body);
const members = (roleId: number) => listRoleMembers(t.db, roleId).map((m) => [m.name, m.is_primary === 1 ? 'primary' : 'backup']);

describe('creating a role', () => {
  test('goes to the new role, which shows as a gap until someone fills it', async () => {
    const res = await post('/roles', { roleName: '  Fulfillment VA ', roleDescription: 'Packs and ships orders' });
    expect(res.status).toBe(303);
    const location = res.headers.location as string;
    const id = Number(/^\/roles\/(\d+)\?done=role-created$/.exec(location)?.[1]);
    const page = await t.asPerson(editor).get(location).set(html);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Fulfillment VA</h1>');
    expect(page.text).toContain('Packs and ships orders');
    expect(page.text).toContain('Role created. Add the people who fill it.');
    expect(page.text).toContain('Nobody active fills this role');
    expect(page.text).toContain(`action="/roles/${id}/members"`);
    expect(page.text).toMatch(/<a href="\/people" aria-current="page">People<\/a>/);
  });

  test('refuses a name already taken (in any case) beside the field, keeping the input', async () => {
    makeRole(t.db, 'Order Packer');
    const res = await post('/roles', { roleName: 'order packer' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('<p class="error" id="f-roleName-error">A role named “order packer” already exists.</p>');
    expect(res.text).toContain('value="order packer"');
  });

  test('refuses an empty name beside the field', async () => {
    const res = await post('/roles', { roleName: '   ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<p class="error" id="f-roleName-error">Enter the role’s name.</p>');
  });

  test('is refused to a member and an outsourcer', async () => {
    expect((await post('/roles', { roleName: 'Mine' }, member)).status).toBe(403);
    expect((await post('/roles', { roleName: 'Mine' }, outsourcer)).status).toBe(403);
  });
});

describe('role membership', () => {
  test('adds backups in order, makes one primary, and removes one, the primary passing on', async () => {
    const role = makeRole(t.db, 'Bookkeeper');
    const url = `/roles/${role.id}`;
    expect((await post(`${url}/members`, { person: String(member.id), as: 'backup' })).headers.location).toBe(`${url}?done=member-added`);
    expect(members(role.id)).toEqual([['Mia Member', 'primary']]);
    await post(`${url}/members`, { person: String(outsourcer.id), as: 'backup' });
    await post(`${url}/members`, { person: String(t.owner.id), as: 'backup' });
    expect(members(role.id)).toEqual([
      ['Mia Member', 'primary'],
      ['Otto Outsourcer', 'backup'],
      ['Olive Owner', 'backup'],
    ]);

    const page = await t.asPerson(editor).get(url).set(html);
    expect(page.text.indexOf('Primary</span> <a href="/people/' + member.id)).toBeGreaterThan(0);
    expect(page.text.indexOf('Backup 1</span> <a href="/people/' + outsourcer.id)).toBeGreaterThan(page.text.indexOf('Primary</span>'));
    expect(page.text.indexOf('Backup 2</span> <a href="/people/' + t.owner.id)).toBeGreaterThan(page.text.indexOf('Backup 1</span>'));

    expect((await post(`${url}/members/${t.owner.id}/primary`)).headers.location).toBe(`${url}?done=primary`);
    expect(members(role.id)).toEqual([
      ['Olive Owner', 'primary'],
      ['Mia Member', 'backup'],
      ['Otto Outsourcer', 'backup'],
    ]);

    expect((await post(`${url}/members/${t.owner.id}/remove`)).headers.location).toBe(`${url}?done=removed`);
    expect(members(role.id)).toEqual([
      ['Mia Member', 'primary'],
      ['Otto Outsourcer', 'backup'],
    ]);
    expect(
      (await t.http().get('/api/roles')).body.roles
        .find((r: { id: number }) => r.id === role.id)
        .members.map((m: { person: { name: string } }) => m.person.name),
    ).toEqual(['Mia Member', 'Otto Outsourcer']);
  });

  test('adds someone straight in as primary, the old primary becoming first backup', async () => {
    const role = makeRole(t.db, 'Editor of the newsletter', [member]);
    await post(`/roles/${role.id}/members`, { person: String(editor.id), as: 'primary' });
    expect(members(role.id)).toEqual([
      ['Eddie Editor', 'primary'],
      ['Mia Member', 'backup'],
    ]);
  });

  test.each([
    ['nobody chosen', '', 400, 'Choose a person.'],
    ['an inactive person', String(gone.id), 422, 'Gone Person is inactive; reactivate them first.'],
    ['someone already in it', String(member.id), 409, 'Mia Member is already in this role.'],
    ['a person who does not exist', '999999', 422, 'Choose a person from the list.'],
  ])('refuses %s beside the person field', async (_name, person, status, message) => {
    const role = makeRole(t.db, `Role for ${_name}`, [member]);
    const res = await post(`/roles/${role.id}/members`, { person, as: 'backup' });
    expect(res.status).toBe(status);
    expect(res.text).toContain(`<p class="error" id="f-person-error">${message}</p>`);
    expect(members(role.id)).toEqual([['Mia Member', 'primary']]);
  });

  test('changes are refused to a member (403) and a role or member that does not exist is not found', async () => {
    const role = makeRole(t.db, 'Shipping', [member, editor]);
    expect((await post(`/roles/${role.id}/members`, { person: String(t.owner.id) }, member)).status).toBe(403);
    expect((await post(`/roles/${role.id}/members/${editor.id}/primary`, {}, member)).status).toBe(403);
    expect((await post(`/roles/${role.id}/members/${editor.id}/remove`, {}, member)).status).toBe(403);
    expect((await post(`/roles/${role.id}/members/${outsourcer.id}/remove`)).status).toBe(404);
    expect((await post('/roles/999999/members', { person: String(member.id) })).status).toBe(404);
    expect(members(role.id)).toEqual([
      ['Mia Member', 'primary'],
      ['Eddie Editor', 'backup'],
    ]);
  });
});

describe("a role's page", () => {
  test('lists the runbook steps that name the role, and shows a member no management forms', async () => {
    makeRole(t.db, 'Duplication house', [outsourcer]);
    makeRunbook(
      t.db,
      'dvd',
      runbookMarkdown('Press DVDs', [{ title: 'Send the master', owner: 'Duplication house' }, { title: 'Check the box' }]),
    );
    const id = (t.db.prepare("SELECT id FROM roles WHERE name = 'Duplication house'").get() as { id: number }).id;
    const res = await t.asPerson(member).get(`/roles/${id}`).set(html);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /<a href="\/runbooks\/dvd">Press DVDs<\/a>\s*<ul class="team-substeps">\s*<li>Step 1: Send the master<\/li>\s*<\/ul>/,
    );
    expect(res.text).not.toContain('Check the box');
    expect(res.text).not.toMatch(/<form[^>]+action="\/roles/);
  });

  test('is refused to an outsourcer, even for a role they fill', async () => {
    const { id } = makeRole(t.db, 'Pressing plant', [outsourcer]);
    expect((await t.asPerson(outsourcer).get(`/roles/${id}`).set(html)).status).toBe(403);
  });

  test('sends an anonymous visitor to sign in', async () => {
    const res = await t.anonymous().get('/roles/1').set(html);
    expect([res.status, res.headers.location]).toEqual([303, '/sign-in?next=%2Froles%2F1']);
  });
});
