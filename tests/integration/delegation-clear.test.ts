import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { addAwayPeriod } from '../../server/people/absences';
import { formatDay } from '../../server/views/helpers/format-date';

/** Handing work on says who is away, offers only what is theirs, and says whose a step is. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera Packer', level: 'member' });
const ben = makePerson(t.db, { name: 'Ben Ledger', level: 'member' });
const mia = makePerson(t.db, { name: 'Mia Member', level: 'member' });
makeRole(t.db, 'Packer', [vera]);
makeRole(t.db, 'Bookkeeper', [ben]);
makeRole(t.db, 'Courier');
makeRunbook(
  t.db,
  'ship',
  runbookMarkdown('Ship an order', [
    { title: 'Pack the box', owner: 'Packer' },
    { title: 'Invoice', owner: 'Bookkeeper' },
  ]),
);
const run = startRun(t.db, { runbook: 'ship', title: 'Order #1042', startedBy: t.owner.id });
const until = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
addAwayPeriod(t.db, { personId: ben.id, from: new Date().toISOString().slice(0, 10), to: until, note: '', createdBy: t.owner.id });
const html = { Accept: 'text/html' };

test('the reassign list marks who is away and does not let them be chosen', async () => {
  const res = await t.http().get(`/runs/${run}`).set(html);
  expect(res.text).toContain(`<option value="${ben.id}" disabled>Ben Ledger (away until ${formatDay(until)})</option>`);
  expect(res.text).toContain(`<option value="${mia.id}">Mia Member</option>`);
});

test('the hand-off\'s "which steps" list offers only the person\'s own roles', async () => {
  const res = await t.http().get(`/people/${vera.id}/handoff`).set(html);
  const options = [...res.text.matchAll(/Only those of the role ([^<]+)<\/option>/g)].map((m) => m[1]);
  expect(options).toEqual(['Packer']);
});

test("a member who tries someone else's step is told whose it is and how to ask for it", async () => {
  const api = await t.asPerson(mia).post(`/api/runs/${run}/steps/1/complete`).send({});
  expect(api.status).toBe(403);
  expect(api.body.error.message).toBe(
    "This step is Vera Packer's: ask Vera Packer to hand it to you (Hand this step to someone else), or ask an owner or editor",
  );
  const page = await t.asPerson(mia).post(`/runs/${run}/steps/1/complete`).set(html).type('form').send({});
  expect(page.status).toBe(403);
  expect(page.text).toContain('This step is Vera Packer&#x27;s: ask Vera Packer to hand it to you');
  expect(page.text).not.toContain('access level');
});
