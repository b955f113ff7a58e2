import type { PersonRow } from '../../server/people/repo';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { addAwayPeriod } from '../../server/people/absences';

/** The pages of delegation: absences on a person's page, the hand-off with its preview, the outbox, the email choice. */

/** A fresh world for each test: Vera and Bo fill Packer, Cy is a colleague, one run of `ship`. */
let t: ReturnType<typeof testApp>;
let vera: PersonRow, bo: PersonRow, cy: PersonRow;
let run: number;
beforeEach(() => {
  t = testApp();
  vera = makePerson(t.db, { name: 'Vera Packer', email: 'vera@example.com' });
  bo = makePerson(t.db, { name: 'Bo Backup', email: 'bo@example.com' });
  cy = makePerson(t.db, { name: 'Cy Away', email: 'cy@example.com' });
  makeRole(t.db, 'Packer', [vera, bo]);
  makeRunbook(
    t.db,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack the box', owner: 'Packer', due: '+2h' },
      { title: 'Print the label', owner: 'Packer' },
    ]),
  );
  run = startRun(t.db, { runbook: 'ship', title: 'Order #1042', startedBy: t.owner.id });
});
afterEach(() => {
  expect(t.errors).toEqual([]);
  t.cleanup();
});

const html = { Accept: 'text/html' };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const get = (path: string, who: { id: number } = t.owner) => t.asPerson(who).get(path).set(html);
const post = (path: string, body: Record<string, string> = {}, who: { id: number } = t.owner) =>
  t.asPerson(who).post(path).set(html).type('form').send(body);
const assigneeOf = (position: number) =>
  (t.db.prepare('SELECT assignee_id FROM run_steps WHERE run_id = ? AND position = ?').get(run, position) as { assignee_id: number })
    .assignee_id;
const hidden = (page: string, name: string) => page.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];

/** Vera's two steps handed to Bo through the page, as an owner does it. */
async function handOffVeraToBo() {
  const chosen = await get(`/people/${vera.id}/handoff?to=${bo.id}`);
  const since = hidden(chosen.text, 'since') as string;
  await post(`/people/${vera.id}/handoff`, { to: String(bo.id), role: '', reason: 'Holiday', since }).expect(303);
}

describe("absences on a person's page", () => {
  test('are planned with a form, listed, and shown as a banner with the hand-off while they last', async () => {
    const saved = await post(`/people/${vera.id}/away`, { awayFrom: day(0), awayTo: day(5), awayNote: 'Holiday' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/people/${vera.id}?done=away-planned#away`);
    const page = (await get(`/people/${vera.id}`)).text;
    expect(page).toMatch(/Vera Packer is away until \d+ \w{3} \d{4} \(Holiday\)/);
    expect(page).toContain('2 open steps still wait on them');
    expect(page).toContain(`href="/people/${vera.id}/handoff">hand them off</a>`);
    // The owner's home lists her among the gaps, with a link to the hand-off.
    const home = (await get('/')).text;
    expect(home).toContain('Away, with steps still waiting on them');
    expect(home).toMatch(
      new RegExp(`href="/people/${vera.id}/handoff">Vera Packer</a> <span class="muted">· away until [^·]+· 2 open steps`),
    );
  });

  test('a bad absence comes back with the message beside its field and what was typed', async () => {
    const res = await post(`/people/${vera.id}/away`, { awayFrom: day(3), awayTo: day(1), awayNote: 'Typed note' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-awayTo-error">[^<]*is before/);
    expect(res.text).toContain('value="Typed note"');
    const invalid = await post(`/people/${vera.id}/away`, { awayFrom: '31/12/2026', awayTo: day(1) });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('id="f-awayFrom-error">Must be a date, such as 3 Dec 2026.');
    expect(t.db.prepare('SELECT count(*) AS n FROM away_periods').get()).toEqual({ n: 0 });
  });

  test('an absence typed as people write dates ("24 Dec 2026") is read, and the form says how dates are shown', async () => {
    const page = await get(`/people/${vera.id}`);
    expect(page.text).toContain('Dates show in your device’s own format');
    const res = await post(`/people/${vera.id}/away`, { awayFrom: '24 Dec 2099', awayTo: 'Dec 31, 2099' });
    expect(res.status).toBe(303);
    expect(t.db.prepare('SELECT starts_on, ends_on FROM away_periods').get()).toEqual({ starts_on: '2099-12-24', ends_on: '2099-12-31' });
    expect((await get(`/people/${vera.id}`)).text).toMatch(/24 Dec 2099[^<]*31 Dec 2099|24 Dec 2099.*31 Dec 2099/s);
  });

  test("a member plans their own, and sees no form on a colleague's page", async () => {
    expect((await post(`/people/${bo.id}/away`, { awayFrom: day(20), awayTo: day(22) }, bo)).status).toBe(303);
    expect((await get(`/people/${vera.id}`, bo)).text).not.toContain(`action="/people/${vera.id}/away"`);
    const mine = (await get(`/people/${bo.id}`, bo)).text;
    const period = t.db.prepare('SELECT id FROM away_periods WHERE person_id = ?').get(bo.id) as { id: number };
    expect(mine).toContain(`action="/people/${bo.id}/away/${period.id}/remove"`);
    expect((await post(`/people/${bo.id}/away/${period.id}/remove`, {}, bo)).status).toBe(303);
  });
});

describe('the hand-off page', () => {
  test("previews exactly what will move, then moves it and says so on the person's page", async () => {
    const chosen = await get(`/people/${vera.id}/handoff?to=${bo.id}`);
    expect(chosen.status).toBe(200);
    expect(chosen.text).toContain('2. What will move');
    expect(chosen.text).toContain(`href="/runs/${run}#step-1">Pack the box</a>`);
    expect(chosen.text).toContain('2 open steps, earliest due first.');
    const since = hidden(chosen.text, 'since') as string;
    expect(since).toMatch(/^\d+\.\d+$/);

    const done = await post(`/people/${vera.id}/handoff`, { to: String(bo.id), role: '', reason: 'Holiday', since });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/people/${vera.id}?done=handed-off`);
    expect([assigneeOf(1), assigneeOf(2)]).toEqual([bo.id, bo.id]);
    expect((await get(`/people/${vera.id}?done=handed-off`)).text).toContain('Handed off. Both people have been told.');
  });

  test('refuses a stale preview, someone away, or no reason, with the message on the page, and moves nothing', async () => {
    await handOffVeraToBo();
    addAwayPeriod(t.db, { personId: cy.id, from: day(0), to: day(2), note: '', createdBy: t.owner.id });
    const stale = await post(`/people/${bo.id}/handoff`, { to: String(vera.id), role: '', reason: 'Back', expect: '999999' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('open steps changed since the preview');

    const away = await get(`/people/${bo.id}/handoff?to=${cy.id}`);
    expect(away.status).toBe(422);
    expect(away.text).toMatch(/id="f-to-error">Cy Away is away until/);
    expect(away.text).toMatch(/<option value="\d+"( selected)? disabled>Cy Away \(away\)<\/option>/);

    const noReason = await post(`/people/${bo.id}/handoff`, { to: String(vera.id), role: '', reason: ' ', expect: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Say why the steps change hands.');
    expect([assigneeOf(1), assigneeOf(2)]).toEqual([bo.id, bo.id]);
  });

  test('shows a page of the steps at a time with how many in all, and hands off every one of them', async () => {
    for (const n of [1043, 1044]) startRun(t.db, { runbook: 'ship', title: `Order #${n}`, startedBy: t.owner.id });
    const unescape = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const first = (await get(`/people/${vera.id}/handoff?to=${bo.id}&limit=4`).expect(200)).text;
    expect(first).toContain('6 open steps, earliest due first; the first 4 here.');
    expect(first.match(/<li><a href="\/runs\//g)).toHaveLength(4);
    expect(first).toContain('Hand off 6 steps');
    const next = unescape(/<a class="button button--quiet" href="([^"]+)" rel="next">/.exec(first)?.[1] as string);
    expect(next).toMatch(new RegExp(`^/people/${vera.id}/handoff\\?to=${bo.id}&limit=4&cursor=[^&]+#moving$`));
    const second = (await get(next).expect(200)).text;
    expect(second.match(/<li><a href="\/runs\//g)).toHaveLength(2);
    expect(second).toContain('these follow the earlier ones');
    expect(second).not.toContain('rel="next"');

    const since = hidden(second, 'since') as string;
    await post(`/people/${vera.id}/handoff`, { to: String(bo.id), role: '', reason: 'Holiday', since }).expect(303);
    expect(t.db.prepare('SELECT count(*) AS n FROM run_steps WHERE assignee_id = ?').get(bo.id)).toEqual({ n: 6 });
  });

  test('refuses a preview made before a step of theirs changed, and not one made before a check was ticked', async () => {
    const stale = hidden((await get(`/people/${vera.id}/handoff?to=${bo.id}`)).text, 'since') as string;
    startRun(t.db, { runbook: 'ship', title: 'Order #1043', startedBy: t.owner.id });
    const refused = await post(`/people/${vera.id}/handoff`, { to: String(bo.id), role: '', reason: 'Holiday', since: stale });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('open steps changed since the preview');
    expect(assigneeOf(1)).toBe(vera.id);

    const fresh = hidden((await get(`/people/${vera.id}/handoff?to=${bo.id}`)).text, 'since') as string;
    await t.asPerson(vera).post(`/api/runs/${run}/steps/2/note`).send({ note: 'label printer is slow' }).expect(200);
    await post(`/people/${vera.id}/handoff`, { to: String(bo.id), role: '', reason: 'Holiday', since: fresh }).expect(303);
    expect([assigneeOf(1), assigneeOf(2)]).toEqual([bo.id, bo.id]);
  });

  test.each(['limit=0', 'limit=1000', 'cursor=forged.AAAAAAAAAAAAAAAAAAAAAA'])('refuses ?%s with a 400 page', async (query) => {
    expect((await get(`/people/${vera.id}/handoff?to=${bo.id}&${query}`)).status).toBe(400);
  });

  test("shows the step's hand-offs in the run", async () => {
    await handOffVeraToBo();
    const page = (await get(`/runs/${run}`)).text;
    expect(page).toContain('Handed from Vera Packer to Bo Backup by Olive Owner');
  });
});

describe('email', () => {
  test('a person chooses a daily digest on their own page', async () => {
    const page = (await get(`/people/${vera.id}`, vera)).text;
    expect(page).toContain('One email a day (a digest)');
    expect((await post(`/people/${vera.id}/notifications`, { notify: 'digest' }, vera)).status).toBe(303);
    expect(t.db.prepare('SELECT notify FROM people WHERE id = ?').get(vera.id)).toEqual({ notify: 'digest' });
    expect((await post(`/people/${vera.id}/notifications`, { notify: 'weekly' }, vera)).status).toBe(400);
  });

  test('the outbox shows owners every message and says email is not set up', async () => {
    await handOffVeraToBo();
    const page = await get('/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Email is not set up');
    expect(page.text).toContain('Olive Owner handed you 2 steps from Vera Packer');
    expect(page.text).toMatch(/To Bo Backup &lt;bo@example\.com&gt;/);
    expect((await get('/outbox?status=failed')).text).toContain('No messages with this status.');
    expect((await get('/outbox?status=lost')).status).toBe(400);
  });
});
