import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';

/**
 * Home is a summary: counts and the first few of each list, with a link to the whole list,
 * however large the workspace. A new owner whose roles nobody fills yet, with over a thousand
 * steps waiting, gets a small page that says so.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const page = async (url: string) => {
  const res = await t.http().get(url).set('Accept', 'text/html');
  expect(res.status).toBe(200);
  return res.text;
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe("a new owner's home with empty roles and 1,200 steps nobody has", () => {
  beforeAll(() => {
    for (const role of ['Bookkeeper', 'Courier', 'Packer']) makeRole(t.db, role);
    makeRunbook(
      t.db,
      'orders',
      runbookMarkdown(
        'Ship an order',
        Array.from({ length: 10 }, (_, i) => ({ title: `Step ${i + 1}`, owner: ['Bookkeeper', 'Courier', 'Packer'][i % 3], due: '+0m' })),
      ),
    );
    t.db.transaction(() => {
      for (let i = 0; i < 120; i++) startRun(t.db, { runbook: 'orders', title: `Order #${i}`, startedBy: t.owner.id });
    })();
  });

  test('is small, says how much waits on nobody and why, and links to every gap', async () => {
    const html = await page('/');
    expect(Buffer.byteLength(html)).toBeLessThan(40_000);
    const said = text(html);
    expect(said).toContain('1,000 or more open steps have nobody on them');
    expect(said).toMatch(/Bookkeeper : 4\d\d waiting · nobody fills this role/);
    expect(said).toContain('3 roles nobody fills');
    expect(said).toContain('120 runs are in progress');
    expect(said).toContain('1,000 or more steps are overdue');
    expect(html).toContain('href="/gaps"');
    expect(html).toContain('href="/runs?status=open"');
    // The first few of each list, not all of them.
    expect((html.match(/href="\/runs\/\d+"/g) ?? []).length).toBe(5);
  });

  test('the whole list of gaps is a page at a time, with a plain link to the next', async () => {
    const html = await page('/gaps');
    expect(text(html)).toContain('1,000 or more open steps with nobody on them, 3 roles nobody fills');
    const next = /<a class="button button--quiet" href="(\/gaps\?list[^"]+)" rel="next">/
      .exec(html)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(next).toMatch(/^\/gaps\?list=unassignedRunSteps&cursor=/);
    const more = await page(next as string);
    expect((more.match(/<li><a href="\/runs\/\d+#step-\d+">/g) ?? []).length).toBe(50);
    expect(more).toContain('Back to every gap');
  });

  test('a list it does not have is refused, naming the list, not shown as every gap', async () => {
    const res = await t.http().get('/gaps?list=everything').set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('Must be one of emptyRoles, unownedSteps, unassignedRunSteps');
  });
});

describe('a member', () => {
  test('sees their work, the runs and no gaps (gaps are for those who run the team)', async () => {
    const mia = makePerson(t.db, { name: 'Mia' });
    const res = await t.asPerson(mia).get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Ownership gaps');
    expect(text(res.text)).toContain('Nothing is waiting for you.');
  });
});
