import { testApp } from '../helpers/app';
import { expectError, type TestApp } from './api';

/** Each test has an app of its own: the owner who set it up, and what the test adds. */
let app: TestApp;
beforeEach(() => {
  app = testApp();
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const createPerson = async (body: object) => {
  const res = await app.http().post('/api/people').send(body);
  expect(res.status).toBe(201);
  return res.body as { id: number; name: string; email: string; kind: string; level: string; hourlyCost: number | null; active: boolean };
};

describe('people', () => {
  test('creates a person with defaults: a team member at member level, active, no hourly cost', async () => {
    const res = await app.http().post('/api/people').send({ name: '  Grace Hopper ', email: 'grace@example.com' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Grace Hopper',
      email: 'grace@example.com',
      kind: 'team',
      level: 'member',
      hourlyCost: null,
      active: true,
      notify: 'each',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test('creates an outsourcer at outsourcer level with an hourly cost kept to the cent', async () => {
    const person = await createPerson({ name: 'Vera VA', email: 'vera@example.com', kind: 'outsourcer', hourlyCost: 12.5 });
    expect(person).toMatchObject({ kind: 'outsourcer', level: 'outsourcer', hourlyCost: 12.5 });
    expect((await app.http().get(`/api/people/${person.id}`)).body.hourlyCost).toBe(12.5);
  });

  test('lists people by name, the owner who set the app up included', async () => {
    await createPerson({ name: 'Vera VA', email: 'vera@example.com', kind: 'outsourcer' });
    await createPerson({ name: 'Grace Hopper', email: 'grace@example.com' });
    const res = await app.http().get('/api/people');
    expect(res.status).toBe(200);
    expect(res.body.people.map((p: { name: string }) => p.name)).toEqual(['Grace Hopper', 'Olive Owner', 'Vera VA']);
  });

  test('refuses an email already in use, in any case, with 409 naming the field', async () => {
    await createPerson({ name: 'Grace Hopper', email: 'grace@example.com' });
    const res = await app.http().post('/api/people').send({ name: 'Imposter', email: 'GRACE@example.com' });
    expectError(res, 409, 'email-taken', 'email');
    expect((await app.http().get('/api/people')).body.people).toHaveLength(2);
  });

  test.each([
    ['a missing name', { email: 'a@example.com' }, 'name'],
    ['an empty name', { name: '   ', email: 'a@example.com' }, 'name'],
    ['a name that is a number', { name: 5, email: 'a@example.com' }, 'name'],
    ['a missing email', { name: 'A' }, 'email'],
    ['an email that is not one', { name: 'A', email: 'not-an-email' }, 'email'],
    ['an unknown kind', { name: 'A', email: 'a@example.com', kind: 'vendor' }, 'kind'],
    ['a negative hourly cost', { name: 'A', email: 'a@example.com', hourlyCost: -1 }, 'hourlyCost'],
    ['an hourly cost given as text', { name: 'A', email: 'a@example.com', hourlyCost: '12' }, 'hourlyCost'],
    ['active given as text', { name: 'A', email: 'a@example.com', active: 'yes' }, 'active'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    expectError(await app.http().post('/api/people').send(body), 400, 'invalid-input', field);
  });

  test('refuses a body that is not JSON with 400 and creates nobody', async () => {
    expectError(await app.http().post('/api/people').type('form').send('name=A&email=a@example.com'), 400, 'invalid-input', 'body');
    expect((await app.http().get('/api/people')).body.people).toHaveLength(1);
  });

  test('answers one person by id, and 404 without data for unknown or non-numeric ids', async () => {
    const people = (await app.http().get('/api/people')).body.people;
    const res = await app.http().get(`/api/people/${people[0].id}`);
    expect(res.body).toEqual(people[0]);
    for (const id of ['99999', 'abc', '0', '-1', '1.5', '1e3']) {
      const missing = await app.http().get(`/api/people/${id}`);
      expectError(missing, 404, 'not-found');
      expect(Object.keys(missing.body)).toEqual(['error']);
    }
  });

  test('patches only the fields given', async () => {
    const person = await createPerson({ name: 'Pat', email: 'pat@example.com', hourlyCost: 20 });
    const res = await app.http().patch(`/api/people/${person.id}`).send({ name: 'Pat Smith', kind: 'outsourcer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Pat Smith', kind: 'outsourcer', email: 'pat@example.com', hourlyCost: 20, active: true });
    const cleared = await app.http().patch(`/api/people/${person.id}`).send({ hourlyCost: null, active: false });
    expect(cleared.body).toMatchObject({ name: 'Pat Smith', hourlyCost: null, active: false });
    expect((await app.http().get(`/api/people/${person.id}`)).body).toMatchObject({ hourlyCost: null, active: false });
  });

  test("keeps a person's own email on patch but refuses someone else's with 409", async () => {
    await createPerson({ name: 'Vera VA', email: 'vera@example.com', kind: 'outsourcer' });
    const person = await createPerson({ name: 'Quinn', email: 'quinn@example.com' });
    expect((await app.http().patch(`/api/people/${person.id}`).send({ email: 'QUINN@example.com' })).status).toBe(200);
    expectError(await app.http().patch(`/api/people/${person.id}`).send({ email: 'vera@example.com' }), 409, 'email-taken', 'email');
    expect((await app.http().get(`/api/people/${person.id}`)).body.email).toBe('QUINN@example.com');
  });

  test('refuses a patch with a wrong type or an unknown field with 400, changing nothing', async () => {
    const person = await createPerson({ name: 'Rae', email: 'rae@example.com' });
    expectError(await app.http().patch(`/api/people/${person.id}`).send({ name: 5 }), 400, 'invalid-input', 'name');
    expectError(await app.http().patch(`/api/people/${person.id}`).send({ active: 'false' }), 400, 'invalid-input', 'active');
    const unknown = expectError(await app.http().patch(`/api/people/${person.id}`).send({ role: 'admin' }), 400, 'invalid-input');
    expect(unknown.message).toContain('role');
    expect((await app.http().get(`/api/people/${person.id}`)).body).toMatchObject({ name: 'Rae', active: true });
  });

  test('answers 404 for a patch of an unknown person', async () => {
    expectError(await app.http().patch('/api/people/99999').send({ name: 'Ghost' }), 404, 'not-found');
    expectError(await app.http().patch('/api/people/abc').send({ name: 'Ghost' }), 404, 'not-found');
  });
});

describe('roles and members', () => {
  let ann: { id: number }, ben: { id: number }, cat: { id: number }, gone: { id: number };
  let roleId: number;

  // Four people and an empty role, Bookkeeper, for each test.
  beforeEach(async () => {
    ann = await createPerson({ name: 'Ann', email: 'ann@example.com' });
    ben = await createPerson({ name: 'Ben', email: 'ben@example.com' });
    cat = await createPerson({ name: 'Cat', email: 'cat@example.com' });
    gone = await createPerson({ name: 'Gone', email: 'gone@example.com', active: false });
    roleId = (await app.http().post('/api/roles').send({ name: 'Bookkeeper' }).expect(201)).body.id;
  });
  /** Ann, Ben and Cat added to Bookkeeper in that order (Ann primary). */
  const fill = async () => {
    for (const person of [ann, ben, cat]) await app.http().post(`/api/roles/${roleId}/members`).send({ person: person.id }).expect(201);
  };

  const roleById = async (id: number) => (await app.http().get('/api/roles')).body.roles.find((r: { id: number }) => r.id === id);

  test('creates an empty role, shown as a gap', async () => {
    const res = await app.http().post('/api/roles').send({ name: 'Payroll clerk', description: 'Pays and invoices' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), name: 'Payroll clerk', description: 'Pays and invoices', members: [], gap: true });
  });

  test('refuses a role name already taken, in any case, with 409', async () => {
    expectError(await app.http().post('/api/roles').send({ name: 'bookkeeper' }), 409, 'role-exists', 'name');
    expectError(await app.http().post('/api/roles').send({ name: '' }), 400, 'invalid-input', 'name');
    expectError(await app.http().post('/api/roles').send({ name: 7 }), 400, 'invalid-input', 'name');
    expect((await app.http().get('/api/roles')).body.roles.map((r: { name: string }) => r.name)).toEqual(['Bookkeeper']);
  });

  test('makes the first member primary and later ones backups, in the order added', async () => {
    const first = await app.http().post(`/api/roles/${roleId}/members`).send({ person: ann.id });
    expect(first.status).toBe(201);
    expect(first.body.gap).toBe(false);
    await app.http().post(`/api/roles/${roleId}/members`).send({ person: ben.id }).expect(201);
    const third = await app.http().post(`/api/roles/${roleId}/members`).send({ person: cat.id });
    expect(third.body.members).toEqual([
      { person: { id: ann.id, name: 'Ann', active: true }, primary: true },
      { person: { id: ben.id, name: 'Ben', active: true }, primary: false },
      { person: { id: cat.id, name: 'Cat', active: true }, primary: false },
    ]);
  });

  test('making a backup primary demotes the previous primary to first backup', async () => {
    await fill();
    const res = await app.http().post(`/api/roles/${roleId}/members`).send({ person: cat.id, primary: true });
    expect(res.status).toBe(201);
    expect(res.body.members.map((m: { person: { name: string }; primary: boolean }) => [m.person.name, m.primary])).toEqual([
      ['Cat', true],
      ['Ann', false],
      ['Ben', false],
    ]);
  });

  test('refuses a member who does not exist or is inactive with 422, changing nothing', async () => {
    await fill();
    expectError(await app.http().post(`/api/roles/${roleId}/members`).send({ person: 99999 }), 422, 'unknown-person', 'person');
    expectError(await app.http().post(`/api/roles/${roleId}/members`).send({ person: gone.id }), 422, 'inactive-person', 'person');
    expect((await roleById(roleId)).members).toHaveLength(3);
  });

  test('refuses a member given with the wrong types with 400', async () => {
    expectError(
      await app
        .http()
        .post(`/api/roles/${roleId}/members`)
        .send({ person: String(ann.id) }),
      400,
      'invalid-input',
      'person',
    );
    expectError(
      await app.http().post(`/api/roles/${roleId}/members`).send({ person: ann.id, primary: 'yes' }),
      400,
      'invalid-input',
      'primary',
    );
    expectError(await app.http().post(`/api/roles/${roleId}/members`).send({}), 400, 'invalid-input', 'person');
  });

  test('answers 404 when adding to a role that does not exist', async () => {
    expectError(await app.http().post('/api/roles/99999/members').send({ person: ann.id }), 404, 'not-found');
    expectError(await app.http().post('/api/roles/abc/members').send({ person: ann.id }), 404, 'not-found');
  });

  test('removing the primary hands the role to the first backup', async () => {
    await fill();
    await app.http().post(`/api/roles/${roleId}/members`).send({ person: cat.id, primary: true }).expect(201);
    const res = await app.http().delete(`/api/roles/${roleId}/members/${cat.id}`);
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { person: { name: string }; primary: boolean }) => [m.person.name, m.primary])).toEqual([
      ['Ann', true],
      ['Ben', false],
    ]);
  });

  test('answers 404 when removing someone who is not a member, or from an unknown role', async () => {
    for (const person of [ann, ben]) await app.http().post(`/api/roles/${roleId}/members`).send({ person: person.id }).expect(201);
    expectError(await app.http().delete(`/api/roles/${roleId}/members/${cat.id}`), 404, 'not-found');
    expectError(await app.http().delete(`/api/roles/99999/members/${ann.id}`), 404, 'not-found');
    expectError(await app.http().delete(`/api/roles/${roleId}/members/abc`), 404, 'not-found');
    expect((await roleById(roleId)).members).toHaveLength(2);
  });

  test('a role whose members are all inactive is a gap', async () => {
    const role = (await app.http().post('/api/roles').send({ name: 'Courier' })).body;
    await app.http().post(`/api/roles/${role.id}/members`).send({ person: ben.id }).expect(201);
    expect((await roleById(role.id)).gap).toBe(false);
    const dan = await createPerson({ name: 'Dan', email: 'dan@example.com' });
    await app.http().post(`/api/roles/${role.id}/members`).send({ person: dan.id }).expect(201);
    await app.http().patch(`/api/people/${dan.id}`).send({ active: false }).expect(200);
    await app.http().delete(`/api/roles/${role.id}/members/${ben.id}`).expect(200);
    expect(await roleById(role.id)).toMatchObject({ gap: true, members: [{ person: { name: 'Dan', active: false }, primary: true }] });
  });
});
