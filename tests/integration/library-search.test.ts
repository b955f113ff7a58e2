import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { makeRunbook, runbookMarkdown } from '../helpers/factories';
import { openDatabase } from '../../server/db/open';
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate';
import { setArchived, findRunbook } from '../../server/runbooks/repo';
import { ftsQuery, searchLibrary } from '../../server/runbooks/search';
import { plainSnippet } from '../../server/runbooks/page-model';

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

makeRunbook(
  t.db,
  'ship-order',
  runbookMarkdown(
    'Ship a physical order',
    [
      { title: 'Confirm payment', owner: 'Bookkeeper', estimate: '5m', body: 'Match the order number in the processor.' },
      { title: 'Pack the box', owner: 'Fulfillment VA', estimate: '20m', body: 'Wrap the binder in bubblewrap before it goes in.' },
    ],
    { category: 'fulfillment', tags: '[shipping, home-study]', income: 'direct' },
  ),
);
makeRunbook(
  t.db,
  'monthly-invoicing',
  runbookMarkdown(
    'Monthly invoicing',
    [{ title: 'Export hours', owner: 'Bookkeeper', body: 'Export the hours and send each client an invoice.' }],
    { category: 'invoicing', tags: '[money]', income: 'direct' },
  ),
);
makeRunbook(
  t.db,
  'chase-invoices',
  runbookMarkdown(
    'Chase overdue payments',
    [{ title: 'Pull the list', owner: 'Bookkeeper', body: 'Every unpaid invoice past its due date gets a reminder.' }],
    { category: 'invoicing', income: 'direct' },
  ),
);
makeRunbook(
  t.db,
  'newsletter',
  runbookMarkdown('Publish the newsletter', [{ title: 'Write it', owner: 'Content VA', body: 'Draft the issue.' }], {
    category: 'content',
    tags: '[marketing]',
    income: 'indirect',
  }),
);

const page = (url: string) => t.http().get(url).set('Accept', 'text/html');
/** Slugs of the runbooks a library page lists, in order. */
const listed = (html: string) =>
  [...html.matchAll(/<h2 class="lib-result__title">\s*<a href="\/runbooks\/([a-z0-9-]+)"/g)].map((m) => m[1]);

describe('the library page', () => {
  test('lists every runbook in use by title when nothing is searched', async () => {
    const res = await page('/runbooks');
    expect(res.status).toBe(200);
    expect(listed(res.text)).toEqual(['chase-invoices', 'monthly-invoicing', 'newsletter', 'ship-order']);
    expect(res.text).toContain('4 runbooks, by title.');
  });

  test('finds a runbook by a word that appears only in a step body, and marks the word', async () => {
    const res = await page('/runbooks?q=bubblewrap');
    expect(listed(res.text)).toEqual(['ship-order']);
    expect(res.text).toMatch(/Steps:<\/span>[^<]*<mark>bubblewrap<\/mark>/);
  });

  test('matches the start of a word and a plural its singular', async () => {
    expect(listed((await page('/runbooks?q=bubble')).text)).toEqual(['ship-order']);
    expect(listed((await page('/runbooks?q=wrap+binders')).text)).toEqual(['ship-order']);
    expect(listed((await page('/runbooks?q=binders+zebra')).text)).toEqual([]);
  });

  test('ranks runbooks whose title matches before those that only mention the word', async () => {
    const res = await page('/runbooks?q=payment');
    expect(listed(res.text)).toEqual(['chase-invoices', 'ship-order']);
    expect(res.text).toContain('Chase overdue <mark>payments</mark>');
    expect(res.text).toContain('best match first');
  });

  test('needs every word to match', async () => {
    expect(listed((await page('/runbooks?q=invoice+overdue')).text)).toEqual(['chase-invoices']);
  });

  test.each([
    ['a lone quote', '"'],
    ['a star', '*'],
    ['FTS operators', 'OR AND NOT'],
    ['an open bracket', '('],
    ['a column filter', 'title:ship'],
    ['NEAR and a caret', 'NEAR(ship order) ^ship'],
    ['unbalanced quotes', 'ship "order'],
    ['a very long query', 'invoice '.repeat(600)],
    ['a very long word', 'x'.repeat(5000)],
    ['control characters', '\u0002ship\u0003 \u0000'],
  ])('survives %s without an error', async (_name, q) => {
    const res = await page(`/runbooks?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
  });

  test('takes operators as plain words', async () => {
    expect(listed((await page('/runbooks?q=ship+OR+newsletter')).text)).toEqual([]);
    expect(listed((await page(`/runbooks?q=${encodeURIComponent('"ship')}`)).text)).toEqual(['ship-order']);
  });

  test('shows everything, and says why, for a search with no letters or digits', async () => {
    const res = await page(`/runbooks?q=${encodeURIComponent('" * (')}`);
    expect(listed(res.text)).toHaveLength(4);
    expect(res.text).toContain('has no letters or digits to search for');
  });

  test('treats a repeated query key as its first value', async () => {
    const res = await page('/runbooks?q=bubblewrap&q=invoice');
    expect(listed(res.text)).toEqual(['ship-order']);
  });

  test.each([
    ['category', 'category=invoicing', ['chase-invoices', 'monthly-invoicing']],
    ['category, in any case', 'category=INVOICING', ['chase-invoices', 'monthly-invoicing']],
    ['tag', 'tag=shipping', ['ship-order']],
    ['owner role, named by a step', 'owner=content+va', ['newsletter']],
    ['income potential', 'income=indirect', ['newsletter']],
    ['a search and a filter together', 'q=invoice&category=invoicing&tag=money', ['monthly-invoicing']],
  ])('filters by %s', async (_name, query, slugs) => {
    expect(listed((await page(`/runbooks?${query}`)).text)).toEqual(slugs);
  });

  test('ignores an income value outside the list', async () => {
    expect(listed((await page('/runbooks?income=lots')).text)).toHaveLength(4);
  });

  test('offers the categories, tags and owner roles in use as filter choices', async () => {
    const res = await page('/runbooks?category=content');
    expect(res.text).toContain('<option value="invoicing">invoicing</option>');
    expect(res.text).toContain('<option value="content" selected>content</option>');
    expect(res.text).toContain('<option value="home-study">home-study</option>');
    expect(res.text).toContain('<option value="Fulfillment VA">Fulfillment VA</option>');
  });
});

describe('the search index', () => {
  test('follows the current version: words of an older version no longer match', () => {
    const slug = makeRunbook(t.db, 'rotating', runbookMarkdown('Rotate the keys', [{ title: 'Rotate', body: 'Use the zebra procedure.' }]));
    const query = { q: 'zebra', category: null, tag: null, owner: null, income: null, archived: false };
    expect(searchLibrary(t.db, query).map((r) => r.slug)).toEqual([slug]);
    makeRunbook(t.db, slug, runbookMarkdown('Rotate the keys', [{ title: 'Rotate', body: 'Use the giraffe procedure.' }]));
    expect(searchLibrary(t.db, query)).toEqual([]);
    expect(searchLibrary(t.db, { ...query, q: 'giraffe' }).map((r) => r.slug)).toEqual([slug]);
  });

  test('leaves archived runbooks out of the library and shows them under Archived', async () => {
    makeRunbook(t.db, 'old-process', runbookMarkdown('Old process', [{ title: 'Do it', body: 'The platypus way.' }]));
    setArchived(t.db, (findRunbook(t.db, 'old-process') as { id: number }).id, true);
    expect(listed((await page('/runbooks?q=platypus')).text)).toEqual([]);
    expect(listed((await page('/runbooks')).text)).not.toContain('old-process');
    expect(listed((await page('/runbooks?q=platypus&status=archived')).text)).toEqual(['old-process']);
  });

  test('quotes every word and drops words with nothing to search', () => {
    expect(ftsQuery('ship "order" OR (x')).toBe('"ship"* AND """order"""* AND "OR"* AND "(x"*');
    expect(ftsQuery(' " * ( ')).toBeNull();
    expect(ftsQuery('invoices deliveries class')).toBe('("invoices"* OR "invoice") AND ("deliveries"* OR "delivery") AND "class"*');
  });

  test('is filled for runbooks stored before the migration that adds it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'library-backfill-'));
    try {
      const early = path.join(dir, 'migrations');
      fs.mkdirSync(early);
      const files = fs
        .readdirSync(MIGRATIONS_DIR)
        .filter((f) => f.endsWith('.sql'))
        .sort();
      const before = files.filter((f) => f < '20261122-0003');
      for (const file of before) fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(early, file));
      const db = openDatabase(path.join(dir, 'db.sqlite'));
      migrate(db, early);
      // Stored as that schema held it (today's saveVersion writes columns added since).
      const at = new Date().toISOString();
      db.prepare("INSERT INTO runbooks (id, slug, created_at) VALUES (1, 'plants', ?)").run(at);
      db.prepare(
        `INSERT INTO runbook_versions (id, runbook_id, number, source, source_hash, front_matter, title, intro, origin, created_at)
         VALUES (1, 1, 1, 'source', 'x', 'title: Water the plants', 'Water the plants', 'Intro.', 'api', ?)`,
      ).run(at);
      db.prepare("INSERT INTO runbook_steps (version_id, position, title, body) VALUES (1, 1, 'Water', 'The ficus first.')").run();
      db.prepare('UPDATE runbooks SET current_version_id = 1 WHERE id = 1').run();
      migrate(db, MIGRATIONS_DIR);
      const found = searchLibrary(db, { q: 'ficus', category: null, tag: null, owner: null, income: null, archived: false });
      expect(found.map((r) => r.slug)).toEqual(['plants']);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('words, not stems', () => {
    test('matches a word itself, not every word of the same stem', async () => {
      makeRunbook(
        t.db,
        'month-end',
        runbookMarkdown('Close the month', [{ title: 'Payments', owner: 'Bookkeeper', body: 'Record every payment received.' }]),
      );
      makeRunbook(
        t.db,
        'receivables',
        runbookMarkdown('Review receivables', [{ title: 'Ageing', owner: 'Bookkeeper', body: 'List what customers owe.' }]),
      );
      expect(listed((await page('/runbooks?q=receivables')).text)).toEqual(['receivables']);
      expect(listed((await page('/runbooks?q=received')).text)).toEqual(['month-end']);
      expect(listed((await page('/runbooks?q=wrapping')).text)).toEqual([]);
    });

    test('keeps the punctuation between check items in a snippet', async () => {
      makeRunbook(
        t.db,
        'label',
        runbookMarkdown('Buy the label', [
          {
            title: 'Print',
            owner: 'Fulfillment VA',
            checks: ['Service chosen by the zorbling rules', 'Customs form complete', 'Label attached.'],
          },
        ]),
      );
      const res = await page('/runbooks?q=zorbling');
      expect(res.text).toMatch(/Service chosen by the <mark>zorbling<\/mark> rules; Customs form complete; Label attached\./);
      expect(plainSnippet('## Pack\n- [ ] One\n- [x] Two, then\n- Three\n\nMore text')).toBe('Pack; One; Two, then; Three; More text');
    });
  });
});
