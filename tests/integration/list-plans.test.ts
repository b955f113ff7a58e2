import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { createApp } from '../../server/app';
import { startRun } from '../../server/runs/start';
import type { Db } from '../../server/db/open';

/**
 * Every list reads through an index: no statement a list's route runs scans runs, run_steps
 * or run_events (SQLite's plan says SCAN for a read of a whole table or a whole index; SEARCH
 * for a range of one). The statements are the ones the routes really prepare, recorded as
 * they are, and each plan is asked of SQLite; only "SCAN <those tables>" is looked for, not
 * SQLite's exact wording of the rest.
 */

const t = testApp();
afterAll(() => t.cleanup());

const ana = makePerson(t.db, { name: 'Ana', level: 'editor' });
const otto = makePerson(t.db, { name: 'Otto', level: 'outsourcer' });
makeRole(t.db, 'Packer', [ana]);
makeRole(t.db, 'Courier');
makeRunbook(
  t.db,
  'parcel',
  runbookMarkdown('Parcel', [
    { title: 'Pack', owner: 'Packer', due: '+0m', checks: ['Taped'] },
    { title: 'Drive', owner: 'Courier' },
    { title: 'Label', owner: 'Otto' },
    { title: 'File' },
  ]),
);
const run = startRun(t.db, { runbook: 'parcel', title: 'Run 1', startedBy: t.owner.id });

const BIG = ['runs', 'run_steps', 'run_events'];
/** The tables each other list pages through: its page statement (LIMIT @limit) must not scan them either. */
const OWN: Record<string, string[]> = {
  runbooks: ['runbooks', 'runbook_versions'],
  people: ['people'],
  roles: ['roles'],
  'unowned-steps': ['runbooks', 'runbook_versions', 'runbook_steps'],
  'empty-roles': ['roles'],
  audit: ['audit_log'],
  outbox: ['notifications'],
};

/** An app on a stand-in for the database that writes down the text of every statement prepared through it. */
function recordingApp(db: Db) {
  const texts = new Set<string>();
  const recorder = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (text: string) => {
          texts.add(text);
          return target.prepare(text);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const app = createApp({
    db: recorder,
    config: { runbooksDir: t.runbooksDir, baseUrl: 'https://runbooks.test' },
    log: (error) => t.errors.push(error),
  });
  return { app, texts };
}

/** Table names by the alias a statement gives them (FROM runs r → r: runs). */
function aliases(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const keywords = /^(on|where|join|left|inner|cross|using|order|group|limit|indexed|natural|as|and|set|values)$/i;
  for (const match of text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = match[1] as string;
    found.set(table, table);
    if (match[2] && !keywords.test(match[2])) found.set(match[2], table);
  }
  return found;
}

/** The steps of a statement's plan that scan one of `tables`, each with the statement. */
function scans(db: Db, text: string, tables: string[]): string[] {
  const names = new Set([...text.matchAll(/@(\w+)/g)].map((m) => m[1] as string));
  const positional = (text.match(/\?/g) ?? []).length;
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${text}`);
  const rows = (
    names.size > 0 ? explain.all(Object.fromEntries([...names].map((n) => [n, null]))) : explain.all(...Array(positional).fill(null))
  ) as {
    detail: string;
  }[];
  const byAlias = aliases(text);
  return rows
    .map((row) => row.detail)
    .filter((detail) => {
      const scanned = /^SCAN (\w+)/.exec(detail)?.[1];
      return scanned !== undefined && tables.includes(byAlias.get(scanned) ?? scanned);
    })
    .map((detail) => `${detail}   in: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
}

const ROUTES: [string, 'owner' | 'outsourcer'][] = [
  ['/api/runs', 'owner'],
  ['/api/runs?status=open', 'owner'],
  ['/api/runs?status=complete&runbook=parcel', 'owner'],
  [`/api/runs?assignee=${0}`, 'owner'],
  ['/api/runs?overdue=true', 'owner'],
  ['/api/runs?from=2026-01-01&to=2026-12-31', 'owner'],
  ['/api/runs', 'outsourcer'],
  ['/runs', 'owner'],
  ['/runs?runbook=Parcel&overdue=true&from=1 Jan 2026', 'owner'],
  ['/runs', 'outsourcer'],
  [`/api/runs/${run}`, 'owner'],
  [`/api/runs/${run}`, 'outsourcer'],
  [`/api/runs/${run}/events`, 'owner'],
  [`/runs/${run}`, 'owner'],
  [`/runs/${run}/activity`, 'owner'],
  ['/api/runbooks', 'owner'],
  ['/api/runbooks?q=parcel', 'owner'],
  ['/runbooks', 'owner'],
  ['/runbooks?q=pack', 'owner'],
  ['/api/people', 'owner'],
  ['/people', 'owner'],
  [`/people/${0}`, 'owner'],
  ['/api/roles', 'owner'],
  ['/api/gaps', 'owner'],
  ['/api/gaps/empty-roles', 'owner'],
  ['/api/gaps/unowned-steps', 'owner'],
  ['/api/gaps/unassigned-steps', 'owner'],
  ['/gaps', 'owner'],
  ['/', 'owner'],
  ['/my-work', 'owner'],
  ['/my-work', 'outsourcer'],
  [`/api/people/${0}/assignments`, 'owner'],
  [`/people/${0}/sheet`, 'owner'],
  [`/people/${0}/packet`, 'owner'],
  ['/my-work/sheet', 'outsourcer'],
  ['/my-work/packet', 'outsourcer'],
  [`/api/people/${0}/handoff`, 'owner'],
  [`/people/${0}/handoff?to=1`, 'owner'],
  [`/api/people/${0}/handoff?role=1`, 'owner'],
  ['/api/audit', 'owner'],
  ['/audit', 'owner'],
  ['/api/outbox', 'owner'],
  ['/api/outbox?status=sent', 'owner'],
  ['/outbox', 'owner'],
];

test.each(ROUTES.map(([url, who]) => [url.replace(/\b0\b/, String(ana.id)), who] as const))(
  'GET %s (as %s) scans none of runs, run_steps and run_events, nor the table it pages through',
  async (url, who) => {
    const { app, texts } = recordingApp(t.db);
    const res = await request(app)
      .get(url)
      .set(t.as(who === 'owner' ? t.owner : otto))
      .set('Accept', url.startsWith('/api') ? 'application/json' : 'text/html');
    expect(res.status).toBe(200);
    const reads = [...texts].filter((text) => /^\s*(SELECT|WITH)\b/i.test(text));
    // The statements that read a page (LIMIT @limit, or a run's newest events): every list route runs at least one.
    const pages = reads.filter((text) => /LIMIT @limit\b|ORDER BY e\.id DESC LIMIT \d+/.test(text));
    expect(pages.length).toBeGreaterThan(0);
    const own = Object.entries(OWN).find(([key]) => new RegExp(`^/(api/)?(gaps/)?${key}\\b`).test(url))?.[1] ?? [];
    expect([...reads.flatMap((text) => scans(t.db, text, BIG)), ...pages.flatMap((text) => scans(t.db, text, own))]).toEqual([]);
  },
);

test('the overdue filter asks each run it passes one question of its open steps by due time (the run_steps_open_due index), not of every step', async () => {
  const { app, texts } = recordingApp(t.db);
  await request(app).get('/api/runs?overdue=true').set(t.as(t.owner)).expect(200);
  const list = [...texts].find((text) => /FROM runs r/.test(text) && /s\.due_at < @now/.test(text)) as string;
  expect(list).toBeDefined();
  const names = new Set([...list.matchAll(/@(\w+)/g)].map((m) => m[1] as string));
  const plan = (
    t.db.prepare(`EXPLAIN QUERY PLAN ${list}`).all(Object.fromEntries([...names].map((n) => [n, null]))) as { detail: string }[]
  ).map((row) => row.detail);
  // Only the index's name is looked for, not SQLite's wording around it.
  expect(plan.filter((detail) => detail.includes('run_steps_open_due')).length).toBeGreaterThanOrEqual(1);
  expect(scans(t.db, list, BIG)).toEqual([]);
});
