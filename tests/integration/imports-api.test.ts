import fs from 'node:fs';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';
import { makeDocx } from '../helpers/docx';
import { browserSession } from './auth-helpers';
import { findRunbook, findVersion } from '../../server/runbooks/repo';
import { findRoleByName } from '../../server/people/roles-repo';
import { runCli } from '../../server/cli/main';

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ONBOARDING = '# Onboarding\n\n## Purpose\nA good first week.\n\n## Day one\n- Manager: Give a tour\n- New hire: Read the handbook\n';
/** The document the draft form carries back, as the browser would post it. */
const documentField = (html: string) =>
  /name="document" value="([^"]*)"/
    .exec(html)?.[1]
    ?.replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
const countRunbooks = () => (t.db.prepare('SELECT count(*) AS n FROM runbooks').get() as { n: number }).n;

describe('POST /api/imports', () => {
  test('answers the draft of a Markdown document and saves nothing', async () => {
    const before = countRunbooks();
    const res = await t.asPerson(editor).post('/api/imports?filename=ONBOARDING.md').set('Content-Type', 'text/markdown').send(ONBOARDING);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      title: 'Onboarding',
      slug: 'onboarding',
      introduction: '### Purpose\n\nA good first week.',
      steps: [
        { title: 'Day one (Manager)', owner: 'Manager', checks: ['Give a tour'], text: '- [ ] Give a tour' },
        { title: 'Day one (New hire)', owner: 'New hire', checks: ['Read the handbook'], text: '- [ ] Read the handbook' },
      ],
      notes: expect.arrayContaining(['“Purpose” went into the introduction.', 'Owner “Manager” is not a role yet: it will be created.']),
      markdown: expect.stringMatching(/^---\ntitle: Onboarding\n---\n/),
    });
    expect(countRunbooks()).toBe(before);
    expect(findRoleByName(t.db, 'Manager')).toBeUndefined();
  });

  test('whose markdown PUT to /api/runbooks/:slug saves exactly that draft, owners that were no role becoming roles', async () => {
    const draft = (await t.http().post('/api/imports?filename=onboarding.md').set('Content-Type', 'text/markdown').send(ONBOARDING)).body;
    const saved = await t.http().put(`/api/runbooks/${draft.slug}`).set('Content-Type', 'text/markdown').send(draft.markdown);
    expect(saved.status).toBe(201);
    expect(
      saved.body.steps.map((s: { title: string; owner: { name: string }; checks: { text: string }[] }) => [
        s.title,
        s.owner.name,
        s.checks.map((c) => c.text),
      ]),
    ).toEqual(draft.steps.map((s: { title: string; owner: string; checks: string[] }) => [s.title, s.owner, s.checks]));
    expect(findVersion(t.db, findRunbook(t.db, draft.slug)?.current_version_id ?? 0)?.source).toBe(draft.markdown);
    expect(findRoleByName(t.db, 'New hire')).toBeDefined();
    const exported = await t.http().get(`/api/runbooks/${draft.slug}/export`);
    expect(exported.text).toBe(draft.markdown);
  });

  test('reads plain text, HTML and Word by their types, and a .docx sent as bytes by its name', async () => {
    const text = await t.http().post('/api/imports').set('Content-Type', 'text/plain').send('Lock the door.');
    expect(text.body.steps).toEqual([{ title: 'Imported runbook', owner: null, checks: [], text: 'Lock the door.' }]);
    const html = await t
      .http()
      .post('/api/imports?filename=x.html')
      .set('Content-Type', 'text/html; charset=utf-8')
      .send('<h1>Close</h1><h2>Lock</h2><ul><li>Door</li></ul>');
    expect(html.body.steps).toEqual([{ title: 'Lock', owner: null, checks: ['Door'], text: '- [ ] Door' }]);
    const word = await makeDocx([{ title: 'Open' }, { heading: 'Lights' }, { bullet: 'On' }]);
    for (const [type, query] of [
      [DOCX, ''],
      ['application/octet-stream', '?filename=open.docx'],
    ]) {
      const res = await t
        .http()
        .post(`/api/imports${query}`)
        .set('Content-Type', type as string)
        .send(word);
      expect([res.status, res.body.title, res.body.steps]).toEqual([
        200,
        'Open',
        [{ title: 'Lights', owner: null, checks: ['On'], text: '- [ ] On' }],
      ]);
    }
  });

  test.each([
    ['an empty body', 'text/markdown', '', 422, 'empty-document'],
    ['a broken Word file', DOCX, 'PK\u0003\u0004 broken', 422, 'unreadable-document'],
    ['a binary sent as text', 'text/plain', Buffer.from([0, 159, 146, 150, 0]), 422, 'unreadable-document'],
    ['JSON', 'application/json', '{"a":1}', 415, 'unsupported-media-type'],
    ['an image', 'image/png', Buffer.from([137, 80, 78, 71]), 415, 'unsupported-media-type'],
    ['5 MB', 'text/markdown', '# Big\n\n'.padEnd(5 * 1024 * 1024, 'x'), 413, 'body-too-large'],
  ])('refuses %s with a clear message, never a 500', async (_what, type, body, status, code) => {
    const res = await t.http().post('/api/imports').set('Content-Type', type).send(body);
    expect([res.status, res.body.error.code]).toEqual([status, code]);
    expect(res.body.error.message).not.toMatch(/internal|stack/i);
  });

  test('answers a plain draft, with a note, for Markdown nested too deeply to read', async () => {
    const res = await t
      .http()
      .post('/api/imports')
      .set('Content-Type', 'text/markdown')
      .send(`# Deep\n\n## Step\n${'> '.repeat(20_000)}deep\n`);
    expect(res.status).toBe(200);
    expect(res.body.steps).toHaveLength(1);
    expect(res.body.notes).toContain('The document is nested too deeply to read as a procedure: its text is kept as it was, in one step.');
  });

  test('reads HTML nested thousands deep as its text, quickly', async () => {
    const res = await t
      .http()
      .post('/api/imports?filename=deep.html')
      .set('Content-Type', 'text/html')
      .send(`<h1>Deep</h1>${'<blockquote>'.repeat(30_000)}Hold on`);
    expect([res.status, res.body.steps.length]).toEqual([200, 1]);
    expect(res.body.steps[0].text).toContain('Hold on');
  });

  test('turns hostile HTML into a draft without it', async () => {
    const res = await t
      .http()
      .post('/api/imports')
      .set('Content-Type', 'text/html')
      .send(
        '<h1>T</h1><h2>S</h2><script>alert(1)</script><ul><li onclick="x()">Do <a href="javascript:alert(1)">it</a></li></ul><img src=x onerror=alert(1)>',
      );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/<script|onclick|onerror|javascript:alert/);
    expect(res.body.steps[0].checks).toEqual(['Do it']);
  });

  test('is for editors and owners only', async () => {
    for (const [who, status] of [
      [member, 403],
      [outsourcer, 403],
    ] as const) {
      const res = await t.asPerson(who).post('/api/imports').set('Content-Type', 'text/markdown').send(ONBOARDING);
      expect([res.status, res.body.error.code]).toEqual([status, 'forbidden']);
    }
    expect((await t.anonymous().post('/api/imports').set('Content-Type', 'text/markdown').send(ONBOARDING)).status).toBe(401);
  });
});

describe('the Import page', () => {
  const session = () => browserSession(t.db, editor.id);
  /** The import page's form, posted as the browser posts it, with the session's CSRF token. */
  const importForm = (s: ReturnType<typeof session>, fields: Record<string, string | undefined>) =>
    t
      .anonymous()
      .post('/runbooks/import')
      .set(s.headers)
      .type('form')
      .send({ _csrf: s.csrf, ...fields });

  test('shows the first 100 steps of a long document to adjust, says how many more there are, and saves them all', async () => {
    const s = session();
    const sections = Array.from({ length: 130 }, (_, i) => `## Pack order ${i + 1}\n\n- Box order ${i + 1}\n- Label order ${i + 1}\n`);
    const text = `# Packing handbook\n\n${sections.join('\n')}\n${'A line of background that makes the document long.\n'.repeat(2500)}`;
    const draft = await importForm(s, { intent: 'convert', text });
    expect(draft.status).toBe(200);
    expect(draft.text).toContain('130 steps');
    expect(draft.text.match(/name="steptitle:/g)).toHaveLength(100);
    expect(draft.text).toContain('Pack order 100');
    expect(draft.text).toContain('<span class="lib-step__no">100.</span>');
    expect(draft.text).not.toContain('<span class="lib-step__no">101.</span>');
    expect(draft.text).toContain('The other 30 steps are in the draft as the rules made them');
    expect(draft.text).toContain('The document is long: its first part is shown.');
    const document = documentField(draft.text);
    expect(document).toBe(text.replace(/\n+$/, '\n'));
    const saved = await importForm(s, { intent: 'save', document, slug: 'packing-handbook' });
    expect([saved.status, saved.headers.location]).toEqual([303, '/runbooks/packing-handbook?done=imported']);
    const source = findVersion(t.db, findRunbook(t.db, 'packing-handbook')?.current_version_id ?? 0)?.source ?? '';
    expect(source.match(/^## /gm)).toHaveLength(130);
    expect(source).toContain('## Pack order 130');
  });

  test('makes a draft of pasted text and saves it as a new runbook', async () => {
    const s = session();
    const draft = await importForm(s, { intent: 'convert', text: '# Weekly payroll\n\n## Run payroll\n- Bookkeeper: Approve hours\n' });
    expect(draft.status).toBe(200);
    expect(draft.text).toContain('Check the draft');
    const document = documentField(draft.text);
    expect(document).toContain('# Weekly payroll');
    const saved = await importForm(s, { intent: 'save', document, title: 'Weekly payroll', slug: 'weekly-payroll' });
    expect([saved.status, saved.headers.location]).toEqual([303, '/runbooks/weekly-payroll?done=imported']);
    expect(findVersion(t.db, findRunbook(t.db, 'weekly-payroll')?.current_version_id ?? 0)?.source).toContain('Owner: Bookkeeper');
    const again = await importForm(s, { intent: 'save', document, slug: 'weekly-payroll' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('already taken by another runbook');
  });

  test('uploads a file as a plain form, and says so beside the field when it is over the limit', async () => {
    const s = session();
    const ok = await t
      .anonymous()
      .post('/runbooks/import')
      .set(s.headers)
      .field('_csrf', s.csrf)
      .field('intent', 'convert')
      .attach('file', await makeDocx([{ title: 'Open' }, { heading: 'Lights' }, { bullet: 'On' }]), 'Open up.docx');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('From “Open up.docx” (Word document)');
    const big = await t
      .anonymous()
      .post('/runbooks/import')
      .set(s.headers)
      .field('_csrf', s.csrf)
      .field('intent', 'convert')
      .attach('file', Buffer.alloc(3 * 1024 * 1024, 'a'), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.text).toContain('The file is larger than the limit of 2 MB');
    const empty = await importForm(s, { intent: 'convert', text: '' });
    expect([empty.status, empty.text.includes('Choose a file, or paste the text of your procedure.')]).toEqual([400, true]);
  });

  test('keeps the choices made (a merge, a split, a section made a step) from one update to the next', async () => {
    const s = session();
    const document = '# Shop\n\n## Overview\nWhy.\n\n## Open\n- Unlock\n- Lights\n\n## Close\n- Lock\n';
    const post = (fields: Record<string, string | string[]>) =>
      t
        .anonymous()
        .post('/runbooks/import')
        .set(s.headers)
        .type('form')
        .send({ _csrf: s.csrf, document, ...fields });
    const first = await post({ intent: 'update' });
    const keys = [...first.text.matchAll(/name="owner:([^"]+)"/g)].map((m) => m[1]);
    const overview = /name="step" value="(\d+)"/.exec(first.text)?.[1] as string;
    const chosen = await post({ intent: 'update', merge: keys[1] as string, [`split:${keys[0]}`]: '2', step: overview });
    expect(chosen.text).toContain('Keep “Close” merged into the step above');
    expect(chosen.text).toContain(`name="split:${keys[0]}" value="2" checked> Keep it split from the step above`);
    expect(chosen.text).toContain(`<input type="hidden" name="step" value="${overview}">`);
    const saved = await post({ intent: 'save', merge: keys[1] as string, [`split:${keys[0]}`]: '2', step: overview, slug: 'shop-choices' });
    expect(saved.status).toBe(303);
    const version = findVersion(t.db, findRunbook(t.db, 'shop-choices')?.current_version_id ?? 0);
    expect(version?.source).toMatch(
      /## Overview\n\nWhy\.\n\n## Open\n\n- \[ \] Unlock\n\n## Open \(continued\)\n\n- \[ \] Lights\n\n### Close\n\n- \[ \] Lock\n$/,
    );
  });

  test('states the upload limit', async () => {
    const s = session();
    const page = await t.anonymous().get('/runbooks/import').set(s.headers);
    expect(page.text).toContain('up to 2 MB');
  });
});

describe('npm run cli -- import --convert DIR', () => {
  test('brings in a folder and its subfolders, naming README and index files after their folder, and reports each file', async () => {
    const dir = path.join(t.dir, 'handbook');
    fs.mkdirSync(path.join(dir, 'payroll'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'shop'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Runbook.md'), '# Daily checks\n\n## Morning\n- Lights\n');
    fs.writeFileSync(path.join(dir, 'payroll', 'README.md'), '# Payroll\n\n## Run\n- Approve hours\n');
    fs.writeFileSync(path.join(dir, 'shop', 'index.md'), '# Shop\n\n## Open\n- Unlock\n');
    fs.writeFileSync(path.join(dir, 'ready.md'), '---\ntitle: Ready\n---\n\n## Go\n- [ ] Go\n');
    fs.writeFileSync(path.join(dir, 'logo.png'), Buffer.from([137, 80, 78, 71]));
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    const saved = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = path.join(t.dir, 'cli.sqlite');
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runCli(
        ['import', '--convert', dir],
        (l) => out.push(l),
        (l) => err.push(l),
      );
      expect(code).toBe(1);
    } finally {
      process.env.DATABASE_PATH = saved;
    }
    const lines = out.filter((l) => !l.startsWith(' '));
    expect(lines).toEqual([
      `skipped    ${path.join(dir, 'empty.txt')}: The document is empty: there is nothing to import.`,
      `skipped    ${path.join(dir, 'logo.png')}: not a document this can import (.png): use Word (.docx), HTML, Markdown or plain text`,
      `converted  ${path.join(dir, 'payroll', 'README.md')} → payroll (new; 1 step, 1 check)`,
      `imported   ${path.join(dir, 'ready.md')} → ready (new; 1 step, 1 check)`,
      `converted  ${path.join(dir, 'Runbook.md')} → runbook (new; 1 step, 1 check)`,
      `converted  ${path.join(dir, 'shop', 'index.md')} → shop (new; 1 step, 1 check)`,
    ]);
    expect(err).toEqual(['1 imported as they were, 3 converted, 2 skipped']);
  });
});
