import type request from 'supertest';
import { asBytes, pdfText, squeeze } from '../helpers/pdf';
import { t, STEPS, otto, vera } from './print-fixture';

/**
 * A person's sheet and packet grow with every run that gives them a step: they are printed a
 * page of steps at a time (25 unless `?limit=` says), each paper linking to the next with a
 * plain link, like the lists on their page.
 */

afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const pdfOf = async (req: request.Test) => {
  const res = await asBytes(req);
  expect({ status: res.status, type: res.type }).toEqual({ status: 200, type: 'application/pdf' });
  return squeeze(pdfText(res.body as Buffer));
};
const unescape = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const nextOf = (html: string) => {
  const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  return href === undefined ? null : unescape(href);
};
const count = (text: string, part: string) => text.split(part).length - 1;

describe.each(['sheet', 'packet'])("a person's %s, a page of steps at a time", (kind) => {
  test('holds the earliest-due steps up to the limit and links to the next paper, which holds the rest and links nowhere', async () => {
    // Vera's open steps, earliest due first: Pack the box (Order #1043), then the undated Post it of #1042 and of #1043.
    const first = (await t.http().get(`/people/${vera.id}/${kind}?limit=2`).expect(200)).text;
    expect(count(first, `.</span> ${STEPS.pack.title}`)).toBe(1);
    expect(count(first, `.</span> ${STEPS.post.title}`)).toBe(1);
    expect(first).toContain('Open steps</dt><dd>3, earliest due first');
    expect(first).toContain('2 steps, the earliest due; more on the next paper');
    const next = nextOf(first);
    expect(next).toMatch(new RegExp(`^/people/${vera.id}/${kind}\\?limit=2&cursor=`));

    const second = (
      await t
        .http()
        .get(next as string)
        .expect(200)
    ).text;
    expect(count(second, `.</span> ${STEPS.pack.title}`)).toBe(0);
    expect(count(second, `.</span> ${STEPS.post.title}`)).toBe(1);
    expect(second).toContain('Order #1043');
    expect(nextOf(second)).toBeNull();
    // The PDF links of a later paper print that paper, not the first.
    const pdfHref = unescape(/href="([^"]+\.pdf\?[^"]+)" download>A4/.exec(second)?.[1] as string);
    expect(pdfHref).toContain('cursor=');
    const text = await pdfOf(t.http().get(pdfHref));
    expect(count(text, STEPS.post.title)).toBe(1);
    expect(text).not.toContain(STEPS.pack.title);
  });

  test('fits on one paper when the steps do: no next link, no "on this paper" line', async () => {
    const html = (await t.http().get(`/people/${vera.id}/${kind}`).expect(200)).text;
    expect(nextOf(html)).toBeNull();
    expect(html).not.toContain('On this paper');
  });

  // A page says the sentence without the field's name (as beside a form field); the API's answers name it.
  test.each([
    ['limit=0', 'whole number from 1 to 200'],
    ['limit=201', 'whole number from 1 to 200'],
    ['limit=ten', 'whole number from 1 to 200'],
    ['cursor=forged.AAAAAAAAAAAAAAAAAAAAAA', 'start again from the first page'],
  ])('refuses ?%s with a 400 saying what is wrong, for the page and the PDF', async (query, said) => {
    for (const path of [`/people/${vera.id}/${kind}`, `/people/${vera.id}/${kind}.pdf`]) {
      const res = await t.http().get(`${path}?${query}`).set('Accept', 'text/html');
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.text).toContain(said);
    }
  });

  test("refuses a cursor of another list (the person's assignments), and of another person's paper", async () => {
    const other = (await t.http().get(`/people/${otto.id}/${kind}?limit=1`).expect(200)).text;
    const cursor = new URL(nextOf(other) as string, 'http://x').searchParams.get('cursor');
    // A cursor only says where a list stopped: on another person's paper it is a place, not their steps.
    const res = await t.http().get(`/people/${vera.id}/${kind}?limit=1&cursor=${cursor}`);
    expect(res.status).toBe(200);
    const assignments = await t.http().get(`/api/people/${vera.id}/assignments?limit=1`).expect(200);
    const theirs = new URL(assignments.body.next as string, 'http://x').searchParams.get('cursor');
    expect((await t.http().get(`/people/${vera.id}/${kind}?limit=1&cursor=${theirs}`)).status).toBe(400);
  });
});
