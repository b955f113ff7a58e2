import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { findRoleByName, upsertRoleMember } from '../../server/people/roles-repo';
import { startRun } from '../../server/runs/start';

/** A workspace that has never run anything: Home says how to start, not which roles are empty. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const home = async () => {
  const res = await t.http().get('/').set('Accept', 'text/html');
  expect(res.status).toBe(200);
  return res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
};

makeRunbook(
  t.db,
  'orders',
  runbookMarkdown(
    'Ship an order',
    ['Bookkeeper', 'Courier', 'Packer', 'Owner'].map((owner, i) => ({ title: `Step ${i + 1}`, owner })),
  ),
);

test('shows three getting-started steps and no gap list before the first run', async () => {
  const words = await home();
  expect(words).toContain('Getting started');
  expect(words).toMatch(/Add a person .* Fill a role .* Start a run/);
  expect(words).not.toContain('Ownership gaps');
  expect(words).not.toContain('roles nobody fills');
  expect(words).not.toContain('Done');
});

test('is not shown to a member, who cannot add people or fill roles', async () => {
  const mia = makePerson(t.db, { name: 'Mia Member', level: 'member' });
  const res = await t.asPerson(mia).get('/').set('Accept', 'text/html');
  expect(res.text).not.toContain('Getting started');
});

test('marks each step done as it is done', async () => {
  const bea = makePerson(t.db, { name: 'Bea Booker' });
  upsertRoleMember(t.db, findRoleByName(t.db, 'Bookkeeper')!.id, bea.id, true);
  const words = await home();
  expect(words).toMatch(/Add a person Done .* Fill a role Done .* Start a run (?!Done)/);
});

test('gives way to the ownership gaps once a run has started', async () => {
  startRun(t.db, { runbook: 'orders', title: 'Order #1', startedBy: t.owner.id });
  const words = await home();
  expect(words).not.toContain('Getting started');
  expect(words).toContain('Ownership gaps');
});
