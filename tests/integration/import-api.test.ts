import fs from 'node:fs';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { makePerson, runbookMarkdown } from '../helpers/factories';
import { putRunbook, startRun, type TestApp } from './api';

/** Each test has an app of its own, with an empty runbooks folder. */
let app: TestApp;
beforeEach(() => {
  app = testApp();
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const write = (name: string, text: string) => {
  const file = path.join(app.runbooksDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const runImport = async () => {
  const res = await app.http().post('/api/import');
  expect(res.status).toBe(200);
  return res.body as {
    created: string[];
    updated: string[];
    unchanged: string[];
    problems: { path: string; line: number; message: string }[];
  };
};
const current = async (slug: string) => (await app.http().get(`/api/runbooks/${slug}`)).body;
const versionCount = async (slug: string) => (await app.http().get(`/api/runbooks/${slug}/versions`)).body.versions.length;

const invoices = runbookMarkdown('Send invoices', [{ title: 'Export hours', owner: 'Bookkeeper', estimate: '10m' }], {
  category: 'invoicing',
});
const payroll = runbookMarkdown('Run payroll', [{ title: 'Approve hours', owner: 'Bookkeeper' }]);
const broken = ['---', 'title: Broken', '---', '', '## Count stock', 'Estimate: soon', ''].join('\n');

/** invoices.md and payroll.md, imported once. */
async function imported() {
  write('invoices.md', invoices);
  write('payroll.md', payroll);
  expect((await runImport()).created).toEqual(['invoices', 'payroll']);
}

describe('POST /api/import', () => {
  test('answers an empty report for an empty folder', async () => {
    expect(await runImport()).toEqual({ created: [], updated: [], unchanged: [], changedInApp: [], problems: [] });
  });

  test('creates a runbook for each new file and reports them', async () => {
    write('invoices.md', invoices);
    write('payroll.md', payroll);
    write('notes.txt', 'not a runbook');
    expect(await runImport()).toEqual({ created: ['invoices', 'payroll'], updated: [], unchanged: [], changedInApp: [], problems: [] });
    expect(await current('invoices')).toMatchObject({ title: 'Send invoices', category: 'invoicing', version: 1 });
    const versions = (await app.http().get('/api/runbooks/invoices/versions')).body.versions;
    expect(versions).toEqual([expect.objectContaining({ number: 1, origin: 'import', createdBy: null })]);
  });

  test('reports unchanged files and adds no version for them', async () => {
    await imported();
    expect(await runImport()).toEqual({ created: [], updated: [], unchanged: ['invoices', 'payroll'], changedInApp: [], problems: [] });
    expect(await versionCount('invoices')).toBe(1);
  });

  test('adds a version for a changed file, keeping the earlier one', async () => {
    await imported();
    write('invoices.md', invoices.replace('Export hours', 'Export billable hours'));
    expect(await runImport()).toEqual({ created: [], updated: ['invoices'], unchanged: ['payroll'], changedInApp: [], problems: [] });
    expect((await current('invoices')).steps[0].title).toBe('Export billable hours');
    expect(await versionCount('invoices')).toBe(2);
    expect((await app.http().get('/api/runbooks/invoices/versions/1')).body.steps[0].title).toBe('Export hours');
  });

  test('reports a bad file as path:line with the reason while the other files import', async () => {
    await imported();
    write('stock.md', broken);
    write('payroll.md', payroll.replace('Approve hours', 'Approve all hours'));
    write('welcome.md', runbookMarkdown('Welcome a client', [{ title: 'Send the pack' }]));
    const report = await runImport();
    expect(report).toEqual({
      created: ['welcome'],
      updated: ['payroll'],
      unchanged: ['invoices'],
      changedInApp: [],
      problems: [
        { path: path.join(app.runbooksDir, 'stock.md'), line: 6, message: expect.stringContaining('Estimate "soon" is not a duration') },
      ],
    });
    expect((await app.http().get('/api/runbooks/stock')).status).toBe(404);
    expect((await current('payroll')).steps[0].title).toBe('Approve all hours');
  });

  test('reports a file the Markdown parser cannot cope with while the other files import', async () => {
    write('deep.md', `---\ntitle: Deep\n---\n\n## Step\n\n${'>'.repeat(20000)} [link](https://example.com)\n`);
    write('leads.md', runbookMarkdown('Follow up leads', [{ title: 'Call back' }]));
    const report = await runImport();
    expect(report.created).toEqual(['leads']);
    expect(report.problems.filter((p) => p.path.endsWith('deep.md'))).toEqual([
      {
        path: path.join(app.runbooksDir, 'deep.md'),
        line: 5,
        message: 'the text is nested too deeply to read (quotes or lists thousands of levels deep)',
      },
    ]);
    expect((await app.http().get('/api/runbooks/deep')).status).toBe(404);
  });

  test('reports a file name that is not a slug and a slug used twice, importing neither', async () => {
    await imported();
    write('Bad Name.md', runbookMarkdown('Bad name', [{ title: 'Step' }]));
    write('zz/invoices.md', runbookMarkdown('Shadow invoices', [{ title: 'Step' }]));
    const report = await runImport();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { path: path.join(app.runbooksDir, 'Bad Name.md'), line: 1, message: expect.stringContaining('is not a slug') },
        { path: path.join(app.runbooksDir, 'zz', 'invoices.md'), line: 1, message: expect.stringContaining('already used by') },
      ]),
    );
    expect(report.created).toEqual([]);
    expect((await current('invoices')).title).toBe('Send invoices');
  });
});

describe('importing after edits made through the API', () => {
  test('keeps an edit made through PUT when the file is unchanged on the next import', async () => {
    await imported();
    const edited = invoices.replace('Export hours', 'Export hours from the tracker');
    expect((await putRunbook(app, 'invoices', edited)).status).toBe(200);
    const before = await versionCount('invoices');
    const report = await runImport();
    expect(report.unchanged).toContain('invoices');
    expect(report.updated).not.toContain('invoices');
    expect((await current('invoices')).steps[0].title).toBe('Export hours from the tracker');
    expect(await versionCount('invoices')).toBe(before);
  });

  test('adds the file as a new version once the file itself changes', async () => {
    await imported();
    write('invoices.md', invoices.replace('Export hours', 'Export hours, file edit'));
    const report = await runImport();
    expect(report.updated).toEqual(['invoices']);
    expect((await current('invoices')).steps[0].title).toBe('Export hours, file edit');
  });

  test('counts a runbook created by PUT with the same text as its file as unchanged', async () => {
    const text = runbookMarkdown('Onboard a VA', [{ title: 'Share the logins' }]);
    await putRunbook(app, 'onboard', text).expect(201);
    write('onboard.md', text);
    const report = await runImport();
    expect(report.unchanged).toContain('onboard');
    expect(await versionCount('onboard')).toBe(1);
  });

  test('leaves open runs on the version they started from when an import changes the runbook', async () => {
    await imported();
    write('payroll.md', payroll.replace('Approve hours', 'Approve all hours'));
    await runImport();
    const member = makePerson(app.db);
    const run = await startRun(app, 'payroll', member);
    write('payroll.md', runbookMarkdown('Run payroll', [{ title: 'Something else entirely' }]));
    expect((await runImport()).updated).toEqual(['payroll']);
    const read = await app.http().get(`/api/runs/${run.id}`);
    expect(read.body.steps.map((s: { title: string }) => s.title)).toEqual(['Approve all hours']);
  });
});
