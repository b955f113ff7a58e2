import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { everythingStored } from './auth-helpers';

/** A person's page: details, open steps, roles; invitations, links, level and deactivation. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const html = { Accept: 'text/html' };
const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member', hourlyCostCents: 3000 });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
const other = makePerson(t.db, { name: 'Oscar Other', email: 'oscar@example.com', level: 'outsourcer' });
makeRole(t.db, 'Bookkeeper', [editor, member]);

makeRunbook(
  t.db,
  'close',
  runbookMarkdown('Month close', [
    { title: 'Later step', owner: 'Mia Member', due: '+3d' },
    { title: 'Soon step', owner: 'Mia Member', due: '+1h', checks: ['One', 'Two'] },
    { title: 'Undated step', owner: 'Mia Member' },
    { title: 'Not hers', owner: 'Eddie Editor', due: '+1h' },
  ]),
);
const run = startRun(t.db, { runbook: 'close', title: 'November close', startedBy: t.owner.id });
const oldRun = startRun(t.db, {
  runbook: 'close',
  title: 'October close',
  startedBy: t.owner.id,
  now: new Date(Date.now() - 5 * 86400_000),
});

const view = (person: { id: number }, who = t.owner) => t.asPerson(who).get(`/people/${person.id}`).set(html);
const post = (path: string, body: Record<string, string> = {}, who = t.owner) =>
  t.asPerson(who).post(path).set(html).type('form').send(body);
/** The form posting to `action`, as the page shows it. */
const formOf = (page: string, action: string) => {
  const start = page.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThan(0);
  return page.slice(start, page.indexOf('</form>', start));
};
const audits = (action: string, subject: number) =>
  t.db.prepare('SELECT actor_id FROM audit_log WHERE action = ? AND subject_id = ?').all(action, subject);

describe("a person's page", () => {
  test('lists their open steps earliest due first, overdue ones marked, each linking to its step in the run', async () => {
    const res = await view(member);
    expect(res.status).toBe(200);
    const order = [
      `/runs/${oldRun}#step-2">Soon step`,
      `/runs/${oldRun}#step-1">Later step`,
      `/runs/${run}#step-2">Soon step`,
      `/runs/${run}#step-1">Later step`,
      `/runs/${oldRun}#step-3">Undated step`,
    ].map((link) => res.text.indexOf(link));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(res.text).not.toContain('Not hers');
    expect(res.text.match(/Overdue: was due/g)).toHaveLength(2);
    expect(res.text).toContain('0 of 2 checks ticked');
  });

  test('shows the roles they fill, primary or backup', async () => {
    expect((await view(member)).text).toMatch(/>Bookkeeper<\/a> · <span class="team-tag team-tag--quiet">Backup 1<\/span>/);
    expect((await view(editor)).text).toMatch(/>Bookkeeper<\/a> · <span class="team-tag">Primary<\/span>/);
  });

  test('shows a member the page without costs or any management form', async () => {
    const res = await view(editor, member);
    expect(res.status).toBe(200);
    expect(res.text).toContain('eddie@example.com');
    expect(res.text).not.toContain('Hourly cost');
    // Only the Work done download, which reads and changes nothing.
    const forms = [...res.text.matchAll(/<form[^>]+action="(\/people[^"]*)"[^>]*>/g)].map((m) => m[0]);
    expect(forms).toEqual([`<form class="card" method="get" action="/people/${editor.id}/work.csv">`]);
  });

  test('shows an editor invitations and links but not the owner controls', async () => {
    const res = await view(outsourcer, editor);
    expect(res.text).toContain(`action="/people/${outsourcer.id}/invitation"`);
    expect(res.text).toContain(`action="/people/${outsourcer.id}/links"`);
    expect(res.text).not.toContain('/level"');
    expect(res.text).not.toContain('/active"');
    expect(res.text).not.toContain('Hourly cost');
    // An owner-level person can only be invited by an owner.
    expect((await view(t.owner, editor)).text).not.toContain('/invitation"');
  });

  test('shows an owner the hourly cost and the owner controls', async () => {
    const res = await view(member);
    expect(res.text).toContain('<dt>Hourly cost</dt><dd>30.00</dd>');
    expect(res.text).toContain(`action="/people/${member.id}/level"`);
    expect(res.text).toContain(`action="/people/${member.id}/active"`);
  });

  test('is not found for an outsourcer looking at someone else, and shown for their own profile', async () => {
    expect((await view(member, outsourcer)).status).toBe(404);
    expect((await view(outsourcer, outsourcer)).status).toBe(200);
    expect((await t.http().get('/people/999999').set(html)).status).toBe(404);
    expect((await t.http().get('/people/abc').set(html)).status).toBe(404);
  });
});

describe('personal links', () => {
  test('are created shown once, listed with their dates, and revoked so that they stop working', async () => {
    const made = await post(`/people/${outsourcer.id}/links`, {}, editor);
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const token = /\/l\/([A-Za-z0-9_-]+)</.exec(made.text)?.[1] as string;
    expect(everythingStored(t.db)).not.toContain(token);
    expect(audits('link.created', outsourcer.id)).toEqual([{ actor_id: editor.id }]);
    expect((await t.anonymous().get(`/l/${token}`)).headers.location).toBe('/my-work');

    const page = await view(outsourcer, editor);
    expect(page.text).not.toContain(token);
    expect(page.text).toMatch(/Made [^<]+ by Eddie Editor · last used \d[^<]+ · ends [^<]+ unless used/);
    const linkId = (t.db.prepare('SELECT id FROM access_links WHERE person_id = ?').get(outsourcer.id) as { id: number }).id;
    const revoked = await post(`/people/${outsourcer.id}/links/${linkId}/revoke`, {}, editor);
    expect([revoked.status, revoked.headers.location]).toEqual([303, `/people/${outsourcer.id}?done=link-revoked`]);
    expect(audits('link.revoked', outsourcer.id)).toEqual([{ actor_id: editor.id }]);
    expect((await t.anonymous().get(`/l/${token}`)).status).toBe(404);
    const after = await view(outsourcer, editor);
    expect(after.text).toContain('No link in use.');
    expect(after.text).toContain('1 earlier link revoked or expired.');
  });

  test('are refused to a member (403) and, for someone else, an outsourcer (404)', async () => {
    expect((await post(`/people/${outsourcer.id}/links`, {}, member)).status).toBe(403);
    expect((await post(`/people/${other.id}/links`, {}, outsourcer)).status).toBe(404);
    expect(t.db.prepare('SELECT count(*) AS n FROM access_links WHERE person_id = ?').get(other.id)).toEqual({ n: 0 });
  });
});

describe('invitations from the page', () => {
  test('give a link shown once; an editor may not invite an owner', async () => {
    const res = await post(`/people/${member.id}/invitation`, {}, editor);
    expect(res.status).toBe(201);
    expect(res.text).toMatch(/\/invite\/[A-Za-z0-9_-]+</);
    expect(audits('invitation.created', member.id)).toEqual([{ actor_id: editor.id }]);
    expect((await post(`/people/${t.owner.id}/invitation`, {}, editor)).status).toBe(403);
  });
});

describe('invitations for someone who already has a password', () => {
  test('are for owners only: an editor sees why, and a post is refused beside the button', async () => {
    const p = makePerson(t.db, { name: 'Pat Password', level: 'member' });
    t.db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'x', ?)").run(p.id, new Date().toISOString());
    const page = await view(p, editor);
    expect(page.text).not.toContain(`action="/people/${p.id}/invitation"`);
    expect(page.text).toContain('Pat Password already has a password; only an owner can send a new invitation, which replaces it.');
    const res = await post(`/people/${p.id}/invitation`, {}, editor);
    expect(res.status).toBe(409);
    expect(res.text).toContain('<a href="#f-invitation">Pat Password already has a password');
    expect(t.db.prepare('SELECT count(*) AS n FROM invitations WHERE person_id = ?').get(p.id)).toEqual({ n: 0 });
    expect((await view(p)).text).toContain('(a new one: this resets their password)');
    expect((await post(`/people/${p.id}/invitation`)).status).toBe(201);
  });
});

describe('access level and deactivation (owners)', () => {
  test('changes the level and records it', async () => {
    const p = makePerson(t.db, { name: 'Lev Level', level: 'member' });
    const res = await post(`/people/${p.id}/level`, { level: 'editor' });
    expect([res.status, res.headers.location]).toEqual([303, `/people/${p.id}?done=level`]);
    expect(t.db.prepare('SELECT access_level FROM people WHERE id = ?').get(p.id)).toEqual({ access_level: 'editor' });
    expect(audits('level.changed', p.id)).toEqual([{ actor_id: t.owner.id }]);
    expect((await t.http().get(`/people/${p.id}?done=level`)).text).toContain('Access level changed.');
  });

  test('is refused to an editor', async () => {
    expect((await post(`/people/${member.id}/level`, { level: 'owner' }, editor)).status).toBe(403);
    expect((await post(`/people/${member.id}/active`, { active: '0', confirm: 'yes' }, editor)).status).toBe(403);
    expect(t.db.prepare('SELECT access_level, active FROM people WHERE id = ?').get(member.id)).toEqual({
      access_level: 'member',
      active: 1,
    });
  });

  test('asks for the confirmation box before deactivating', async () => {
    const res = await post(`/people/${member.id}/active`, { active: '0' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<p class="error" id="f-active-error">Tick the box to confirm that Mia Member’s access ends now.</p>');
    expect(t.db.prepare('SELECT active FROM people WHERE id = ?').get(member.id)).toEqual({ active: 1 });
  });

  test('deactivation ends their access at once, and reactivation is recorded', async () => {
    const p = makePerson(t.db, { name: 'Dee Parting', level: 'member' });
    expect((await t.asPerson(p).get('/api/me')).status).toBe(200);
    const res = await post(`/people/${p.id}/active`, { active: '0', confirm: 'yes' });
    expect([res.status, res.headers.location]).toEqual([303, `/people/${p.id}?done=deactivated`]);
    expect((await t.asPerson(p).get('/api/me')).status).toBe(401);
    expect(audits('person.deactivated', p.id)).toEqual([{ actor_id: t.owner.id }]);
    const page = await view(p);
    expect(page.text).toContain('Dee Parting is inactive');
    expect(page.text).toContain('Reactivate Dee Parting');
    expect(page.text).not.toContain(`action="/people/${p.id}/invitation"`);

    expect((await post(`/people/${p.id}/active`, { active: '1' })).headers.location).toBe(`/people/${p.id}?done=reactivated`);
    expect(audits('person.reactivated', p.id)).toEqual([{ actor_id: t.owner.id }]);
  });

  test('refuses to deactivate or demote the last owner, with the message beside the control', async () => {
    const message = 'Olive Owner is the only owner; make someone else owner first.';
    const off = await post(`/people/${t.owner.id}/active`, { active: '0', confirm: 'yes' });
    expect(off.status).toBe(409);
    expect(formOf(off.text, `/people/${t.owner.id}/active`)).toContain(`<p class="error" id="f-active-error">${message}</p>`);
    expect(off.text).toContain(`<a href="#f-active">${message}</a>`);
    const down = await post(`/people/${t.owner.id}/level`, { level: 'editor' });
    expect(down.status).toBe(409);
    expect(formOf(down.text, `/people/${t.owner.id}/level`)).toContain(`<p class="error" id="f-level-error">${message}</p>`);
    expect(formOf(down.text, `/people/${t.owner.id}/active`)).not.toContain('class="error"');
    expect(t.db.prepare('SELECT access_level, active FROM people WHERE id = ?').get(t.owner.id)).toEqual({
      access_level: 'owner',
      active: 1,
    });
    expect((await t.http().get('/api/me')).status).toBe(200);
  });
});

describe('editing details (owners)', () => {
  test('saves name, email, kind and hourly cost', async () => {
    const p = makePerson(t.db, { name: 'Ed It', level: 'member' });
    const form = await t.http().get(`/people/${p.id}/edit`).set(html);
    expect(form.text).toContain('value="Ed It"');
    const res = await post(`/people/${p.id}/edit`, { name: 'Edith', email: 'edith@example.com', kind: 'outsourcer', hourlyCost: '42,5' });
    expect([res.status, res.headers.location]).toEqual([303, `/people/${p.id}?done=saved`]);
    expect(t.db.prepare('SELECT name, email, kind, hourly_cost_cents FROM people WHERE id = ?').get(p.id)).toEqual({
      name: 'Edith',
      email: 'edith@example.com',
      kind: 'outsourcer',
      hourly_cost_cents: 4250,
    });
    await post(`/people/${p.id}/edit`, { name: 'Edith', email: 'edith@example.com', kind: 'outsourcer', hourlyCost: '' });
    expect(t.db.prepare('SELECT hourly_cost_cents FROM people WHERE id = ?').get(p.id)).toEqual({ hourly_cost_cents: null });
  });

  test('shows a bad cost beside its field with the input kept', async () => {
    const res = await post(`/people/${member.id}/edit`, { name: 'Mia Member', email: 'mia@example.com', kind: 'team', hourlyCost: 'lots' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      '<p class="error" id="f-hourlyCost-error">Enter an amount per hour, like 25 or 42.50, or leave it empty.</p>',
    );
    expect(res.text).toContain('value="lots"');
  });

  test('is refused to an editor', async () => {
    expect((await t.asPerson(editor).get(`/people/${member.id}/edit`).set(html)).status).toBe(403);
    expect((await post(`/people/${member.id}/edit`, { name: 'X', email: 'mia@example.com', kind: 'team' }, editor)).status).toBe(403);
  });
});
