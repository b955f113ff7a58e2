import { testApp } from '../helpers/app';
import { makePerson, makeRole } from '../helpers/factories';
import { hashSecret } from '../../server/auth/secrets';
import { everythingStored } from './auth-helpers';

/** The People page: who is on the team, what roles they fill, and adding someone (with a way in). */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor', hourlyCostCents: 4250 });
const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
const backup2 = makePerson(t.db, { name: 'Bea Backup', email: 'bea@example.com', level: 'member' });
makeRole(t.db, 'Bookkeeper', [member, editor, backup2]);
makeRole(t.db, 'Duplication house');

const page = (who = t.owner) => t.asPerson(who).get('/people').set('Accept', 'text/html');
const html = { Accept: 'text/html' };
const count = (table: string) => (t.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** One role's card on the page: from its heading to the next role's. */
const roleCard = (text: string, name: string) => {
  const start = text.indexOf(`>${name}</a></h3>`);
  expect(start).toBeGreaterThan(0);
  const next = text.indexOf('class="team-role-name"', start);
  return text.slice(start, next > 0 ? next : text.indexOf('</section>', start));
};

describe('the directory', () => {
  test('lists every person with kind, access level, status and the roles they fill', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    for (const name of ['Olive Owner', 'Eddie Editor', 'Mia Member', 'Otto Outsourcer', 'Bea Backup']) expect(res.text).toContain(name);
    expect(res.text).toMatch(
      new RegExp(
        `href="/people/${member.id}">Mia Member</a></th>\\s*<td data-label="Kind">Team</td>\\s*<td data-label="Access">Member</td>\\s*<td data-label="Status">Active</td>\\s*<td data-label="Roles"><ul class="team-cell-list"><li><a href="/roles/\\d+">Bookkeeper</a> <span class="muted">primary</span></li></ul>`,
      ),
    );
    expect(res.text).toMatch(
      new RegExp(
        `href="/people/${editor.id}">Eddie Editor</a>[\\s\\S]*?<li><a href="/roles/\\d+">Bookkeeper</a> <span class="muted">backup 1</span></li>`,
      ),
    );
    expect(res.text).toMatch(
      /Otto Outsourcer<\/a><\/th>\s*<td data-label="Kind">Outsourcer<\/td>\s*<td data-label="Access">Outsourcer<\/td>/,
    );
  });

  test('shows each role with its primary first and its backups in order, and flags an empty role as a gap', async () => {
    const res = await page();
    const bookkeeper = roleCard(res.text, 'Bookkeeper');
    expect(bookkeeper).toMatch(/Primary<\/span> <a href="\/people\/\d+">Mia Member<\/a>/);
    expect(bookkeeper.indexOf('Backup 1</span> <a href="/people/' + editor.id)).toBeGreaterThan(0);
    expect(bookkeeper.indexOf('Backup 2</span> <a href="/people/' + backup2.id)).toBeGreaterThan(bookkeeper.indexOf('Backup 1'));
    expect(bookkeeper).not.toContain('Gap:');
    expect(roleCard(res.text, 'Duplication house')).toContain('Gap: nobody active fills this role.');
    expect(res.text).toContain('>1 role nobody fills</a>');
  });

  test('shows hourly costs to owners only', async () => {
    expect((await page()).text).toContain('<td data-label="Hourly cost">42.50</td>');
    for (const who of [editor, member]) {
      const res = await page(who);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Hourly cost');
      expect(res.text).not.toContain('42.50');
    }
  });

  test('shows emails to the team', async () => {
    expect((await page(member)).text).toContain('otto@example.com');
  });

  test('refuses an outsourcer with 403 and shows them no names or emails', async () => {
    const res = await page(outsourcer);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('mia@example.com');
    expect(res.text).not.toContain('Mia Member');
  });

  test('sends an anonymous visitor to sign in', async () => {
    const res = await t.anonymous().get('/people').set(html);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Fpeople');
  });

  test('offers the add forms to managers only, with the levels each may give', async () => {
    const owner = (await page()).text;
    expect(owner).toContain('action="/people"');
    expect(owner).toContain('<option value="owner"');
    const asEditor = (await page(editor)).text;
    expect(asEditor).toContain('action="/people"');
    expect(asEditor).toContain('action="/roles"');
    expect(asEditor).toContain('<option value="member"');
    expect(asEditor).toContain('<option value="outsourcer"');
    expect(asEditor).not.toContain('<option value="editor"');
    expect(asEditor).not.toContain('<option value="owner"');
    const asMember = (await page(member)).text;
    expect(asMember).not.toContain('action="/people"');
    expect(asMember).not.toContain('action="/roles"');
  });
});

describe('adding a person', () => {
  const add = (body: Record<string, string>, who = t.owner) => t.asPerson(who).post('/people').set(html).type('form').send(body);
  /** Adds, then follows the redirect in the same browser (the new link rides in a cookie to that page only). */
  const addAndFollow = async (body: Record<string, string>) => {
    const browser = t.asPerson(t.owner);
    const posted = await browser.post('/people').set(html).type('form').send(body);
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toMatch(/^\/people\/\d+\?done=added$/);
    const res = await browser.get(posted.headers.location as string).set(html);
    const again = await browser.get(posted.headers.location as string).set(html);
    return { posted, res, again };
  };

  test('with an invitation emails it and shows its link once, stores only its hash, and the link opens the invitation', async () => {
    const { res, again } = await addAndFollow({
      name: 'Ivy Invited',
      email: 'Ivy@Example.com',
      kind: 'team',
      level: '',
      access: 'invitation',
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const token = /\/invite\/([A-Za-z0-9_-]+)</.exec(res.text)?.[1] as string;
    expect(token).toBeDefined();
    // Emailed through the outbox (issue 13 item 8), and shown here too.
    expect(res.text).toContain('Emailed to <strong>ivy@example.com</strong>');
    expect(again.text).not.toContain(token); // a refresh shows the page, not the link, and adds nobody
    expect(everythingStored(t.db)).not.toContain(token);
    const ivy = t.db.prepare("SELECT * FROM people WHERE email = 'ivy@example.com'").get() as {
      id: number;
      access_level: string;
      kind: string;
    };
    expect(ivy).toMatchObject({ access_level: 'member', kind: 'team' });
    expect(t.db.prepare('SELECT token_hash FROM invitations WHERE person_id = ?').get(ivy.id)).toEqual({ token_hash: hashSecret(token) });
    expect(t.db.prepare("SELECT actor_id FROM audit_log WHERE action = 'invitation.created' AND subject_id = ?").get(ivy.id)).toEqual({
      actor_id: t.owner.id,
    });
    expect((await t.anonymous().get(`/invite/${token}`)).status).toBe(200);
    const later = await t.http().get(`/people/${ivy.id}`);
    expect(later.text).not.toContain(token);
    expect(later.text).toContain('Invited; the link works until');
  });

  test('as an outsourcer with a personal link gives a link that opens their own steps', async () => {
    const { res } = await addAndFollow({ name: 'Vera VA', email: 'vera@example.com', kind: 'outsourcer', level: '', access: 'link' });
    expect(res.status).toBe(200);
    const token = /\/l\/([A-Za-z0-9_-]+)</.exec(res.text)?.[1] as string;
    expect(everythingStored(t.db)).not.toContain(token);
    const vera = t.db.prepare("SELECT access_level FROM people WHERE email = 'vera@example.com'").get();
    expect(vera).toEqual({ access_level: 'outsourcer' });
    const opened = await t.anonymous().get(`/l/${token}`);
    expect([opened.status, opened.headers.location]).toEqual([303, '/my-work']);
  });

  test('fills the roles ticked on the same form: primary where nobody fills it, else the next backup', async () => {
    const packer = makeRole(t.db, 'Packer');
    const support = makeRole(t.db, 'Support', [makePerson(t.db, { name: 'Sue Support' })]);
    const form = await t.http().get('/people').set(html);
    expect(form.text).toContain(`<input type="checkbox" name="roles" value="${packer.id}"> Packer`);
    const body = new URLSearchParams({ name: 'Rolf Roles', email: 'rolf@example.com', kind: 'team', level: '', access: 'none' });
    body.append('roles', String(packer.id));
    body.append('roles', String(support.id));
    const res = await t.http().post('/people').set(html).type('form').send(body.toString());
    expect(res.status).toBe(303);
    const rolf = t.db.prepare("SELECT id FROM people WHERE email = 'rolf@example.com'").get() as { id: number };
    expect(t.db.prepare('SELECT role_id, is_primary FROM role_members WHERE person_id = ? ORDER BY role_id').all(rolf.id)).toEqual([
      { role_id: packer.id, is_primary: 1 },
      { role_id: support.id, is_primary: 0 },
    ]);
  });

  test('shows someone invited who has not accepted as "Invited" in the directory, not "Active"', async () => {
    await addAndFollow({ name: 'Ina Pending', email: 'ina@example.com', kind: 'team', level: '', access: 'invitation' });
    const directory = (await t.http().get('/people').set(html)).text;
    const row = directory.slice(directory.indexOf('>Ina Pending</a>'));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/data-label="Status"><span class="team-tag team-tag--quiet">Invited<\/span>/);
  });

  test('without access goes to their page, and makes no invitation or link', async () => {
    const before = { invitations: count('invitations'), links: count('access_links') };
    const res = await add({ name: 'Nora None', email: 'nora@example.com', kind: 'team', level: 'member', access: 'none' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/people\/\d+\?done=added$/);
    expect({ invitations: count('invitations'), links: count('access_links') }).toEqual(before);
  });

  test('by an editor at member level works, and at editor or owner level is refused beside the level', async () => {
    expect((await add({ name: 'Ed Made', email: 'edmade@example.com', level: 'member', access: 'none' }, editor)).status).toBe(303);
    for (const level of ['editor', 'owner']) {
      const res = await add({ name: 'Climber', email: `climber-${level}@example.com`, level, access: 'none' }, editor);
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/<p class="error" id="f-level-error">Your access level does not allow this.<\/p>/);
      expect(res.text).toContain('value="Climber"');
    }
    expect(t.db.prepare("SELECT count(*) AS n FROM people WHERE name = 'Climber'").get()).toEqual({ n: 0 });
  });

  test('by a member or an outsourcer is refused with 403', async () => {
    const before = count('people');
    expect((await add({ name: 'Sneaky', email: 'sneaky@example.com' }, member)).status).toBe(403);
    expect((await add({ name: 'Sneaky', email: 'sneaky@example.com' }, outsourcer)).status).toBe(403);
    expect(count('people')).toBe(before);
  });

  test.each([
    ['no name', { name: '  ', email: 'x@example.com' }, 'name', 'Enter their name.'],
    ['an email that is not one', { name: 'Xavier', email: 'not-an-email' }, 'email', 'Enter an email address, like name@example.com.'],
    [
      'an email already in use',
      { name: 'Xavier', email: 'MIA@example.com' },
      'email',
      'mia@example.com already belongs to someone on the team.',
    ],
    ['an unknown kind', { name: 'Xavier', email: 'x@example.com', kind: 'vendor' }, 'kind', 'Choose team or outsourcer.'],
  ])('with %s shows the form again with the error beside the field and the input kept', async (_name, body, field, message) => {
    const before = count('people');
    const res = await add(body);
    expect([400, 409]).toContain(res.status);
    expect(res.text).toContain(`<p class="error" id="f-${field}-error">${message}</p>`);
    expect(res.text).toContain(`value="${body.email}"`);
    expect(count('people')).toBe(before);
  });
});
