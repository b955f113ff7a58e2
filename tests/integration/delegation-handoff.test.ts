import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { createAccessLink } from '../../server/auth/links';
import { createApiToken } from '../../server/auth/tokens';
import type { PersonRow } from '../../server/people/repo';
import type { RoleRow } from '../../server/people/roles-repo';
import { expectError, getRun, putRunbook, startRun, stepAction, type TestApp } from './api';

let app: TestApp;
let vera: PersonRow, bo: PersonRow, cy: PersonRow, otto: PersonRow, gone: PersonRow;
let packer: RoleRow;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const handOff = (from: PersonRow, body: object, as: PersonRow | { id: number } = app.owner) =>
  app.asPerson(as).post(`/api/people/${from.id}/handoff`).send(body);
const preview = (from: PersonRow, query = '') => app.http().get(`/api/people/${from.id}/handoff${query}`);
const openStepsOf = (person: PersonRow) =>
  (
    app.db
      .prepare(
        "SELECT s.id FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.assignee_id = ? AND s.status = 'open' AND r.status = 'open' ORDER BY s.id",
      )
      .all(person.id) as { id: number }[]
  ).map((r) => r.id);
/** Everything a refused hand-off must leave alone. */
const snapshot = () => ({
  steps: app.db.prepare('SELECT id, assignee_id, status FROM run_steps ORDER BY id').all(),
  events: app.db.prepare('SELECT count(*) AS n FROM run_events').get(),
  messages: app.db.prepare('SELECT count(*) AS n FROM notifications').get(),
  roles: app.db.prepare('SELECT * FROM role_members ORDER BY role_id, person_id').all(),
  people: app.db.prepare('SELECT id, active FROM people ORDER BY id').all(),
});

// A fresh world for each test: Vera and Bo pack, Vera writes, Otto (then Cy) edits.
beforeEach(async () => {
  app = testApp();
  vera = makePerson(app.db, { name: 'Vera' });
  bo = makePerson(app.db, { name: 'Bo' });
  cy = makePerson(app.db, { name: 'Cy', level: 'editor' });
  otto = makePerson(app.db, { name: 'Otto', level: 'outsourcer' });
  gone = makePerson(app.db, { name: 'Gone', active: false });
  packer = makeRole(app.db, 'Packer', [vera, bo]);
  makeRole(app.db, 'Writer', [vera]);
  makeRole(app.db, 'Editor VA', [otto, cy]);
  await putRunbook(
    app,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack', owner: 'Packer', due: '2h' },
      { title: 'Write the note', owner: 'Writer', due: '1d' },
      { title: 'Edit the note', owner: 'Editor VA' },
    ]),
  ).expect(201);
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

describe('the preview', () => {
  it("lists exactly the person's open steps in open runs, earliest due first, or those of one role", async () => {
    const a = await startRun(app, 'ship', app.owner, 'Order #1');
    const b = await startRun(app, 'ship', app.owner, 'Order #2');
    await stepAction(app, b.id, 1, 'complete', app.owner).expect(200);
    const res = await preview(vera).expect(200);
    expect(res.body.from).toEqual({ id: vera.id, name: 'Vera', awayUntil: null });
    expect(res.body.steps.map((s: { run: { title: string }; title: string }) => `${s.run.title}: ${s.title}`)).toEqual([
      'Order #1: Pack',
      'Order #1: Write the note',
      'Order #2: Write the note',
    ]);
    const writer = await preview(vera, `?role=${packer.id}`).expect(200);
    expect(writer.body.steps.map((s: { run: { id: number } }) => s.run.id)).toEqual([a.id]);
  });

  it('is a page of steps at a time (next and Link), with how many in all and the mark to hand off with', async () => {
    for (const n of [1, 2, 3]) await startRun(app, 'ship', app.owner, `Order #${n}`);
    const first = await preview(vera, `?to=${bo.id}&limit=4`).expect(200);
    expect(first.body.count).toBe(6);
    expect(first.body.steps).toHaveLength(4);
    expect(first.body.since).toMatch(/^\d+\.\d+$/);
    expect(first.headers.link).toBe(`<${first.body.next}>; rel="next"`);
    const second = await app.http().get(first.body.next).expect(200);
    expect(second.body.steps).toHaveLength(2);
    expect(second.body.next).toBeNull();
    const seen = [...first.body.steps, ...second.body.steps].map((s: { id: number }) => s.id).sort((a: number, b: number) => a - b);
    expect(seen).toEqual(openStepsOf(vera));

    // Handing off with the mark moves every step, not only the page shown.
    const res = await handOff(vera, { to: bo.id, reason: 'Holiday', since: first.body.since }).expect(200);
    expect(res.body.moved).toHaveLength(6);
  });

  it('refuses a hand-off with a mark made before the list changed, naming since, and moves nothing', async () => {
    await startRun(app, 'ship', app.owner, 'Order #1');
    const { since } = (await preview(vera).expect(200)).body;
    const b = await startRun(app, 'ship', app.owner, 'Order #2');
    const before = snapshot();
    expectError(await handOff(vera, { to: bo.id, reason: 'Holiday', since }), 409, 'handoff-changed', 'since');
    expect(snapshot()).toEqual(before);
    // A step of theirs completed, or handed away from them, changes the list too.
    const again = (await preview(vera).expect(200)).body.since;
    await stepAction(app, b.id, 1, 'complete', app.owner).expect(200);
    expectError(await handOff(vera, { to: bo.id, reason: 'Holiday', since: again }), 409, 'handoff-changed', 'since');
    const third = (await preview(vera).expect(200)).body.since;
    await app.http().post(`/api/runs/${b.id}/steps/2/reassign`).send({ to: cy.id, reason: 'cover' }).expect(200);
    expectError(await handOff(vera, { to: bo.id, reason: 'Holiday', since: third }), 409, 'handoff-changed', 'since');
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?limit=-1', 'limit'],
    ['?cursor=forged.AAAAAAAAAAAAAAAAAAAAAA', 'cursor'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    expectError(await preview(vera, query), 400, field === 'limit' ? 'invalid-limit' : 'invalid-cursor', field);
  });

  it('refuses a cursor made for another recipient or role', async () => {
    for (const n of [1, 2]) await startRun(app, 'ship', app.owner, `Order #${n}`);
    const { next } = (await preview(vera, `?to=${bo.id}&limit=1`).expect(200)).body;
    const cursor = new URL(next, 'http://x').searchParams.get('cursor');
    expectError(await preview(vera, `?to=${cy.id}&limit=1&cursor=${cursor}`), 400, 'invalid-cursor', 'cursor');
  });

  it('names since when it is not a mark the preview gave', async () => {
    expectError(await handOff(vera, { to: bo.id, reason: 'Holiday', since: 'yesterday' }), 400, 'invalid-input', 'since');
  });

  it('names a recipient who cannot take the steps', async () => {
    expectError(await preview(vera, `?to=${gone.id}`), 422, 'inactive-person', 'to');
    expectError(await preview(vera, '?to=99999'), 422, 'unknown-person', 'to');
    expectError(await preview(vera, '?to=abc'), 400, 'invalid-input', 'to');
    expectError(await preview(vera, '?role=99999'), 422, 'unknown-role', 'role');
  });
});

describe('handing off everything', () => {
  it('moves every open step to the recipient in one go, recorded on each step, and tells both', async () => {
    await startRun(app, 'ship', app.owner, 'Order #1');
    await startRun(app, 'ship', app.owner, 'Order #2');
    const moving = openStepsOf(vera);
    const res = await handOff(vera, { to: bo.id, reason: 'Vera is on holiday', expect: moving }).expect(200);
    expect(res.body.moved.map((s: { id: number }) => s.id).sort()).toEqual(moving);
    expect(openStepsOf(vera)).toEqual([]);
    expect(openStepsOf(bo)).toEqual(expect.arrayContaining(moving));

    const run = await getRun(app, res.body.moved[0].run.id);
    const event = run.events.find((e) => e.kind === 'step.reassigned');
    expect(event?.data).toEqual({ from: vera.id, fromName: 'Vera', to: bo.id, toName: 'Bo', reason: 'Vera is on holiday', handOff: true });

    const told = app.db.prepare('SELECT person_id, kind, subject, body FROM notifications ORDER BY id DESC LIMIT 2').all() as {
      person_id: number;
      kind: string;
      subject: string;
      body: string;
    }[];
    expect(told.map((m) => [m.person_id, m.kind])).toEqual(
      expect.arrayContaining([
        [bo.id, 'assigned'],
        [vera.id, 'handed-off'],
      ]),
    );
    const toBo = told.find((m) => m.person_id === bo.id);
    expect(toBo?.subject).toBe(`Olive Owner handed you ${moving.length} steps from Vera`);
    expect(toBo?.body).toContain('Why: Vera is on holiday');
    expect(toBo?.body).toContain('Order #1: Pack');
  });

  it("shows every hand-off in the step's history on the run page", async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #history');
    await stepAction(app, run.id, 1, 'reassign', app.owner, { to: bo.id, reason: 'Vera is busy' }).expect(200);
    await handOff(bo, { to: cy.id, reason: 'Bo is off on Friday' }).expect(200);
    const page = await app.http().get(`/runs/${run.id}`).set('Accept', 'text/html').expect(200);
    const step = page.text.slice(page.text.indexOf('id="step-1"'), page.text.indexOf('id="step-2"'));
    expect(step).toContain('Handed from Vera to Bo by Olive Owner');
    expect(step).toContain('“Vera is busy”');
    expect(step).toContain('Handed from Bo to Cy by Olive Owner');
    expect(step).toContain('“Bo is off on Friday”');
  });

  it("moves only one role's steps when asked", async () => {
    await startRun(app, 'ship', app.owner, 'Order #1');
    const writerSteps = (await preview(vera)).body.steps.filter((s: { role: { name: string } }) => s.role.name === 'Writer');
    const res = await handOff(vera, { to: bo.id, role: packer.id, reason: 'packing only' }).expect(200);
    expect(res.body.moved.every((s: { role: { name: string } }) => s.role.name === 'Packer')).toBe(true);
    expect((await preview(vera)).body.steps).toEqual(writerSteps);
  });

  it("lets a member hand off their own steps, not offboard themselves nor hand off a colleague's", async () => {
    await startRun(app, 'ship', app.owner, 'Order #member');
    expectError(await handOff(vera, { to: bo.id, reason: 'x', offboard: true }, vera), 403, 'forbidden');
    expectError(await handOff(bo, { to: cy.id, reason: 'x' }, vera), 403, 'forbidden');
    await handOff(vera, { to: bo.id, reason: 'my holiday' }, vera).expect(200);
  });
});

describe('refusing a hand-off, changing nothing', () => {
  let before: ReturnType<typeof snapshot>;
  beforeEach(async () => {
    await startRun(app, 'ship', app.owner, 'Order #refused');
    app.db.prepare("INSERT INTO away_periods (person_id, starts_on, ends_on, created_at) VALUES (?, ?, ?, '')").run(cy.id, day(-1), day(3));
    before = snapshot();
  });
  afterEach(() => expect(snapshot()).toEqual(before));

  it.each([
    ['an unknown person', () => ({ to: 99999, reason: 'x' }), 422, 'unknown-person', 'to'],
    ['an inactive person', () => ({ to: gone.id, reason: 'x' }), 422, 'inactive-person', 'to'],
    ['the person themself', () => ({ to: vera.id, reason: 'x' }), 422, 'same-person', 'to'],
    ['someone who is away', () => ({ to: cy.id, reason: 'x' }), 422, 'person-away', 'to'],
    ['an unknown role', () => ({ to: bo.id, role: 99999, reason: 'x' }), 422, 'unknown-role', 'role'],
    ['no reason', () => ({ to: bo.id, reason: ' ' }), 400, 'invalid-input', 'reason'],
    ['a recipient given as text', () => ({ to: String(bo.id), reason: 'x' }), 400, 'invalid-input', 'to'],
    ['a list that changed since the preview', () => ({ to: bo.id, reason: 'x', expect: [1] }), 409, 'handoff-changed', undefined],
  ])('to %s', async (_name, body, status, code, field) => {
    expectError(await handOff(vera, body()), status, code, field);
  });

  it('with nothing to move', async () => {
    expectError(await handOff(gone, { to: bo.id, reason: 'x' }), 409, 'nothing-to-hand-off');
  });

  it('the last owner offboarded', async () => {
    expectError(await handOff(app.owner as PersonRow, { to: bo.id, reason: 'x', offboard: true }), 409, 'last-owner');
  });

  it('a step of a finished run', async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #finished');
    for (const position of [1, 2, 3]) await stepAction(app, run.id, position, 'complete', app.owner).expect(200);
    before = snapshot();
    expectError(await stepAction(app, run.id, 1, 'reassign', app.owner, { to: bo.id, reason: 'x' }), 409, 'run-complete');
  });
});

describe('offboarding an outsourcer', () => {
  it('moves their steps, gives their roles to the recipient, and ends their links, sessions and tokens at once', async () => {
    await startRun(app, 'ship', app.owner, 'Order #offboard');
    const link = createAccessLink(app.db, app.links, otto.id, app.owner.id);
    const token = createApiToken(app.db, otto.id, 'script').token;
    const opened = await app.anonymous().get(`/l/${link.token}`).expect(303);
    const cookie = opened.headers['set-cookie'] as unknown as string[];
    const myWork = () => app.anonymous().get('/my-work').set('Accept', 'text/html').set('Cookie', cookie);
    expect((await myWork()).status).toBe(200);
    const steps = openStepsOf(otto);
    expect(steps.length).toBeGreaterThan(0);

    const res = await handOff(otto, { to: bo.id, reason: 'Contract ended', offboard: true, giveRoles: true, expect: steps }).expect(200);
    expect(res.body.offboarded).toBe(true);
    expect(openStepsOf(bo)).toEqual(expect.arrayContaining(steps));

    expect((await app.anonymous().get(`/l/${createAccessLink(app.db, app.links, otto.id, null).token}`)).status).toBe(404);
    expect((await app.anonymous().get(`/l/${link.token}`)).status).toBe(404);
    expect((await app.anonymous().get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await myWork()).status).toBe(303);

    const roles = (await app.http().get('/api/roles').expect(200)).body.roles;
    const editorVa = roles.find((r: { name: string }) => r.name === 'Editor VA');
    expect(editorVa.members.map((m: { person: { name: string }; primary: boolean }) => [m.person.name, m.primary])).toEqual([
      ['Bo', true],
      ['Cy', false],
    ]);
    const audit = app.db.prepare('SELECT action FROM audit_log WHERE subject_id = ? ORDER BY id').all(otto.id) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['steps.handed-off', 'person.deactivated', 'person.offboarded']));
    // The person who left is not emailed about it; the recipient is.
    const told = app.db
      .prepare("SELECT person_id FROM notifications WHERE kind IN ('assigned', 'handed-off') AND subject LIKE '%from Otto%'")
      .all();
    expect(told).toEqual([{ person_id: bo.id }]);
  });
});
