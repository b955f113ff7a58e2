import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';

const t = testApp();
afterAll(t.cleanup);
afterEach(() => expect(t.errors).toEqual([]));

const PASSWORD = 'a long walk by the river';
const vera = makePerson(t.db, { name: 'Vera <b>VA</b>', email: 'vera@example.com' });
const sam = makePerson(t.db, { name: 'Sam', email: 'sam@example.com', level: 'editor' });
const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
makeRole(t.db, 'Packer', [vera]);
makeRole(t.db, 'Duplication house', [otto]);
makeRunbook(
  t.db,
  'ship',
  runbookMarkdown('Ship an order', [
    { title: 'Pack the box', owner: 'Packer', due: '+2h', checks: ['Binder inside', 'Slip on top'], body: 'Use the **small** box.' },
    { title: 'Burn the CDs', owner: 'Duplication house', body: 'Secret duplication notes.' },
    { title: 'Send tracking', owner: 'Packer', optional: true },
  ]),
);

/** A browser signed in as `person`: its cookie jar, and the CSRF token of the last page it read. */
async function browser(person: PersonRow) {
  await givePassword(t.db, person.id, PASSWORD);
  const agent = request.agent(t.app);
  const form = await agent.get('/sign-in');
  const token = () => /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string;
  await agent.post('/sign-in').type('form').send({ _csrf: token(), email: person.email, password: PASSWORD }).expect(303);
  const home = await agent.get('/my-work').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] as string;
  return { agent, csrf };
}

/** A fresh run for each test; Vera's browser is signed in once. */
let runId: number;
let asVera: Awaited<ReturnType<typeof browser>>;
beforeAll(async () => {
  asVera = await browser(vera);
});
beforeEach(async () => {
  const run = await t.asPerson(vera).post('/api/runs').send({ runbook: 'ship', title: 'Order #1042' }).expect(201);
  runId = run.body.id;
});
const tick = (index: number) => t.asPerson(vera).post(`/api/runs/${runId}/steps/1/checks/${index}/tick`).expect(200);

test('the run page shows each step with its owner, due time, instructions and checks, names escaped', async () => {
  const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
  expect(page.text).toContain('Pack the box');
  expect(page.text).toContain('Use the <strong>small</strong> box.');
  expect(page.text).toContain('Vera &lt;b&gt;VA&lt;/b&gt; (you)');
  expect(page.text).not.toContain('<b>VA</b>');
  expect(page.text).toContain(`action="/runs/${runId}/steps/1/checks/0/tick"`);
  expect(page.text).toContain('0 of 3 steps done');
});

test('ticking through the form records the tick and returns to the step', async () => {
  const res = await asVera.agent.post(`/runs/${runId}/steps/1/checks/0/tick`).type('form').send({ _csrf: asVera.csrf }).expect(303);
  expect(res.headers.location).toBe(`/runs/${runId}#step-1`);
  const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
  expect(page.text).toContain(`action="/runs/${runId}/steps/1/checks/0/untick"`);
  expect(page.text).toMatch(/Vera &lt;b&gt;VA&lt;\/b&gt;, \d+ \w+ \d{4}/);
});

test('a form post without the CSRF token is refused and changes nothing', async () => {
  await asVera.agent.post(`/runs/${runId}/steps/1/checks/1/tick`).type('form').send({}).expect(403);
  const run = await t.http().get(`/api/runs/${runId}`).expect(200);
  expect(run.body.steps[0].checks[1].ticked).toBe(false);
});

test("completing with open checks shows the reason beside that step's buttons, with status 422, and says beforehand how many are left", async () => {
  const before = await asVera.agent.get(`/runs/${runId}`).expect(200);
  const stepBefore = before.text.slice(before.text.indexOf('id="step-1"'), before.text.indexOf('id="step-2"'));
  expect(stepBefore).toContain('2 checks left to tick before this step can be completed');
  // The form comes back to the step itself, not to the top of a long page.
  expect(stepBefore).toContain(`action="/runs/${runId}/steps/1/complete#step-1"`);
  await tick(0);
  const res = await asVera.agent.post(`/runs/${runId}/steps/1/complete`).type('form').send({ _csrf: asVera.csrf });
  expect(res.status).toBe(422);
  const step = res.text.slice(res.text.indexOf('id="step-1"'), res.text.indexOf('id="step-2"'));
  const refusal = step.indexOf('id="run-notice"');
  expect(refusal).toBeGreaterThan(-1);
  expect(step.slice(refusal)).toMatch(/^id="run-notice">[^<]*still has 1 open check\(s\): Slip on top/);
  // Right above the Complete step button, and nowhere else on the page.
  expect(step.indexOf('Complete step')).toBeGreaterThan(refusal);
  expect(res.text.split('id="run-notice"')).toHaveLength(2);
  expect(step).toContain('1 check left to tick');
});

test('completing a step someone else completed first says who and when, and overwrites nothing', async () => {
  await tick(0);
  await t.asPerson(sam).post(`/api/runs/${runId}/steps/1/checks/1/tick`).expect(200);
  await t.asPerson(sam).post(`/api/runs/${runId}/steps/1/complete`).send({ note: 'done by Sam' }).expect(200);
  const res = await asVera.agent.post(`/runs/${runId}/steps/1/complete`).type('form').send({ _csrf: asVera.csrf, note: 'mine' });
  expect(res.status).toBe(409);
  expect(res.text).toMatch(/already completed by Sam at \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
  expect(res.text).not.toMatch(/already completed by Sam at \d{4}-/);
  const run = await t.http().get(`/api/runs/${runId}`).expect(200);
  expect(run.body.steps[0]).toMatchObject({ completedBy: { id: sam.id, name: 'Sam' }, note: 'done by Sam' });
});

test('the script gets the fresh main part only, without the layout', async () => {
  const res = await asVera.agent
    .post(`/runs/${runId}/steps/3/note`)
    .set('X-Requested-With', 'fetch')
    .type('form')
    .send({ _csrf: asVera.csrf, note: 'Courier at 3pm' })
    .expect(200);
  expect(res.text.trimStart().startsWith('<div class="run"')).toBe(true);
  expect(res.text).not.toContain('<html');
  expect(res.text).toContain('noted on “Send tracking”: Courier at 3pm');
});

test('a member sees no buttons on steps that are not theirs, and a post to one is refused', async () => {
  const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
  expect(page.text).not.toContain(`/runs/${runId}/steps/2/complete`);
  const res = await asVera.agent.post(`/runs/${runId}/steps/2/complete`).type('form').send({ _csrf: asVera.csrf });
  expect(res.status).toBe(403);
});

test('an outsourcer sees only their own step: no other step titles or instructions', async () => {
  await t.asPerson(vera).post(`/api/runs/${runId}/steps/3/note`).send({ note: 'Courier at 3pm' }).expect(200);
  const asOtto = await browser(otto);
  const page = await asOtto.agent.get(`/runs/${runId}`).expect(200);
  expect(page.text).toContain('Burn the CDs');
  expect(page.text).toContain('Secret duplication notes.');
  expect(page.text).not.toContain('Pack the box');
  expect(page.text).not.toContain('small');
  expect(page.text).not.toContain('Courier at 3pm');
  const others = await t.asPerson(otto).get('/runs/999999');
  expect(others.status).toBe(404);
});

test('a cached page is not served after the run changes, and gzip is served to browsers that accept it', async () => {
  const before = await asVera.agent.get(`/runs/${runId}`).set('Accept-Encoding', 'gzip').expect(200);
  expect(before.headers['content-encoding']).toBe('gzip');
  expect(before.text).toContain('Send tracking');
  await t.asPerson(sam).post(`/api/runs/${runId}/steps/3/skip`).send({ note: 'customer collects' }).expect(200);
  const after = await asVera.agent.get(`/runs/${runId}`).expect(200);
  expect(after.text).toContain('Skipped by Sam');
});

test('my work lists my open steps in due groups, each linking to its step', async () => {
  const run = await t.asPerson(vera).post('/api/runs').send({ runbook: 'ship', title: 'Order #2000' }).expect(201);
  const page = await asVera.agent.get('/my-work').expect(200);
  expect(page.text).toContain(`href="/runs/${run.body.id}#step-1"`);
  expect(page.text).toMatch(/Due today|Upcoming/);
});
