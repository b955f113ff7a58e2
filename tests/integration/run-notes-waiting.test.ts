import request from 'supertest';
import { testApp } from '../helpers/app';
import { givePassword, makePerson, makeRole, makeRunbook } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { STEP_NOTES_SHOWN } from '../../server/runs/read';

/**
 * Notes on a step at any time by whoever works it, shown under the step (run page, print, PDF);
 * a step waiting on something outside the team, with the reason, set and lifted by whoever works
 * it; and the runbook's introduction for everyone who works a step of the run.
 */

const t = testApp();
afterAll(t.cleanup);
afterEach(() => expect(t.errors).toEqual([]));

const PASSWORD = 'a long walk by the river';
const vera = makePerson(t.db, { name: 'Vera VA', email: 'vera@example.com' });
const sam = makePerson(t.db, { name: 'Sam Member', email: 'sam@example.com' });
const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const otto = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
makeRole(t.db, 'Packer', [vera]);
makeRole(t.db, 'Duplication house', [otto]);
makeRunbook(
  t.db,
  'ship',
  `---
title: Ship an order
---

Every paid order leaves within a day.

**Warnings.** Never ship an order whose payment is only <em>authorised</em>. <script>alert(1)</script>

## Pack the box
Owner: Packer
Due: +2h

Use the small box.

- [ ] Binder inside

## Burn the CDs
Owner: Duplication house

Disc master is on the shared drive.
`,
);

async function browser(person: PersonRow) {
  await givePassword(t.db, person.id, PASSWORD);
  const agent = request.agent(t.app);
  const form = await agent.get('/sign-in');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string;
  await agent.post('/sign-in').type('form').send({ _csrf: token, email: person.email, password: PASSWORD }).expect(303);
  const page = await agent.get('/my-work').expect(200);
  return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string };
}

let runId: number;
beforeEach(async () => {
  runId = (await t.http().post('/api/runs').send({ runbook: 'ship', title: 'Order #1042' }).expect(201)).body.id;
});
const stepOf = (html: string, position: number) =>
  html.slice(html.indexOf(`id="step-${position}"`), html.indexOf(`id="step-${position + 1}"`));

describe('notes', () => {
  test('the assignee notes an open step without completing it, through the API and the run page form', async () => {
    const api = await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/note`).send({ note: 'Courier comes at 3' }).expect(200);
    expect(api.body.step.status).toBe('open');
    const asVera = await browser(vera);
    const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
    // The note form stands beside the Complete form on her own open step (it used to be hidden there).
    expect(stepOf(page.text, 1)).toContain(`action="/runs/${runId}/steps/1/note"`);
    await asVera.agent
      .post(`/runs/${runId}/steps/1/note`)
      .type('form')
      .send({ _csrf: asVera.csrf, note: 'Box is on the shelf' })
      .expect(303);
    const run = await t.http().get(`/api/runs/${runId}`).expect(200);
    expect(run.body.steps[0].status).toBe('open');
    expect(run.body.steps[0].notes.map((n: { note: string }) => n.note)).toEqual(['Courier comes at 3', 'Box is on the shelf']);
    expect(run.body.steps[0].notes[0].by).toEqual({ id: vera.id, name: 'Vera VA' });
  });

  test('an outsourcer notes his own step at any time, before and after completing it, and every note shows under it', async () => {
    await t.asPerson(otto).post(`/api/runs/${runId}/steps/2/note`).send({ note: 'Discs ordered' }).expect(200);
    await t.asPerson(otto).post(`/api/runs/${runId}/steps/2/complete`).send({}).expect(200);
    await t.asPerson(otto).post(`/api/runs/${runId}/steps/2/note`).send({ note: 'Sent by courier after all' }).expect(200);
    const page = await t.asPerson(otto).get(`/runs/${runId}`).expect(200);
    const step = stepOf(page.text, 2);
    expect(step).toContain('Discs ordered');
    expect(step).toContain('Sent by courier after all');
    expect(step.indexOf('Discs ordered')).toBeLessThan(step.indexOf('Sent by courier after all'));
  });

  test('refuses a note on a step of someone else to an outsourcer as if it did not exist', async () => {
    await t.asPerson(otto).post(`/api/runs/${runId}/steps/1/note`).send({ note: 'Not mine' }).expect(404);
  });

  test('a step with many notes shows the newest few under it, with how many older ones there are and where they are', async () => {
    for (let i = 1; i <= STEP_NOTES_SHOWN + 3; i++) {
      await t
        .asPerson(vera)
        .post(`/api/runs/${runId}/steps/1/note`)
        .send({ note: `Note number ${i}.` })
        .expect(200);
    }
    const run = await t.http().get(`/api/runs/${runId}`).expect(200);
    expect(run.body.steps[0].noteCount).toBe(STEP_NOTES_SHOWN + 3);
    expect(run.body.steps[0].notes).toHaveLength(STEP_NOTES_SHOWN);
    expect(run.body.steps[0].notes.at(-1).note).toBe(`Note number ${STEP_NOTES_SHOWN + 3}.`);
    const step = stepOf((await t.http().get(`/runs/${runId}`).expect(200)).text, 1);
    expect(step).toContain(`the newest ${STEP_NOTES_SHOWN} of ${STEP_NOTES_SHOWN + 3}`);
    expect(step).toContain(`href="/runs/${runId}/activity">3 older notes in the activity`);
    expect(step).not.toContain('Note number 3.');
    expect(step).toContain('Note number 4.');
  });

  test('notes show under their step in the run print and its PDF, names and text escaped', async () => {
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/note`).send({ note: 'Use <b>tape</b> twice' }).expect(200);
    const print = await t.http().get(`/runs/${runId}/print`).expect(200);
    const notes = print.text.slice(print.text.indexOf('class="pr-notes"'));
    expect(notes).toContain('Vera VA, ');
    expect(notes).toContain('Use &lt;b&gt;tape&lt;/b&gt; twice');
    const pdf = await t.http().get(`/runs/${runId}/print.pdf`).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });
});

describe('waiting', () => {
  test('the assignee marks a step as waiting with the reason and lifts it; both are events, and the step stays open', async () => {
    const set = await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: 'the customer’s address' }).expect(200);
    expect(set.body.step.status).toBe('open');
    expect(set.body.step.waiting).toMatchObject({ reason: 'the customer’s address', by: { id: vera.id, name: 'Vera VA' } });
    const lifted = await t.asPerson(vera).delete(`/api/runs/${runId}/steps/1/waiting`).expect(200);
    expect(lifted.body.step.waiting).toBeNull();
    const run = await t.http().get(`/api/runs/${runId}`).expect(200);
    const kinds = run.body.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['step.waiting', 'step.resumed']));
    const waited = run.body.events.find((e: { kind: string }) => e.kind === 'step.waiting');
    expect(waited).toMatchObject({ step: 1, actor: { id: vera.id }, data: { reason: 'the customer’s address' } });
  });

  test('refuses waiting without a reason, naming the field', async () => {
    const res = await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: '  ' }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid-input', field: 'reason' });
  });

  test('refuses lifting a step that is not waiting with 409 step-not-waiting', async () => {
    const res = await t.asPerson(vera).delete(`/api/runs/${runId}/steps/1/waiting`).expect(409);
    expect(res.body.error.code).toBe('step-not-waiting');
  });

  test('an editor may set and lift it on anyone’s step; a member may not on a colleague’s; an outsourcer does not see it', async () => {
    await t.asPerson(editor).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: 'stock' }).expect(200);
    await t.asPerson(sam).delete(`/api/runs/${runId}/steps/1/waiting`).expect(403);
    await t.asPerson(otto).delete(`/api/runs/${runId}/steps/1/waiting`).expect(404);
    await t.asPerson(editor).delete(`/api/runs/${runId}/steps/1/waiting`).expect(200);
  });

  test('refuses waiting on a step that is done', async () => {
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/checks/0/tick`).expect(200);
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/complete`).send({}).expect(200);
    const res = await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: 'x' }).expect(409);
    expect(res.body.error.code).toBe('step-already-complete');
  });

  test('completing a waiting step ends the wait', async () => {
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: 'stock' }).expect(200);
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/checks/0/tick`).expect(200);
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/complete`).send({}).expect(200);
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/reopen`).send({}).expect(200);
    const run = await t.http().get(`/api/runs/${runId}`).expect(200);
    expect(run.body.steps[0].waiting).toBeNull();
  });

  test('a waiting step past its due time is still overdue, on the run, My work and Home', async () => {
    await t.asPerson(vera).post(`/api/runs/${runId}/steps/1/waiting`).send({ reason: 'the customer’s address' }).expect(200);
    t.db.prepare("UPDATE run_steps SET due_at = '2020-01-01T00:00:00.000Z' WHERE run_id = ? AND position = 1").run(runId);
    const run = await t.http().get(`/api/runs/${runId}`).expect(200);
    expect(run.body.steps[0]).toMatchObject({ overdue: true, waiting: { reason: 'the customer’s address' } });
    const asVera = await browser(vera);
    const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
    expect(page.text).toMatch(/class="step step--open step--waiting step--overdue[^"]*" id="step-1"/);
    expect(stepOf(page.text, 1)).toContain('Waiting:</strong> the customer’s address');
    const work = await asVera.agent.get('/my-work').expect(200);
    const overdue = work.text.slice(work.text.indexOf('Overdue'));
    expect(overdue).toContain('Waiting: the customer’s address');
    const home = await asVera.agent.get('/').expect(200);
    expect(home.text).toContain('Waiting: the customer’s address');
    // Those who run the team see it among the overdue and among the steps waiting.
    const ownerHome = await t.http().get('/').expect(200);
    expect(ownerHome.text).toContain('Waiting on something');
    expect(ownerHome.text).toContain('· waiting: the customer’s address');
  });

  test('the run page form sets and lifts it, and the wait shows in the print', async () => {
    const asVera = await browser(vera);
    await asVera.agent
      .post(`/runs/${runId}/steps/1/waiting`)
      .type('form')
      .send({ _csrf: asVera.csrf, reason: 'the customer’s address' })
      .expect(303);
    const print = await asVera.agent.get(`/runs/${runId}/print`).expect(200);
    expect(print.text).toMatch(/Waiting since [^<]+: the customer’s address/);
    const page = await asVera.agent.get(`/runs/${runId}`).expect(200);
    expect(stepOf(page.text, 1)).toContain(`action="/runs/${runId}/steps/1/waiting/lift"`);
    await asVera.agent.post(`/runs/${runId}/steps/1/waiting/lift`).type('form').send({ _csrf: asVera.csrf }).expect(303);
    const again = await asVera.agent.post(`/runs/${runId}/steps/1/waiting/lift`).type('form').send({ _csrf: asVera.csrf }).expect(409);
    expect(stepOf(again.text, 1)).toContain('is not waiting on anything');
  });
});

describe('the runbook’s introduction', () => {
  test('shows on the run page for the team and an outsourcer, sanitised, open while the run is', async () => {
    for (const who of [vera, otto]) {
      const page = await t.asPerson(who).get(`/runs/${runId}`).expect(200);
      const intro = page.text.slice(
        page.text.indexOf('class="run-intro'),
        page.text.indexOf('</details>', page.text.indexOf('class="run-intro')),
      );
      expect(intro).toContain(' open>');
      expect(intro).toContain('Never ship an order whose payment is only');
      expect(intro).not.toContain('<script');
    }
  });

  test('folds for someone once they have completed a step of the run, and stays open for the others', async () => {
    await t.asPerson(otto).post(`/api/runs/${runId}/steps/2/complete`).expect(200);
    const introOf = async (who: PersonRow) => {
      const page = await t.asPerson(who).get(`/runs/${runId}`).expect(200);
      return page.text.slice(page.text.indexOf('class="run-intro'), page.text.indexOf('<summary', page.text.indexOf('class="run-intro')));
    };
    expect(await introOf(otto)).not.toContain(' open>');
    expect(await introOf(vera)).toContain(' open>');
  });

  test('is in the run print and the outsourcer’s work packet, and the run’s JSON', async () => {
    const print = await t.asPerson(otto).get(`/runs/${runId}/print`).expect(200);
    expect(print.text).toMatch(/class="pr-prose pr-intro"[\s\S]*Never ship an order whose payment is only/);
    const packet = await t.asPerson(otto).get('/my-work/packet').expect(200);
    expect(packet.text).toMatch(/class="pr-prose pr-intro"[\s\S]*Never ship an order whose payment is only/);
    const json = await t.asPerson(otto).get(`/api/runs/${runId}`).expect(200);
    expect(json.body.runbook.intro).toContain('Never ship an order');
    expect(json.body.runbook.introHtml).toContain('<strong>Warnings.</strong>');
    expect(json.body.runbook.introHtml).not.toContain('<script');
  });

  test('is the version the run started from, not a later edit', async () => {
    makeRunbook(
      t.db,
      'ship',
      `---\ntitle: Ship an order\n---\n\nA new introduction.\n\n## Pack the box\nOwner: Packer\n\n## Burn the CDs\nOwner: Duplication house\n`,
    );
    const page = await t.asPerson(otto).get(`/runs/${runId}`).expect(200);
    expect(page.text).toContain('Never ship an order whose payment is only');
    expect(page.text).not.toContain('A new introduction.');
  });
});
