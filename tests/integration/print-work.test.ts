import type request from 'supertest';
import { createAccessLink } from '../../server/auth/links';
import { asBytes, pdfText, squeeze } from '../helpers/pdf';
import { browserSession } from './auth-helpers';
import { BASE_URL } from '../helpers/app';
import { t, STEPS, ana, doneRun, freshRun, otto, sam, vera } from './print-fixture';

afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const pdfOf = async (req: request.Test) => {
  const res = await asBytes(req);
  expect({ status: res.status, type: res.type }).toEqual({ status: 200, type: 'application/pdf' });
  return squeeze(pdfText(res.body as Buffer));
};
/** Whether the parts appear in this order (each found after the one before). */
const inOrder = (text: string, ...parts: string[]) => {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
};

describe("a person's assignment sheet", () => {
  test('lists all their open steps grouped by run, the run with the earliest due step first, each with owner, due time and checks', async () => {
    const html = (await t.http().get(`/people/${vera.id}/sheet`).expect(200)).text;
    const text = await pdfOf(t.http().get(`/people/${vera.id}/sheet.pdf`));
    for (const shown of [html, text]) {
      expect(shown).toContain('Assignment sheet for Vera Packer');
      // Order #1043's "Pack the box" is due in two hours; both "Post it" steps have no due time.
      expect(inOrder(shown, 'Order #1043', STEPS.pack.title, STEPS.post.title, 'Order #1042', STEPS.post.title)).toBe(true);
      expect(shown).toContain('Vera Packer (Packer)');
      for (const check of [...STEPS.pack.checks, ...STEPS.post.checks]) expect(shown).toContain(check);
      expect(shown).not.toContain(STEPS.burn.title);
      // The sheet is short: no instructions.
      expect(shown).not.toContain('Use the small box');
    }
    // The first run's "Pack the box" is done: it is not on the sheet.
    expect(text.split(STEPS.pack.title)).toHaveLength(2);
    expect(text).toContain('Open steps: 3, earliest due first');
  });

  test("carries a QR code and the address of each run, from the site's address, never the request's", async () => {
    const html = (await t.http().get(`/people/${vera.id}/sheet`).set('Host', 'office.example.test').expect(200)).text;
    expect(html.match(/<svg class="pr-qr__code"/g)).toHaveLength(2);
    expect(html).not.toContain('office.example.test');
    const text = await pdfOf(t.http().get(`/people/${vera.id}/sheet.pdf`).set('Host', 'office.example.test'));
    for (const run of [doneRun, freshRun]) expect(text).toContain(`${BASE_URL}/runs/${run}`);
    expect(text).not.toContain('office.example.test');
  });

  test("an outsourcer's sheet holds only their steps, whoever prints it", async () => {
    for (const as of [t.http(), t.asPerson(sam), t.asPerson(otto)]) {
      const text = await pdfOf(as.get(`/people/${otto.id}/sheet.pdf`));
      expect(text.split(STEPS.burn.title)).toHaveLength(3);
      for (const step of [STEPS.pack, STEPS.labels, STEPS.post]) expect(text).not.toContain(step.title);
      expect(text).not.toContain(ana.name);
    }
  });

  test('someone with nothing to do gets a sheet that says so', async () => {
    const html = (await t.http().get(`/people/${sam.id}/sheet`).expect(200)).text;
    expect(html).toContain('No open steps: nothing is waiting for Sam Member.');
    expect(await pdfOf(t.http().get(`/people/${sam.id}/sheet.pdf`))).toContain('No open steps: nothing is waiting for Sam Member.');
  });
});

describe("an outsourcer's packet", () => {
  test('holds their steps with the full instructions, and nothing else', async () => {
    const html = (await t.asPerson(otto).get(`/people/${otto.id}/packet`).expect(200)).text;
    const text = await pdfOf(t.asPerson(otto).get(`/people/${otto.id}/packet.pdf`));
    for (const shown of [html, text]) {
      expect(shown).toContain('Work packet for Otto Duplicator');
      expect(shown.split(STEPS.burn.secret)).toHaveLength(3);
      expect(shown).toContain(STEPS.burn.checks[0]);
      for (const step of [STEPS.pack, STEPS.labels, STEPS.post]) {
        expect(shown).not.toContain(step.title);
        for (const check of step.checks) expect(shown).not.toContain(check);
      }
      // The runbook's introduction (its purpose and warnings) comes with each run: the packet is an
      // outsourcer's only view of the runbook (issue 13).
      expect(shown.split('Intro for Ship an order')).toHaveLength(3);
      for (const other of [STEPS.labels.secret, vera.name, ana.name, '/runs/']) expect(shown).not.toContain(other);
    }
    expect(html).not.toMatch(/<svg|<nav|<form|<button|<script/);
  });

  test('is theirs alone: another outsourcer learns nothing of it, the team may print it', async () => {
    for (const url of [`/people/${otto.id}/packet`, `/people/${otto.id}/sheet.pdf`]) {
      const res = await t.asPerson(ana).get(url).expect(404);
      expect(res.body.error.message).toBe(`Person ${otto.id} was not found`);
      await t.asPerson(sam).get(url).expect(200);
      const visitor = await t.anonymous().get(url).set('Accept', 'text/html').expect(303);
      expect(visitor.headers.location).toMatch(/^\/sign-in\?next=/);
    }
  });
});

describe('my own sheet and packet', () => {
  test('an outsourcer signed in by their personal link prints their own, from My work', async () => {
    const session = browserSession(t.db, otto.id, createAccessLink(t.db, t.links, otto.id, t.owner.id).id);
    const work = await t.anonymous().get('/my-work').set(session.headers).expect(200);
    expect(work.text).toContain('href="/my-work/sheet"');
    expect(work.text).toContain('href="/my-work/packet"');
    const sheet = await pdfOf(t.anonymous().get('/my-work/sheet.pdf').set(session.headers));
    expect(sheet).toContain('Assignment sheet for Otto Duplicator');
    const packet = (await t.anonymous().get('/my-work/packet').set(session.headers).expect(200)).text;
    expect(packet).toContain(STEPS.burn.secret);
    expect(packet).not.toContain(STEPS.pack.title);
  });

  test('a visitor is sent to sign in', async () => {
    const res = await t.anonymous().get('/my-work/sheet.pdf').set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/my-work/sheet.pdf')}`);
  });
});

test.each([
  ['/people/abc/sheet', 404, 'Person abc was not found'],
  ['/people/99999/packet.pdf', 404, 'Person 99999 was not found'],
  ['/my-work/packet.pdf?paper=a3', 400, 'paper: choose a4 or letter'],
])('%s answers %i naming what is wrong', async (url, status, message) => {
  const res = await t.http().get(url).expect(status);
  expect(res.body.error.message).toBe(message);
});
