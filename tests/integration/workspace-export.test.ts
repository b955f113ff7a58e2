import fs from 'node:fs';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { checkAction, putRunbook, startRun, stepAction, type TestApp } from './api';
import { runCli } from '../../server/cli/main';
import { exportWorkspace } from '../../server/workspace/export';
import { importWorkspace } from '../../server/workspace/import';
import { WorkspaceError } from '../../server/workspace/lines';
import { addAwayPeriod } from '../../server/people/absences';

/**
 * `npm run cli -- export-all DIR` and `import-all DIR`: a populated workspace goes out and
 * comes back into an empty database the same, read through the API and written out again.
 */

let source: TestApp;
let restored: TestApp;
const saved = { DATABASE_PATH: process.env.DATABASE_PATH, INIT_CWD: process.env.INIT_CWD };

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    (line) => out.push(line),
    (line) => err.push(line),
    async () => '',
  );
  return { code, out, err };
}

/** Every file under `dir` with its text (the manifest without its date), by path. */
function contents(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8').replace(/"exportedAt": "[^"]+"/, '"exportedAt": "…"');
    }
  };
  walk(dir);
  return files;
}

beforeAll(async () => {
  delete process.env.INIT_CWD;
  source = testApp();
  const vera = makePerson(source.db, { name: 'Vera Ünal', email: 'vera@example.com' });
  const bo = makePerson(source.db, { name: 'Bo', email: 'bo@example.com', level: 'editor' });
  const otto = makePerson(source.db, { name: 'Otto', email: 'otto@example.com', level: 'outsourcer' });
  source.db.prepare('UPDATE people SET hourly_cost_cents = 2500, notify = ? WHERE id = ?').run('digest', otto.id);
  makeRole(source.db, 'Packer', [vera, bo]);
  makeRole(source.db, 'Bookkeeper', [otto]);
  const in30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const in35 = new Date(Date.now() + 35 * 86_400_000).toISOString().slice(0, 10);
  addAwayPeriod(source.db, { personId: vera.id, from: in30, to: in35, note: 'Holiday — Crete', createdBy: source.owner.id });

  const ship = (title: string) =>
    runbookMarkdown(title, [
      { title: 'Pack', owner: 'Packer', due: '2h', checks: ['Invoice inside', 'Tape the box'] },
      { title: 'Book the courier', owner: 'Packer', optional: true },
      { title: 'Record the sale', owner: 'Bookkeeper', estimate: '10m' },
    ]);
  await putRunbook(source, 'ship', ship('Ship an order')).expect(201);
  await putRunbook(source, 'ship', ship('Ship an order (v2)'), bo).expect(200);
  // A review with a note, besides the ones each new version counts as.
  await source.http().post('/api/runbooks/ship/reviews').send({ note: 'Still how we ship' }).expect(201);
  await putRunbook(source, 'old-process', runbookMarkdown('Old process', [{ title: 'Do the thing' }])).expect(201);
  await source.http().post('/api/runbooks/old-process/archive').send({ archived: true }).expect(200);

  const done = await startRun(source, 'ship', vera, 'Order #1');
  await checkAction(source, done.id, 1, 0, 'tick', source.owner).expect(200);
  await checkAction(source, done.id, 1, 1, 'tick', source.owner).expect(200);
  await stepAction(source, done.id, 1, 'complete', source.owner, { note: 'Fragile: double box' }).expect(200);
  await stepAction(source, done.id, 2, 'skip', source.owner).expect(200);
  await stepAction(source, done.id, 3, 'complete', otto).expect(200);
  const open = await startRun(source, 'ship', bo, 'Order #2 “rush”');
  const pack = open.steps[0] as { assignee: { id: number } | null };
  await stepAction(source, open.id, 1, 'reassign', source.owner, {
    to: pack.assignee?.id === vera.id ? bo.id : vera.id,
    reason: 'cover',
  }).expect(200);
  await stepAction(source, open.id, 1, 'note', source.owner, { note: 'Customer called' }).expect(200);
});
afterAll(() => {
  Object.assign(process.env, saved);
  source?.cleanup();
  restored?.cleanup();
});

describe('a whole workspace', () => {
  it('goes out with export-all and comes back with import-all the same', async () => {
    const out = path.join(source.dir, 'export');
    process.env.DATABASE_PATH = path.join(source.dir, 'test.sqlite');
    const exported = await cli(['export-all', out]);
    expect(exported).toMatchObject({
      code: 0,
      err: [expect.stringMatching(/2 runbook\(s\) with 3 version\(s\), 4 people, 2 role\(s\), 2 run\(s\)/)],
    });

    // The layout of `export`: current versions as Markdown, archived ones apart, and every version's text.
    expect(Object.keys(contents(out)).sort()).toEqual([
      'manifest.json',
      'people.jsonl',
      'roles.jsonl',
      'runbooks.jsonl',
      'runbooks/archived/old-process.md',
      'runbooks/history/old-process/1.md',
      'runbooks/history/ship/1.md',
      'runbooks/history/ship/2.md',
      'runbooks/ship.md',
      'runs.jsonl',
    ]);
    expect(fs.readFileSync(path.join(out, 'runbooks', 'ship.md'), 'utf8')).toContain('title: Ship an order (v2)');
    expect(fs.readFileSync(path.join(out, 'people.jsonl'), 'utf8')).not.toMatch(/password|token|hash/i);

    restored = testApp();
    // A fresh database: the test app's owner is its only content, removed so that it is empty.
    restored.db.prepare('DELETE FROM api_tokens').run();
    restored.db.prepare('DELETE FROM credentials').run();
    restored.db.prepare('DELETE FROM people').run();
    process.env.DATABASE_PATH = path.join(restored.dir, 'test.sqlite');
    const imported = await cli(['import-all', out]);
    expect(imported).toMatchObject({
      code: 0,
      err: [expect.stringMatching(/restored .*2 runbook\(s\) with 3 version\(s\), 4 people, 2 role\(s\), 2 run\(s\)\. Passwords/)],
    });

    // Written out again, every file is the same.
    const again = path.join(restored.dir, 'export');
    exportWorkspace(restored.db, again);
    expect(contents(again)).toEqual(contents(out));

    // Passwords are not exported: the owner is given one again (as `user set-password` does).
    restored.db
      .prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)")
      .run(source.owner.id, new Date().toISOString());
    // And the API answers the same about runs, people, roles and runbooks.
    const ask = async (url: string) => {
      const [a, b] = [await source.http().get(url), await restored.asPerson(source.owner.id).get(url)];
      expect({ url, status: b.status }).toEqual({ url, status: 200 });
      return [a.body, b.body];
    };
    for (const url of [
      '/api/runs/1',
      '/api/runs/2',
      '/api/runs',
      '/api/runbooks?archived=include',
      '/api/people',
      '/api/roles',
      '/api/runbooks/ship',
      '/api/runbooks/ship/versions',
    ]) {
      const [a, b] = await ask(url);
      expect({ url, body: b }).toEqual({ url, body: a });
    }
  });

  it('refuses a database that is not empty, saying why, and changes nothing', async () => {
    const out = path.join(source.dir, 'export');
    process.env.DATABASE_PATH = path.join(source.dir, 'test.sqlite');
    const before = source.db.prepare('SELECT count(*) FROM runs').pluck().get();
    const res = await cli(['import-all', out]);
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toMatch(
      /^import-all: the database is not empty \(it holds 4 people, 2 roles, 2 runbooks, 2 runs\): import-all restores only into an empty database/,
    );
    expect(source.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(before);
  });

  it('refuses a folder that is not an export, and one with a damaged file, leaving the database empty', () => {
    const empty = testApp();
    try {
      empty.db.prepare('DELETE FROM api_tokens').run();
      empty.db.prepare('DELETE FROM credentials').run();
      empty.db.prepare('DELETE FROM people').run();
      expect(() => importWorkspace(empty.db, path.join(empty.dir, 'nowhere'))).toThrow(WorkspaceError);
      expect(() => importWorkspace(empty.db, empty.dir)).toThrow(/has no readable manifest\.json/);
      const copy = path.join(empty.dir, 'copy');
      fs.cpSync(path.join(source.dir, 'export'), copy, { recursive: true });
      fs.appendFileSync(path.join(copy, 'runs.jsonl'), '{"id": 3, "broken\n');
      expect(() => importWorkspace(empty.db, copy)).toThrow(/runs\.jsonl:3: is not a line of JSON/);
      expect(empty.db.prepare('SELECT count(*) FROM people').pluck().get()).toBe(0);
      expect(empty.db.prepare('SELECT count(*) FROM runbooks').pluck().get()).toBe(0);
    } finally {
      empty.cleanup();
    }
  });

  it('export-all and import-all without a folder print the usage', async () => {
    expect((await cli(['export-all'])).code).toBe(2);
    expect((await cli(['import-all'])).code).toBe(2);
  });
});
