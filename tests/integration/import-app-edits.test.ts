import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { runbookMarkdown } from '../helpers/factories';
import { importDirectory } from '../../server/runbooks/import';
import { runCli } from '../../server/cli/main';
import { openDatabase } from '../../server/db/open';
import { saveVersion } from '../../server/runbooks/repo';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { expectError, putRunbook, type TestApp } from './api';

/**
 * Issue 13 item 7: importing a file never silently replaces a version made in the app since the
 * last import. The file is reported (`path: changed in the app since the last import (version
 * N); not imported`) and nothing changes, unless forced: --force on the command line,
 * `{ "force": true }` on the API, or the Replace button after the differences on the page.
 * The start-up import (importDirectory, unforced) follows the same rule.
 */
let app: TestApp;
beforeEach(() => {
  app = testApp();
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const fileV1 = runbookMarkdown('Ship an order', [{ title: 'Pack the box', checks: ['Binder inside'] }]);
const fileV2 = runbookMarkdown('Ship an order', [{ title: 'Pack the box', checks: ['Binder inside', 'Invoice on top'] }]);
const appEdit = runbookMarkdown('Ship an order', [{ title: 'Pack the box', checks: ['Binder inside', 'Fragile sticker'] }]);

const file = () => path.join(app.runbooksDir, 'ship.md');
const current = () =>
  app.db
    .prepare('SELECT v.number, v.origin, v.source FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id WHERE b.slug = ?')
    .get('ship') as { number: number; origin: string; source: string };

/** v1 from the file, v2 made in the app, then the file changes. */
async function editedInAppThenFileChanged() {
  fs.writeFileSync(file(), fileV1);
  expect(importDirectory(app.db, app.runbooksDir).created).toEqual(['ship']);
  await putRunbook(app, 'ship', appEdit).expect(200);
  fs.writeFileSync(file(), fileV2);
}

test('the start-up import keeps a version made in the app and reports the file, changing nothing', async () => {
  await editedInAppThenFileChanged();
  const report = importDirectory(app.db, app.runbooksDir);
  expect(report.changedInApp).toEqual([{ path: file(), slug: 'ship', version: 2 }]);
  expect(report.updated).toEqual([]);
  expect(current()).toMatchObject({ number: 2, origin: 'api', source: appEdit });
  // Again at the next start: still kept, still reported.
  expect(importDirectory(app.db, app.runbooksDir).changedInApp).toHaveLength(1);
  expect(current().number).toBe(2);
});

test('a file changed after a version made in the app that has the text of the last import imports as usual', async () => {
  fs.writeFileSync(file(), fileV1);
  importDirectory(app.db, app.runbooksDir);
  await putRunbook(app, 'ship', appEdit).expect(200);
  await putRunbook(app, 'ship', fileV1).expect(200); // back to the imported text, in the app
  fs.writeFileSync(file(), fileV2);
  expect(importDirectory(app.db, app.runbooksDir).updated).toEqual(['ship']);
  expect(current()).toMatchObject({ number: 4, origin: 'import', source: fileV2 });
});

test('a runbook made in the app is never replaced by a file of the same name that appears later', async () => {
  await putRunbook(app, 'ship', appEdit).expect(201);
  fs.writeFileSync(file(), fileV1);
  expect(importDirectory(app.db, app.runbooksDir).changedInApp).toEqual([{ path: file(), slug: 'ship', version: 1 }]);
  expect(current().source).toBe(appEdit);
});

describe('POST /api/import', () => {
  test('reports the runbook changed in the app and imports the others', async () => {
    await editedInAppThenFileChanged();
    fs.writeFileSync(path.join(app.runbooksDir, 'invoice.md'), runbookMarkdown('Send invoices', [{ title: 'Send' }]));
    const res = await app.http().post('/api/import').send({}).expect(200);
    expect(res.body).toMatchObject({ created: ['invoice'], updated: [], changedInApp: [{ slug: 'ship', version: 2 }] });
    expect(current().number).toBe(2);
  });

  test('with force: true, replaces it with the file as a new version', async () => {
    await editedInAppThenFileChanged();
    const res = await app.http().post('/api/import').send({ force: true }).expect(200);
    expect(res.body).toMatchObject({ updated: ['ship'], changedInApp: [] });
    expect(current()).toMatchObject({ number: 3, origin: 'import', source: fileV2 });
  });

  test('refuses a force that is not true or false, naming the field', async () => {
    expectError(await app.http().post('/api/import').send({ force: 'yes' }), 400, 'invalid-input', 'force');
  });
});

describe('the command line', () => {
  const saved = { DATABASE_PATH: process.env.DATABASE_PATH, INIT_CWD: process.env.INIT_CWD };
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-import-force-'));
    process.env.DATABASE_PATH = path.join(root, 'cli.sqlite');
    delete process.env.INIT_CWD;
  });
  afterEach(() => {
    Object.assign(process.env, saved);
    fs.rmSync(root, { recursive: true, force: true });
  });
  /** An edit in the app, as the editor page saves it, in the command line's database. */
  function editInTheApp() {
    const db = openDatabase(process.env.DATABASE_PATH as string);
    const parsed = parseRunbook(appEdit);
    if (!parsed.ok) throw new Error('the app edit does not parse');
    saveVersion(db, 'ship', appEdit, parsed.runbook, { origin: 'editor', createdBy: null });
    db.close();
  }
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out, err };
  }

  test('import names the file changed in the app and exits 1; --force replaces it', async () => {
    const folder = path.join(root, 'runbooks');
    fs.mkdirSync(folder);
    const shipFile = path.join(folder, 'ship.md');
    fs.writeFileSync(shipFile, fileV1);
    expect((await cli(['import', folder])).code).toBe(0);
    editInTheApp();
    fs.writeFileSync(shipFile, fileV2);

    const kept = await cli(['import', folder]);
    expect(kept.code).toBe(1);
    expect(kept.out).toEqual([`${shipFile}: changed in the app since the last import (version 2); not imported`]);
    expect(kept.err.join('\n')).toContain('1 changed in the app and not imported (import again with --force to replace them)');

    const forced = await cli(['import', folder, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.err.join('\n')).toContain('0 new, 1 updated');
  });

  test('import --convert skips the runbook changed in the app, saying why, unless --force', async () => {
    const folder = path.join(root, 'docs');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'ship.md'), fileV1);
    await cli(['import', '--convert', folder]);
    editInTheApp();
    fs.writeFileSync(path.join(folder, 'ship.md'), fileV2);
    const kept = await cli(['import', '--convert', folder]);
    expect(kept.out.join('\n')).toContain('ship.md: changed in the app since the last import (version 2); not imported');
    const forced = await cli(['import', '--convert', '--force', folder]);
    expect(forced.out.join('\n')).toContain('→ ship (updated');
  });
});

describe('the Runbook files page', () => {
  test('lists the file kept as changed in the app, with the differences one tap away', async () => {
    await editedInAppThenFileChanged();
    const page = await app.http().get('/runbooks/import/files').expect(200);
    expect(page.text).toContain('ship.md: changed in the app since the last import (version 2); not imported');
    expect(page.text).toContain('href="/runbooks/ship/file"');
    const diff = await app.http().get('/runbooks/ship/file').expect(200);
    expect(diff.text).toContain('<del>- [ ] Fragile sticker</del>');
    expect(diff.text).toContain('<ins>- [ ] Invoice on top</ins>');
    expect(diff.text).toContain('Replace version 2 with the file');
  });

  test('Import on the page keeps the app edit; Replace, after the differences, imports the file', async () => {
    await editedInAppThenFileChanged();
    await app.http().post('/runbooks/import/files').type('form').send({}).expect(303);
    expect(current().number).toBe(2);
    const replaced = await app.http().post('/runbooks/ship/file').type('form').send({}).expect(303);
    expect(replaced.headers.location).toBe('/runbooks/ship?done=file-imported');
    expect(current()).toMatchObject({ number: 3, origin: 'import', source: fileV2 });
    const again = await app.http().get('/runbooks/import/files').expect(200);
    expect(again.text).toContain('Up to date');
  });

  test('a runbook without a file has no file page', async () => {
    await putRunbook(app, 'other', fileV1).expect(201);
    await app.http().get('/runbooks/other/file').expect(404);
  });
});
