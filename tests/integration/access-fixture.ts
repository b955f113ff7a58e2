import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import type { Actor } from '../../server/access/actor';
import { startRun } from '../../server/runs/start';
import { completeStep } from '../../server/runs/actions';
import { setCheck } from '../../server/runs/ticks';
import { setWaiting } from '../../server/runs/waiting';
import { upsertRoleMember } from '../../server/people/roles-repo';
import { createAccessLink } from '../../server/auth/links';

/**
 * Fixtures of the access table (access-table.test.ts): every route the app serves (read from
 * its router at test time) against every kind of visitor (each level, in by password, by API
 * token and by personal link, and anonymous), with the status each must get. Object-level
 * rules are exercised with real ids: a run with one step assigned to the outsourcer, another
 * to the member and a third to the owner.
 */

export type Level = 'outsourcer' | 'member' | 'editor' | 'owner';
export type Who = 'anonymous' | Level;
export const LEVELS: Level[] = ['outsourcer', 'member', 'editor', 'owner'];
export const WHO: Who[] = ['anonymous', ...LEVELS];
/** How someone came in: a browser session after a password, an API token, a personal link. */
export type Via = 'password' | 'token' | 'link';
export const VIAS: Via[] = ['password', 'token', 'link'];

/** A status, or a status and the start of the Location it must redirect to. */
export type Outcome = number | [number, string];

export interface Call {
  url: string;
  body?: Record<string, unknown> | string;
  contentType?: string;
}

export interface Row {
  method: string;
  /** The route as the router declares it. */
  route: string;
  /** Which object the row aims at, when a route has several rows. */
  what?: string;
  call: (who: Who, person: PersonRow | null) => Call;
  /** Anonymous, and each level signed in with their password. */
  expected: Record<Who, Outcome>;
  /** Each level by API token, where it differs from signing in with the password. */
  token?: Partial<Record<Level, Outcome>>;
  /** Each level by personal link: at most their own work (see OWN_WORK in access-table.test.ts). */
  link: Record<Level, Outcome>;
}

export const expected = (anonymous: Outcome, outsourcer: Outcome, member: Outcome, editor: Outcome, owner: Outcome) => ({
  anonymous,
  outsourcer,
  member,
  editor,
  owner,
});
export const SIGN_IN: Outcome = [303, '/sign-in?next='];

/** The same outcome for each level's personal link. */
export const everyLink = (outcome: Outcome): Record<Level, Outcome> => ({
  outsourcer: outcome,
  member: outcome,
  editor: outcome,
  owner: outcome,
});
/** Each level's personal link: the outsourcer's, the member's, the editor's, the owner's. */
export const byLink = (outsourcer: Outcome, member: Outcome, editor: Outcome, owner: Outcome): Record<Level, Outcome> => ({
  outsourcer,
  member,
  editor,
  owner,
});

export const t = testApp();

export const owner = t.owner;
export const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
export const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
export const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
export const people: Record<Level, PersonRow> = { owner, editor, member, outsourcer };
export const ownerActor: Actor = { id: owner.id, name: owner.name, email: owner.email, level: 'owner', via: 'token' };

// Step 1 is the outsourcer's, step 2 the member's, step 3 (required) keeps the run open.
makeRunbook(
  t.db,
  'ops',
  runbookMarkdown('Weekly ops', [
    { title: 'Otto step', owner: 'Otto Outsourcer', optional: true, checks: ['Otto check'] },
    { title: 'Mia step', owner: 'Mia Member', optional: true, checks: ['Mia check'] },
    { title: 'Final review', owner: 'Olive Owner' },
  ]),
);
// A runbook whose runs have no step of the outsourcer's.
makeRunbook(t.db, 'internal', runbookMarkdown('Internal only', [{ title: 'Mia alone', owner: 'Mia Member' }]));
export const run = startRun(t.db, { runbook: 'ops', title: 'Weekly ops run', startedBy: owner.id });
export const internalRun = startRun(t.db, { runbook: 'internal', title: 'Internal run', startedBy: owner.id });
export const OTTO_STEP = 1;
export const MIA_STEP = 2;

/**
 * The two runs' steps back with their people: a row that hands off all of its caller's steps
 * moves theirs too, and the rows after it must find the runs as the table describes them.
 */
export function restoreRuns() {
  const assign = t.db.prepare('UPDATE run_steps SET assignee_id = ? WHERE run_id = ? AND position = ?');
  assign.run(outsourcer.id, run, OTTO_STEP);
  assign.run(member.id, run, MIA_STEP);
  assign.run(owner.id, run, 3);
  assign.run(member.id, internalRun, 1);
}

/**
 * The outsourcer's link for a row that revokes it. Asked by the outsourcer themself (refused
 * before the link is looked at), an id of no live link: making one would end the very link
 * the outsourcer came in with.
 */
export const linkToRevoke = (who: Who) => (who === 'outsourcer' ? 999_999 : createAccessLink(t.db, t.links, outsourcer.id, owner.id).id);

export let serial = 0;
export const next = () => ++serial;
export const freshRun = () => startRun(t.db, { runbook: 'ops', title: `Run ${next()}`, startedBy: owner.id });
export const tickedRun = (position: number) => {
  const id = freshRun();
  setCheck(t.db, id, position, 0, { actor: ownerActor, rule: 'step.work' }, true);
  return id;
};
export const completedRun = (position: number) => {
  const id = tickedRun(position);
  completeStep(t.db, id, position, { actor: ownerActor, rule: 'step.work' }, null);
  return id;
};
/** A fresh run whose step at `position` waits on something (for the rows that lift it). */
export const waitingRun = (position: number) => {
  const id = freshRun();
  setWaiting(t.db, id, position, { actor: ownerActor, rule: 'step.work' }, 'the customer’s address');
  return id;
};
export const throwaway = (level: PersonRow['access_level']) =>
  makePerson(t.db, { name: `Throwaway ${next()}`, email: `throwaway${serial}@example.com`, level });
export const role = makeRole(t.db, 'Table role');
export const pageRole = makeRole(t.db, 'Page table role');
/** A throwaway member put in the page role, for a row that changes their membership. */
export const inPageRole = () => {
  const person = throwaway('member');
  upsertRoleMember(t.db, pageRole.id, person.id, undefined);
  return person;
};

/** Step actions on the outsourcer's step and on the member's, for any action. */
export const stepRows = (
  action: string,
  route: string,
  prepare: (position: number) => number,
  suffix: string,
  body: Record<string, unknown> = {},
): Row[] => [
  {
    method: 'POST',
    route,
    what: `the outsourcer's step, ${action}`,
    call: () => ({ url: `/api/runs/${prepare(OTTO_STEP)}/steps/${OTTO_STEP}/${suffix}`, body }),
    expected: expected(401, 200, 403, 200, 200),
    // A link sees only its person's own steps: anyone else's is not there.
    link: byLink(200, 404, 404, 404),
  },
  {
    method: 'POST',
    route,
    what: `the member's step, ${action}`,
    call: () => ({ url: `/api/runs/${prepare(MIA_STEP)}/steps/${MIA_STEP}/${suffix}`, body }),
    expected: expected(401, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
];

/** The run page's step forms: on success back to the run (303); refused to the team, the page with the reason (403). */
export const pageStepRows = (
  action: string,
  prepare: (position: number) => number,
  suffix: string,
  body: Record<string, unknown> = {},
): Row[] => {
  const route = `/runs/:id/steps/:position/${suffix.replace(/^checks\/0\//, 'checks/:index/')}`;
  const back: Outcome = [303, '/runs/'];
  return [
    {
      method: 'POST',
      route,
      what: `the outsourcer's step, ${action}`,
      call: () => ({ url: `/runs/${prepare(OTTO_STEP)}/steps/${OTTO_STEP}/${suffix}`, body }),
      expected: expected(SIGN_IN, back, action === 'note' ? back : 403, back, back),
      link: byLink(back, 404, 404, 404),
    },
    {
      method: 'POST',
      route,
      what: `the member's step, ${action}`,
      call: () => ({ url: `/runs/${prepare(MIA_STEP)}/steps/${MIA_STEP}/${suffix}`, body }),
      expected: expected(SIGN_IN, 404, back, back, back),
      link: byLink(404, back, 404, 404),
    },
  ];
};
export const throwawayRunbook = (archived = false) => {
  const slug = makeRunbook(t.db, `throwaway-${next()}`, runbookMarkdown(`Throwaway ${serial}`, [{ title: 'One' }]));
  if (archived) t.db.prepare("UPDATE runbooks SET archived_at = '2026-01-01T00:00:00.000Z' WHERE slug = ?").run(slug);
  return slug;
};
export const opsSource = () =>
  (
    t.db.prepare('SELECT v.source FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id WHERE b.slug = ?').get('ops') as {
      source: string;
    }
  ).source;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** A holiday in the future, a different one each time: it never makes anyone in the table away today. */
export const futureAbsence = () => {
  const start = 30 + 2 * next();
  return { from: day(start), to: day(start + 1) };
};
/** Gives the person the first step of a fresh run, so that a hand-off has something to move. */
export const withAStep = (person: PersonRow) => {
  t.db.prepare('UPDATE run_steps SET assignee_id = ? WHERE run_id = ? AND position = 1').run(person.id, freshRun());
  return person;
};
/** The ids of a person's open steps, as a hand-off preview lists them. */
export const openStepIds = (person: PersonRow) =>
  (
    t.db
      .prepare(
        "SELECT s.id FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.assignee_id = ? AND s.status = 'open' AND r.status = 'open'",
      )
      .all(person.id) as { id: number }[]
  )
    .map((r) => r.id)
    .join(',');
