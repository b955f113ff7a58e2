import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { audit } from '../../server/audit/repo';

/**
 * The pages of lists that grow show their first page with a plain link to the next (it works
 * without JavaScript), and the runs page has the filters people need with a year of runs:
 * status, runbook (by name), assignee, overdue, started between two days entered and shown
 * as people write them.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const bo = makePerson(t.db, { name: 'Bo' });
makeRole(t.db, 'Packer', [bo]);
for (const [slug, title] of [
  ['send-invoices', 'Send the invoices'],
  ['chase-invoices', 'Chase unpaid invoices'],
  ['ship', 'Ship an order'],
] as const) {
  makeRunbook(t.db, slug, runbookMarkdown(title, [{ title: 'Do it', owner: 'Packer', due: slug === 'ship' ? '+0m' : '+300d' }]));
}
// 60 runs of "Ship an order", one a day from 1 Oct 2026; 5 of each invoice runbook.
for (let i = 0; i < 60; i++) {
  startRun(t.db, { runbook: 'ship', title: `Order #${i + 1}`, startedBy: t.owner.id, now: new Date(2026, 9, 1 + i, 10) });
}
for (let i = 0; i < 5; i++) {
  startRun(t.db, { runbook: 'send-invoices', title: `Invoices ${i}`, startedBy: t.owner.id, now: new Date(2026, 8, 1 + i, 10) });
  startRun(t.db, { runbook: 'chase-invoices', title: `Chase ${i}`, startedBy: t.owner.id, now: new Date(2026, 8, 10 + i, 10) });
}

const get = async (url: string) => {
  const res = await t.http().get(url).set('Accept', 'text/html');
  return { status: res.status, html: res.text };
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The next page's address as a browser reads it from the link. */
const nextOf = (html: string) =>
  /<a class="button button--quiet" href="([^"]+)" rel="next">/
    .exec(html)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=') ?? null;
const runTitles = (html: string) => [...html.matchAll(/<a href="\/runs\/\d+"><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

describe('the runs page', () => {
  test('shows the newest 50, and a plain link to the older ones that leads to the rest', async () => {
    const first = await get('/runs');
    expect(runTitles(first.html)).toHaveLength(50);
    expect(runTitles(first.html)[0]).toBe('Order #60');
    const next = nextOf(first.html);
    expect(next).toMatch(/^\/runs\?cursor=/);
    const second = await get(next as string);
    expect(runTitles(second.html)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `Order #${10 - i}`),
      ...Array.from({ length: 5 }, (_, i) => `Chase ${4 - i}`),
      ...Array.from({ length: 5 }, (_, i) => `Invoices ${4 - i}`),
    ]);
    expect(nextOf(second.html)).toBeNull();
    expect(second.html).toContain('Back to the start');
  });

  test('filters by days typed as people write them, and shows them that way', async () => {
    const res = await get('/runs?from=3 Oct 2026&to=Oct 5, 2026');
    expect(res.status).toBe(200);
    expect(runTitles(res.html)).toEqual(['Order #5', 'Order #4', 'Order #3']);
    expect(text(res.html)).toContain('started 3 Oct 2026 to 5 Oct 2026');
    expect(res.html).toContain('value="2026-10-03"');
  });

  test('finds a runbook by a word of its name, and asks which one when several match', async () => {
    const one = await get('/runs?runbook=chase');
    expect(runTitles(one.html)).toEqual(['Chase 4', 'Chase 3', 'Chase 2', 'Chase 1', 'Chase 0']);
    expect(text(one.html)).toContain('of “Chase unpaid invoices”');
    const several = await get('/runs?runbook=invoices');
    expect(runTitles(several.html)).toEqual([]);
    expect(text(several.html)).toContain('Several runbooks are called like “invoices”. Which one?');
    expect(several.html).toContain('href="/runs?runbook&#x3D;send-invoices"');
    const none = await get('/runs?runbook=giraffe');
    expect(text(none.html)).toContain('No runbook is called “giraffe”.');
  });

  test('keeps the filters in the link to the next page', async () => {
    const first = await get('/runs?runbook=ship&status=open&overdue=true');
    expect(runTitles(first.html)).toHaveLength(50);
    const second = await get(nextOf(first.html) as string);
    expect(runTitles(second.html)).toEqual(Array.from({ length: 10 }, (_, i) => `Order #${10 - i}`));
  });

  test('says what is wrong with a day beside its field', async () => {
    const res = await get('/runs?from=31 Feb 2026');
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="error" id="f-from-error">must be a date, such as 3 Dec 2026<\/p>/);
  });
});

describe('the other lists', () => {
  test('the library shows 20 runbooks at a time and links to the next', async () => {
    for (let i = 0; i < 55; i++) makeRunbook(t.db, `extra-${i}`, runbookMarkdown(`Extra ${String(i).padStart(2, '0')}`, [{ title: 'X' }]));
    const first = await get('/runbooks');
    expect((first.html.match(/class="card lib-result"/g) ?? []).length).toBe(20);
    expect(text(first.html)).toContain('58 runbooks, by title.');
    let next = nextOf(first.html);
    const seen = [];
    while (next) {
      const later = await get(next);
      seen.push((later.html.match(/class="card lib-result"/g) ?? []).length);
      next = nextOf(later.html);
    }
    expect(seen).toEqual([20, 18]);
    // A search too, best match first.
    const search = await get('/runbooks?q=extra');
    expect((search.html.match(/class="card lib-result"/g) ?? []).length).toBe(20);
    expect(text(search.html)).toContain('55 runbooks match “extra”, best match first.');
    const more = await get(nextOf(search.html) as string);
    expect((more.html.match(/class="card lib-result"/g) ?? []).length).toBe(20);
  });

  test('my work shows 50 steps and links to the later ones', async () => {
    const first = await t.asPerson(bo).get('/my-work').set('Accept', 'text/html');
    expect((first.text.match(/<li class="card[^"]*">/g) ?? []).length).toBe(50);
    const second = await t
      .asPerson(bo)
      .get(nextOf(first.text) as string)
      .set('Accept', 'text/html');
    expect((second.text.match(/<li class="card[^"]*">/g) ?? []).length).toBe(20);
  });

  test('a person’s page shows 50 of their steps, how many in all, and links to the rest', async () => {
    const first = await get(`/people/${bo.id}`);
    expect(text(first.html)).toContain('70 open, earliest due first · 60 overdue');
    expect(nextOf(first.html)).toMatch(new RegExp(`^/people/${bo.id}\\?cursor=.*#steps$`));
  });

  test('the audit log shows the newest entries and links to the older', async () => {
    for (let i = 0; i < 60; i++) audit(t.db, { action: 'sign-in.failed', actorId: null, data: { i } });
    const first = await get('/audit');
    expect((first.html.match(/<tr><td>/g) ?? []).length).toBe(50);
    const second = await get(nextOf(first.html) as string);
    expect((second.html.match(/<tr><td>/g) ?? []).length).toBe(10);
  });

  test('the outbox shows the newest messages and links to the older', async () => {
    const first = await get('/outbox');
    expect((first.html.match(/<li class="card outbox-message/g) ?? []).length).toBe(50);
    const second = await get(nextOf(first.html) as string);
    expect((second.html.match(/<li class="card outbox-message/g) ?? []).length).toBe(20);
  });

  test('the people page pages through people', async () => {
    for (let i = 0; i < 55; i++) makePerson(t.db, { name: `Zed ${String(i).padStart(2, '0')}` });
    const first = await get('/people');
    expect(text(first.html)).toContain('57 people');
    const second = await get(nextOf(first.html) as string);
    expect(text(second.html)).toContain('Zed 54');
    expect(text(second.html)).not.toContain('Zed 40');
  });

  test.each(['/runs?limit=500', '/runbooks?cursor=forged.xxxxxxxxxxxxxxxxxxxxxx', '/audit?limit=-1', '/outbox?cursor=junk'])(
    '%s is a 400 page, never a 500 nor an unbounded page',
    async (url) => {
      expect((await get(url)).status).toBe(400);
    },
  );
});
