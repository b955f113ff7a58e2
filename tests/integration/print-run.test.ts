import request from 'supertest';
import { createApp } from '../../server/app';
import { createAccessLink } from '../../server/auth/links';
import { startRun } from '../../server/runs/start';
import { makeRunbook, runbookMarkdown } from '../helpers/factories';
import { asBytes, pdfText, squeeze } from '../helpers/pdf';
import { browserSession } from './auth-helpers';
import { BASE_URL } from '../helpers/app';
import { t, STEPS, ana, doneRun, otto, sam, vera } from './print-fixture';

afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const pdfOf = async (req: request.Test) => {
  const res = await asBytes(req);
  expect({ status: res.status, type: res.type }).toEqual({ status: 200, type: 'application/pdf' });
  return squeeze(pdfText(res.body as Buffer));
};
const others = [STEPS.pack, STEPS.labels, STEPS.post];

describe('a run as it stands', () => {
  test('done steps say who did them and when, open steps their owner and due time, checks who ticked them', async () => {
    const html = (await t.http().get(`/runs/${doneRun}/print`).expect(200)).text;
    const text = await pdfOf(t.http().get(`/runs/${doneRun}/print.pdf`));
    for (const shown of [html, text]) {
      expect(shown).toContain('Order #1042');
      expect(shown).toContain('Ship an order · version 1 · Order #1042 · printed');
      expect(shown).toMatch(/Done by Vera Packer/);
      expect(shown).toContain('Note: Sealed twice');
      expect(shown).toMatch(/✓ Vera Packer, \d{1,2} \w{3} \d{4}, \d\d:\d\d/);
      expect(shown).toContain('Otto Duplicator (Duplication house)');
      expect(shown).toContain('Ana Labelmaker (Label printer)');
      expect(shown).toMatch(/Due: (<strong>)?\d{1,2} \w{3} \d{4}, \d\d:\d\d/);
      expect(shown).toContain('Open, 1 of 4 steps done');
      for (const step of Object.values(STEPS)) for (const check of step.checks) expect(shown).toContain(check);
    }
    // The done step's instructions are left out; the open ones' are there to work from.
    expect(text).toContain(STEPS.burn.secret);
    expect(text).not.toContain('Use the small box');
    expect(text.match(/Initials/g)).toHaveLength(3 + 3);
    expect(html).not.toMatch(/<nav|<form|<button|<script|<input/);
  });

  test("carries a QR code and the address of the run online, from the site's address, never from the request", async () => {
    const html = (await t.http().get(`/runs/${doneRun}/print`).set('Host', 'office.example.test:3000').expect(200)).text;
    expect(html).toMatch(new RegExp(`<svg class="pr-qr__code"[^>]*aria-label="QR code: ${BASE_URL}/runs/\\d+"`));
    expect(html).not.toContain('office.example.test');
    const text = await pdfOf(t.http().get(`/runs/${doneRun}/print.pdf`).set('Host', 'office.example.test:3000'));
    expect(text).toContain(`${BASE_URL}/runs/${doneRun}`);
    const configured = createApp({ db: t.db, config: { runbooksDir: t.runbooksDir, baseUrl: 'https://ops.example.com' } });
    const res = await request(configured).get(`/runs/${doneRun}/print`).set(t.as(t.owner)).expect(200);
    expect(res.text).toContain(`https://ops.example.com/runs/${doneRun}</span>`);
  });

  test('a member sees the whole run, as on the run page', async () => {
    const text = await pdfOf(t.asPerson(sam).get(`/runs/${doneRun}/print.pdf`));
    for (const step of Object.values(STEPS)) expect(text).toContain(step.title);
  });

  test("an outsourcer's paper holds their own steps and nothing of anyone else's", async () => {
    const html = (await t.asPerson(otto).get(`/runs/${doneRun}/print`).expect(200)).text;
    const text = await pdfOf(t.asPerson(otto).get(`/runs/${doneRun}/print.pdf`));
    for (const shown of [html, text]) {
      expect(shown).toContain(STEPS.burn.title);
      expect(shown).toContain(STEPS.burn.checks[0]);
      expect(shown).toContain(STEPS.burn.secret);
      for (const step of others) {
        expect(shown).not.toContain(step.title);
        for (const check of step.checks) expect(shown).not.toContain(check);
      }
      expect(shown).not.toContain(STEPS.labels.secret);
      expect(shown).not.toContain(vera.name);
      expect(shown).not.toContain(ana.name);
      expect(shown).not.toContain('Sealed twice');
      expect(shown).toContain('0 of 1 of your steps done');
    }
  });

  test('an outsourcer signed in by their personal link prints their steps the same way', async () => {
    const link = createAccessLink(t.db, t.links, otto.id, t.owner.id);
    const session = browserSession(t.db, otto.id, link.id);
    const text = await pdfOf(t.anonymous().get(`/runs/${doneRun}/print.pdf`).set(session.headers));
    expect(text).toContain(STEPS.burn.title);
    expect(text).not.toContain(STEPS.pack.title);
  });

  test("a run with none of an outsourcer's steps is not found for them; a visitor is sent to sign in", async () => {
    makeRunbook(t.db, 'internal', runbookMarkdown('Internal only', [{ title: 'Count the stock', owner: 'Packer' }]));
    const internal = startRun(t.db, { runbook: 'internal', title: 'Stock count', startedBy: t.owner.id });
    for (const url of [`/runs/${internal}/print`, `/runs/${internal}/print.pdf`]) {
      const res = await t.asPerson(otto).get(url).expect(404);
      expect(res.body.error.message).toBe(`Run ${internal} was not found`);
      const visitor = await t.anonymous().get(url).set('Accept', 'text/html').expect(303);
      expect(visitor.headers.location).toMatch(/^\/sign-in\?next=/);
    }
  });

  test.each([
    ['/runs/abc/print', 404, 'Run abc was not found'],
    ['/runs/99999/print.pdf', 404, 'Run 99999 was not found'],
    ['/runs/1/print.pdf?paper=tabloid', 400, 'paper: choose a4 or letter'],
  ])('%s answers %i naming what is wrong', async (url, status, message) => {
    const res = await t.http().get(url).expect(status);
    expect(res.body.error.message).toBe(message);
  });
});
