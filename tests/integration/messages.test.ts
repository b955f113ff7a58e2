import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { addAwayPeriod } from '../../server/people/absences';
import { forPeople } from '../../server/http/errors';
import { formatDay } from '../../server/views/helpers/format-date';

/** Messages are sentences for people on pages, and name the field in plain words in the API. */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const ben = makePerson(t.db, { name: 'Ben Ledger' });
const vera = makePerson(t.db, { name: 'Vera Packer' });
makeRole(t.db, 'Packer', [vera]);
makeRunbook(t.db, 'ship', runbookMarkdown('Ship an order', [{ title: 'Pack the box', owner: 'Packer' }]));
const run = startRun(t.db, { runbook: 'ship', title: 'Order #1042', startedBy: t.owner.id });
const until = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
addAwayPeriod(t.db, { personId: ben.id, from: new Date().toISOString().slice(0, 10), to: until, note: '', createdBy: t.owner.id });

describe('on a page', () => {
  test('a refusal on the run page is a sentence with the date as people write it, without the field name', async () => {
    const res = await t
      .http()
      .post(`/runs/${run}/steps/1/reassign`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ to: String(ben.id), reason: 'cover' });
    expect(res.status).toBe(422);
    const notice = /<p class="alert step-refusal" role="alert" id="run-notice">([^<]*)<\/p>/.exec(res.text)?.[1];
    expect(notice).toBe(`Ben Ledger is away until ${formatDay(until)}; choose someone who is here.`);
    expect(notice).toMatch(/until \d{1,2} [A-Z][a-z]{2} \d{4};/);
  });

  test('a refusal beside a form field starts with a capital and ends with a full stop', async () => {
    const res = await t.http().get(`/people/${vera.id}/handoff?to=${ben.id}`).set('Accept', 'text/html');
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="f-to-error">Ben Ledger is away until ${formatDay(until)}; choose someone who is here.</p>`);
  });

  test.each([
    ['to: Ben is away until 6 Dec 2026; choose someone who is here', 'Ben is away until 6 Dec 2026; choose someone who is here.'],
    ['must be a date, such as 3 Dec 2026', 'Must be a date, such as 3 Dec 2026.'],
    ['mia@example.com already belongs to someone on the team.', 'mia@example.com already belongs to someone on the team.'],
    ['Not found.', 'Not found.'],
  ])('forPeople turns "%s" into "%s"', (message, sentence) => {
    expect(forPeople(message)).toBe(sentence);
  });
});

describe('in the API', () => {
  test.each([
    ['a missing field', { email: 'a@example.com' }, 'name: is required'],
    ['a number for text', { name: 5, email: 'a@example.com' }, 'name: must be text'],
    ['an unknown kind', { name: 'Al', email: 'a@example.com', kind: 'robot' }, 'kind: must be "team" or "outsourcer"'],
    ['a cost below zero', { name: 'Al', email: 'a@example.com', hourlyCost: -1 }, 'hourlyCost: must be at least 0'],
    ['text for a cost', { name: 'Al', email: 'a@example.com', hourlyCost: 'ten' }, 'hourlyCost: must be a number'],
  ])('names the field and says the problem in words for %s', async (_what, body, message) => {
    const res = await t.http().post('/api/people').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
    expect(res.body.error.message).not.toMatch(/Invalid input|expected \w+, received/);
  });

  test('says which whole number a step reassignment needs', async () => {
    const res = await t.http().post(`/api/runs/${run}/steps/1/reassign`).send({ to: 1.5, reason: 'cover' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('to: must be a whole number');
  });
});
