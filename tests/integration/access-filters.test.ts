import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { startRun } from '../../server/runs/start';
import { createAccessLink } from '../../server/auth/links';
import { browserSession } from './auth-helpers';

/**
 * Filters and addresses never reveal: for every list route and every filter that names a
 * person, role, run or runbook, and every address that does, asking about one the caller may
 * not see answers exactly as asking about one that does not exist (same status, same body,
 * once the asked-for name or id itself is set aside). Walked with an outsourcer, a member and
 * an editor, signed in with a password and (member, editor) through a personal link.
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const alex = makePerson(t.db, { name: 'Alex Ant', email: 'alex@example.com', level: 'outsourcer' });
const bella = makePerson(t.db, { name: 'Bella Bravo', email: 'bella@example.com', level: 'outsourcer' });
const owner = t.owner;

const bookkeeper = makeRole(t.db, 'Bookkeeper', [bella]);
const opsLead = makeRole(t.db, 'Ops lead', [owner]);
makeRunbook(
  t.db,
  'shared',
  runbookMarkdown('Shared work', [
    { title: 'Alex part', owner: 'Alex Ant' },
    { title: 'Bella part', owner: 'Bookkeeper' },
    { title: 'Mia part', owner: 'Mia Member' },
  ]),
);
makeRunbook(
  t.db,
  'payroll',
  runbookMarkdown('Payroll', [
    { title: 'Bella payroll', owner: 'Bookkeeper' },
    { title: 'Mia payroll', owner: 'Mia Member' },
  ]),
);
makeRunbook(t.db, 'owner-only', runbookMarkdown('Owner only', [{ title: 'Owner part', owner: 'Ops lead' }]));
const shared = startRun(t.db, { runbook: 'shared', title: 'Shared run', startedBy: owner.id });
const payroll = startRun(t.db, { runbook: 'payroll', title: 'Payroll run', startedBy: owner.id });
const ownerOnly = startRun(t.db, { runbook: 'owner-only', title: 'Owner run', startedBy: owner.id });

const PEOPLE = [owner, editor, mia, alex, bella];
const RUNS = [shared, payroll, ownerOnly];
const RUNBOOKS = ['shared', 'payroll', 'owner-only'];
const ROLES = [bookkeeper, opsLead];
const MISSING = { person: 999999, run: 999998, runbook: 'no-such-runbook', role: { id: 999997, name: 'No such role' } };

interface Caller {
  name: string;
  me: PersonRow;
  headers: () => Record<string, string>;
  /**
   * What this caller may see; anything else must look as if it did not exist. A runbook may be
   * hidden as a runbook and still be named by a run of theirs (`runbooksOfRuns`, for the runs
   * list's filter).
   */
  sees: { people: PersonRow[]; runs: number[]; runbooks: string[]; runbooksOfRuns?: string[]; roles: typeof ROLES };
}
const password = (me: PersonRow) => () => browserSession(t.db, me.id).headers;
const link = (me: PersonRow) => () => browserSession(t.db, me.id, createAccessLink(t.db, t.links, me.id, owner.id).id).headers;
const everything = { people: PEOPLE, runs: RUNS, runbooks: RUNBOOKS, roles: ROLES };
const CALLERS: Caller[] = [
  {
    name: 'an outsourcer',
    me: alex,
    headers: password(alex),
    sees: { people: [alex], runs: [shared], runbooks: [], runbooksOfRuns: ['shared'], roles: [] },
  },
  { name: 'a member', me: mia, headers: password(mia), sees: everything },
  { name: 'an editor', me: editor, headers: password(editor), sees: everything },
  { name: "a member's link", me: mia, headers: link(mia), sees: { people: [mia], runs: [shared, payroll], runbooks: [], roles: [] } },
  { name: "an editor's link", me: editor, headers: link(editor), sees: { people: [editor], runs: [], runbooks: [], roles: [] } },
];

type Kind = 'person' | 'run' | 'runbook' | 'role';
interface Probe {
  kind: Kind;
  /** A filter of the runs list: a runbook the caller's runs name counts as seen. */
  ofRuns?: boolean;
  /** The address asking about one thing, given how the route names it. */
  url: (me: PersonRow, name: string) => string;
  /** How the route names a role: by id or by name. */
  roleBy?: 'id' | 'name';
}

/** Every list route's filters that name something, and every address that names one thing. */
const PROBES: Probe[] = [
  // List routes and their filters.
  { kind: 'person', url: (_me, id) => `/api/runs?assignee=${id}` },
  { kind: 'runbook', ofRuns: true, url: (_me, slug) => `/api/runs?runbook=${slug}` },
  { kind: 'person', url: (_me, id) => `/runs?assignee=${id}` },
  { kind: 'runbook', ofRuns: true, url: (_me, slug) => `/runs?runbook=${slug}` },
  { kind: 'role', roleBy: 'name', url: (_me, name) => `/api/runbooks?owner=${encodeURIComponent(name)}` },
  { kind: 'role', roleBy: 'name', url: (_me, name) => `/runbooks?owner=${encodeURIComponent(name)}` },
  { kind: 'person', url: (_me, id) => `/api/outbox?person=${id}` },
  { kind: 'person', url: (me, id) => `/api/people/${me.id}/handoff?to=${id}` },
  { kind: 'role', roleBy: 'id', url: (me, id) => `/api/people/${me.id}/handoff?role=${id}` },
  { kind: 'person', url: (me, id) => `/people/${me.id}/handoff?to=${id}` },
  { kind: 'role', roleBy: 'id', url: (me, id) => `/people/${me.id}/handoff?to=${me.id}&role=${id}` },
  // Addresses naming a person.
  { kind: 'person', url: (_me, id) => `/api/people/${id}` },
  { kind: 'person', url: (_me, id) => `/api/people/${id}/assignments` },
  { kind: 'person', url: (_me, id) => `/api/people/${id}/away` },
  { kind: 'person', url: (_me, id) => `/api/people/${id}/handoff` },
  { kind: 'person', url: (_me, id) => `/api/people/${id}/links` },
  { kind: 'person', url: (_me, id) => `/people/${id}` },
  { kind: 'person', url: (_me, id) => `/people/${id}/handoff` },
  { kind: 'person', url: (_me, id) => `/people/${id}/edit` },
  { kind: 'person', url: (_me, id) => `/people/${id}/sheet` },
  { kind: 'person', url: (_me, id) => `/people/${id}/packet` },
  // A run.
  { kind: 'run', url: (_me, id) => `/api/runs/${id}` },
  { kind: 'run', url: (_me, id) => `/runs/${id}` },
  { kind: 'run', url: (_me, id) => `/runs/${id}/print` },
  // A runbook.
  { kind: 'runbook', url: (_me, slug) => `/api/runbooks/${slug}` },
  { kind: 'runbook', url: (_me, slug) => `/api/runbooks/${slug}/versions` },
  { kind: 'runbook', url: (_me, slug) => `/api/runbooks/${slug}/export` },
  { kind: 'runbook', url: (_me, slug) => `/runbooks/${slug}` },
  { kind: 'runbook', url: (_me, slug) => `/runbooks/${slug}/diff` },
  { kind: 'runbook', url: (_me, slug) => `/runbooks/${slug}/print` },
  // A role.
  { kind: 'role', roleBy: 'id', url: (_me, id) => `/roles/${id}` },
];

/** Each thing of a kind as the probe names it, whether the caller sees it, and the missing one. */
function things(probe: Probe, caller: Caller): { name: string; seen: boolean }[] {
  switch (probe.kind) {
    case 'person':
      return PEOPLE.map((p) => ({ name: String(p.id), seen: caller.sees.people.includes(p) }));
    case 'run':
      return RUNS.map((id) => ({ name: String(id), seen: caller.sees.runs.includes(id) }));
    case 'runbook':
      return RUNBOOKS.map((slug) => ({
        name: slug,
        seen: caller.sees.runbooks.includes(slug) || (Boolean(probe.ofRuns) && (caller.sees.runbooksOfRuns ?? []).includes(slug)),
      }));
    case 'role':
      return ROLES.map((r) => ({ name: probe.roleBy === 'name' ? r.name : String(r.id), seen: caller.sees.roles.includes(r) }));
  }
}
function missing(probe: Probe): string {
  if (probe.kind === 'role') return probe.roleBy === 'name' ? MISSING.role.name : String(MISSING.role.id);
  return String(MISSING[probe.kind]);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An answer's status, type and text. */
const answer = (res: request.Response) => ({ status: res.status, type: res.type, body: res.text ?? JSON.stringify(res.body) });
/**
 * The answer about the missing thing as it would read had the hidden one been asked for: the
 * missing name or id (distinctive, found nowhere else) put back as the asked one, wherever the
 * answer echoes it ("Person 7 was not found", a filter shown as chosen).
 */
function asIfAsked(nothing: ReturnType<typeof answer>, missingName: string, asked: string) {
  let body = nothing.body;
  for (const [from, to] of [
    [missingName, asked],
    [encodeURIComponent(missingName), encodeURIComponent(asked)],
    [missingName.replace(/ /g, '+'), asked.replace(/ /g, '+')],
  ]) {
    body = body.replace(new RegExp(escapeRegExp(from as string), 'g'), to as string);
  }
  return { ...nothing, body };
}

describe.each(CALLERS.map((c) => [c.name, c] as const))('%s', (_name, caller) => {
  test.each(PROBES.map((p) => [p.url(caller.me, `<${p.kind}>`), p] as const))(
    '%s answers about what they may not see exactly as about what does not exist',
    async (_url, probe) => {
      const headers = caller.headers();
      const ask = (name: string) =>
        request(t.app)
          .get(probe.url(caller.me, name))
          .set(headers)
          .set('Accept', probe.url(caller.me, name).startsWith('/api/') ? 'application/json' : 'text/html');
      const nothing = answer(await ask(missing(probe)));
      const hidden = things(probe, caller).filter((thing) => !thing.seen);
      for (const thing of hidden) {
        expect({ asked: thing.name, ...answer(await ask(thing.name)) }).toEqual({
          asked: thing.name,
          ...asIfAsked(nothing, missing(probe), thing.name),
        });
      }
    },
  );
});

describe('the filters still work for what the caller may see', () => {
  test("an outsourcer's own assignee filter lists their run, anyone else's lists nothing", async () => {
    const headers = browserSession(t.db, alex.id).headers;
    const own = await request(t.app).get(`/api/runs?assignee=${alex.id}`).set(headers);
    expect(own.body.runs.map((r: { id: number }) => r.id)).toEqual([shared]);
    const coworker = await request(t.app).get(`/api/runs?assignee=${bella.id}`).set(headers);
    expect(coworker.body).toEqual({ runs: [], next: null });
  });

  test("a member's assignee filter finds a co-worker's runs", async () => {
    const headers = browserSession(t.db, mia.id).headers;
    const res = await request(t.app).get(`/api/runs?assignee=${owner.id}`).set(headers);
    expect(res.body.runs.map((r: { id: number }) => r.id)).toEqual([ownerOnly]);
  });
});
