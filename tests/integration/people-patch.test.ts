import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';

const t = testApp();
afterAll(t.cleanup);
afterEach(() => expect(t.errors).toEqual([]));

test('renaming changes the name only: a deactivated outsourcer stays deactivated and an outsourcer', async () => {
  const dora = makePerson(t.db, { name: 'Dora', level: 'outsourcer' });
  await t.http().patch(`/api/people/${dora.id}`).send({ active: false }).expect(200);
  const renamed = await t.http().patch(`/api/people/${dora.id}`).send({ name: 'Dora Duplication' }).expect(200);
  expect(renamed.body).toMatchObject({ name: 'Dora Duplication', active: false, kind: 'outsourcer', level: 'outsourcer' });
  const audit = await t.http().get('/api/audit').expect(200);
  expect(audit.body.entries.map((e: { action: string }) => e.action)).not.toContain('person.reactivated');
});

test('an editor may add a member but not set what they cost', async () => {
  const ed = makePerson(t.db, { name: 'Ed', level: 'editor' });
  const refused = await t.asPerson(ed).post('/api/people').send({ name: 'Cost', email: 'cost@example.com', hourlyCost: 5 });
  expect(refused.status).toBe(403);
  const added = await t.asPerson(ed).post('/api/people').send({ name: 'Mo', email: 'mo@example.com' }).expect(201);
  expect(added.body).toMatchObject({ name: 'Mo', level: 'member' });
  expect(added.body).not.toHaveProperty('hourlyCost');
  const people = await t.http().get('/api/people').expect(200);
  expect(people.body.people.map((p: { email: string }) => p.email)).not.toContain('cost@example.com');
});

test('a member is refused adding people before their input is even read', async () => {
  const mia = makePerson(t.db, { name: 'Mia' });
  const res = await t.asPerson(mia).post('/api/people').send({ name: 5 });
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('forbidden');
});

test('the API does not take form-encoded bodies', async () => {
  const res = await t.http().post('/api/people').type('form').send('name=Form&email=form@example.com');
  expect(res.status).toBe(400);
  const people = await t.http().get('/api/people').expect(200);
  expect(people.body.people.map((p: { email: string }) => p.email)).not.toContain('form@example.com');
});
