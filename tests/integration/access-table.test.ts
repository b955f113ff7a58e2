import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import type { Actor } from '../../server/access/actor';
import { startRun } from '../../server/runs/start';
import { completeStep, setCheck } from '../../server/runs/actions';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink, createInvitation } from '../../server/auth/links';
import { upsertRoleMember } from '../../server/people/repo';
import { appRoutes, browserSession } from './auth-helpers';

/**
 * The access table: every route the app serves (read from its router at test time) against
 * every kind of visitor, with the status each must get. Object-level rules are exercised with
 * real ids: a run with one step assigned to the outsourcer and another to the member.
 */

type Who = 'anonymous' | 'outsourcer' | 'member' | 'editor' | 'owner';
const WHO: Who[] = ['anonymous', 'outsourcer', 'member', 'editor', 'owner'];

/** A status, or a status and the start of the Location it must redirect to. */
type Outcome = number | [number, string];

interface Call {
  url: string;
  body?: Record<string, unknown> | string;
  contentType?: string;
}

interface Row {
  method: string;
  /** The route as the router declares it. */
  route: string;
  /** Which object the row aims at, when a route has several rows. */
  what?: string;
  call: (who: Who, person: PersonRow | null) => Call;
  expected: Record<Who, Outcome>;
}

const expected = (anonymous: Outcome, outsourcer: Outcome, member: Outcome, editor: Outcome, owner: Outcome) => ({
  anonymous, outsourcer, member, editor, owner,
});
const SIGN_IN: Outcome = [303, '/sign-in?next='];

const t = testApp();
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const owner = t.owner;
const editor = makePerson(t.db, { name: 'Eddie Editor', email: 'eddie@example.com', level: 'editor' });
const member = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });
const outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', email: 'otto@example.com', level: 'outsourcer' });
const people: Record<Exclude<Who, 'anonymous'>, PersonRow> = { owner, editor, member, outsourcer };
const ownerActor: Actor = { id: owner.id, name: owner.name, email: owner.email, level: 'owner', via: 'token' };

// Step 1 is the outsourcer's, step 2 the member's, step 3 (required) keeps the run open.
makeRunbook(t.db, 'ops', runbookMarkdown('Weekly ops', [
  { title: 'Otto step', owner: 'Otto Outsourcer', optional: true, checks: ['Otto check'] },
  { title: 'Mia step', owner: 'Mia Member', optional: true, checks: ['Mia check'] },
  { title: 'Final review', owner: 'Olive Owner' },
]));
// A runbook whose runs have no step of the outsourcer's.
makeRunbook(t.db, 'internal', runbookMarkdown('Internal only', [{ title: 'Mia alone', owner: 'Mia Member' }]));
const run = startRun(t.db, { runbook: 'ops', title: 'Weekly ops run', startedBy: owner.id });
const internalRun = startRun(t.db, { runbook: 'internal', title: 'Internal run', startedBy: owner.id });
const OTTO_STEP = 1;
const MIA_STEP = 2;

let serial = 0;
const next = () => ++serial;
const freshRun = () => startRun(t.db, { runbook: 'ops', title: `Run ${next()}`, startedBy: owner.id });
const tickedRun = (position: number) => {
  const id = freshRun();
  setCheck(t.db, id, position, 0, { actor: ownerActor, rule: 'step.work' }, true);
  return id;
};
const completedRun = (position: number) => {
  const id = tickedRun(position);
  completeStep(t.db, id, position, { actor: ownerActor, rule: 'step.work' }, null);
  return id;
};
const throwaway = (level: PersonRow['access_level']) => makePerson(t.db, { name: `Throwaway ${next()}`, email: `throwaway${serial}@example.com`, level });
const role = makeRole(t.db, 'Table role');
const pageRole = makeRole(t.db, 'Page table role');
/** A throwaway member put in the page role, for a row that changes their membership. */
const inPageRole = () => {
  const person = throwaway('member');
  upsertRoleMember(t.db, pageRole.id, person.id, undefined);
  return person;
};

/** Step actions on the outsourcer's step and on the member's, for any action. */
const stepRows = (
  action: string,
  route: string,
  prepare: (position: number) => number,
  suffix: string,
  body: Record<string, unknown> = {},
): Row[] => [
  {
    method: 'POST', route, what: `the outsourcer's step, ${action}`,
    call: () => ({ url: `/api/runs/${prepare(OTTO_STEP)}/steps/${OTTO_STEP}/${suffix}`, body }),
    expected: expected(401, 200, 403, 200, 200),
  },
  {
    method: 'POST', route, what: `the member's step, ${action}`,
    call: () => ({ url: `/api/runs/${prepare(MIA_STEP)}/steps/${MIA_STEP}/${suffix}`, body }),
    expected: expected(401, 404, 200, 200, 200),
  },
];

/** The run page's step forms: on success back to the run (303); refused to the team, the page with the reason (403). */
const pageStepRows = (
  action: string,
  prepare: (position: number) => number,
  suffix: string,
  body: Record<string, unknown> = {},
): Row[] => {
  const route = `/runs/:id/steps/:position/${suffix.replace(/^checks\/0\//, 'checks/:index/')}`;
  const back: Outcome = [303, '/runs/'];
  return [
    {
      method: 'POST', route, what: `the outsourcer's step, ${action}`,
      call: () => ({ url: `/runs/${prepare(OTTO_STEP)}/steps/${OTTO_STEP}/${suffix}`, body }),
      expected: expected(SIGN_IN, back, action === 'note' ? back : 403, back, back),
    },
    {
      method: 'POST', route, what: `the member's step, ${action}`,
      call: () => ({ url: `/runs/${prepare(MIA_STEP)}/steps/${MIA_STEP}/${suffix}`, body }),
      expected: expected(SIGN_IN, 404, back, back, back),
    },
  ];
};
const throwawayRunbook = (archived = false) => {
  const slug = makeRunbook(t.db, `throwaway-${next()}`, runbookMarkdown(`Throwaway ${serial}`, [{ title: 'One' }]));
  if (archived) t.db.prepare("UPDATE runbooks SET archived_at = '2026-01-01T00:00:00.000Z' WHERE slug = ?").run(slug);
  return slug;
};
const opsSource = () => (t.db.prepare('SELECT v.source FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id WHERE b.slug = ?').get('ops') as { source: string }).source;

const rows: Row[] = [
  // Runs
  {
    method: 'POST', route: '/api/runs',
    call: (who) => ({ url: '/api/runs', body: { runbook: 'ops', title: `Started by ${who}` } }),
    expected: expected(401, 403, 201, 201, 201),
  },
  { method: 'GET', route: '/api/runs', call: () => ({ url: '/api/runs' }), expected: expected(401, 200, 200, 200, 200) },
  {
    method: 'GET', route: '/api/runs/:id', what: 'a run with a step of everyone',
    call: () => ({ url: `/api/runs/${run}` }), expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'GET', route: '/api/runs/:id', what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/api/runs/${internalRun}` }), expected: expected(401, 404, 200, 200, 200),
  },
  ...stepRows('complete', '/api/runs/:id/steps/:position/complete', tickedRun, 'complete', { note: 'done' }),
  ...stepRows('reopen', '/api/runs/:id/steps/:position/reopen', completedRun, 'reopen'),
  ...stepRows('skip', '/api/runs/:id/steps/:position/skip', () => freshRun(), 'skip'),
  ...stepRows('tick', '/api/runs/:id/steps/:position/checks/:index/tick', () => freshRun(), 'checks/0/tick'),
  ...stepRows('untick', '/api/runs/:id/steps/:position/checks/:index/untick', tickedRun, 'checks/0/untick'),
  {
    method: 'POST', route: '/api/runs/:id/steps/:position/note', what: "the outsourcer's step",
    call: () => ({ url: `/api/runs/${run}/steps/${OTTO_STEP}/note`, body: { note: 'a note' } }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'POST', route: '/api/runs/:id/steps/:position/note', what: "the member's step",
    call: () => ({ url: `/api/runs/${run}/steps/${MIA_STEP}/note`, body: { note: 'a note' } }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'POST', route: '/api/runs/:id/steps/:position/reassign', what: "the outsourcer's step",
    call: () => ({ url: `/api/runs/${freshRun()}/steps/${OTTO_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(401, 404, 403, 200, 200),
  },
  {
    method: 'POST', route: '/api/runs/:id/steps/:position/reassign', what: "the member's step",
    call: () => ({ url: `/api/runs/${freshRun()}/steps/${MIA_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(401, 404, 200, 200, 200),
  },

  // Runbooks
  { method: 'GET', route: '/api/runbooks', call: () => ({ url: '/api/runbooks' }), expected: expected(401, 403, 200, 200, 200) },
  { method: 'GET', route: '/api/runbooks/:slug', call: () => ({ url: '/api/runbooks/ops' }), expected: expected(401, 404, 200, 200, 200) },
  {
    method: 'GET', route: '/api/runbooks/:slug/export',
    call: () => ({ url: '/api/runbooks/ops/export' }), expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET', route: '/api/runbooks/:slug/versions',
    call: () => ({ url: '/api/runbooks/ops/versions' }), expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET', route: '/api/runbooks/:slug/versions/:number',
    call: () => ({ url: '/api/runbooks/ops/versions/1' }), expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'PUT', route: '/api/runbooks/:slug',
    call: (who) => ({
      url: `/api/runbooks/new-by-${who}`, body: runbookMarkdown(`New by ${who}`, [{ title: 'One' }]), contentType: 'text/markdown',
    }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'POST', route: '/api/runbooks/:slug/archive',
    call: () => ({ url: '/api/runbooks/ops/archive', body: { archived: false } }),
    expected: expected(401, 404, 403, 200, 200),
  },
  { method: 'POST', route: '/api/import', call: () => ({ url: '/api/import' }), expected: expected(401, 403, 403, 200, 200) },

  // People and roles
  { method: 'GET', route: '/api/people', call: () => ({ url: '/api/people' }), expected: expected(401, 403, 200, 200, 200) },
  {
    method: 'POST', route: '/api/people',
    call: (who) => ({ url: '/api/people', body: { name: `Made by ${who}`, email: `made-by-${who}@example.com` } }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'GET', route: '/api/people/:id', what: 'the member',
    call: () => ({ url: `/api/people/${member.id}` }), expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET', route: '/api/people/:id', what: 'the outsourcer',
    call: () => ({ url: `/api/people/${outsourcer.id}` }), expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'PATCH', route: '/api/people/:id', what: 'another member',
    call: () => ({ url: `/api/people/${throwaway('member').id}`, body: { hourlyCost: 10 } }),
    expected: expected(401, 404, 403, 403, 200),
  },
  {
    method: 'GET', route: '/api/people/:id/assignments', what: 'the member',
    call: () => ({ url: `/api/people/${member.id}/assignments` }), expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET', route: '/api/people/:id/assignments', what: 'the outsourcer',
    call: () => ({ url: `/api/people/${outsourcer.id}/assignments` }), expected: expected(401, 200, 200, 200, 200),
  },
  { method: 'GET', route: '/api/roles', call: () => ({ url: '/api/roles' }), expected: expected(401, 403, 200, 200, 200) },
  {
    method: 'POST', route: '/api/roles',
    call: (who) => ({ url: '/api/roles', body: { name: `Role by ${who}` } }), expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'POST', route: '/api/roles/:id/members',
    call: () => ({ url: `/api/roles/${role.id}/members`, body: { person: member.id } }), expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'DELETE', route: '/api/roles/:id/members/:personId',
    call: () => {
      upsertRoleMember(t.db, role.id, member.id, undefined);
      return { url: `/api/roles/${role.id}/members/${member.id}` };
    },
    expected: expected(401, 403, 403, 200, 200),
  },
  { method: 'GET', route: '/api/gaps', call: () => ({ url: '/api/gaps' }), expected: expected(401, 403, 403, 200, 200) },

  // Own account, invitations, links, audit
  { method: 'GET', route: '/api/me', call: () => ({ url: '/api/me' }), expected: expected(401, 200, 200, 200, 200) },
  { method: 'GET', route: '/api/me/tokens', call: () => ({ url: '/api/me/tokens' }), expected: expected(401, 200, 200, 200, 200) },
  {
    method: 'POST', route: '/api/me/tokens',
    // Every caller here has a Bearer token, and tokens are made only at a browser (session).
    call: (who) => ({ url: '/api/me/tokens', body: { name: `script of ${who}` } }), expected: expected(401, 403, 403, 403, 403),
  },
  {
    method: 'POST', route: '/api/me/tokens/:id/revoke',
    call: (_who, person) => ({ url: `/api/me/tokens/${createApiToken(t.db, (person ?? owner).id, 'to revoke').row.id}/revoke` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'POST', route: '/api/people/:id/invitation', what: 'a member-level person',
    call: () => ({ url: `/api/people/${throwaway('member').id}/invitation` }), expected: expected(401, 404, 404, 201, 201),
  },
  {
    method: 'POST', route: '/api/people/:id/invitation', what: 'an editor-level person',
    call: () => ({ url: `/api/people/${throwaway('editor').id}/invitation` }), expected: expected(401, 404, 404, 404, 201),
  },
  {
    method: 'POST', route: '/api/people/:id/invitation', what: 'an owner-level person',
    call: () => ({ url: `/api/people/${throwaway('owner').id}/invitation` }), expected: expected(401, 404, 404, 404, 201),
  },
  {
    method: 'GET', route: '/api/people/:id/links',
    call: () => ({ url: `/api/people/${outsourcer.id}/links` }), expected: expected(401, 404, 404, 200, 200),
  },
  {
    method: 'POST', route: '/api/people/:id/links',
    call: () => ({ url: `/api/people/${outsourcer.id}/links` }), expected: expected(401, 404, 404, 201, 201),
  },
  {
    method: 'POST', route: '/api/people/:id/links/:linkId/revoke',
    call: () => ({ url: `/api/people/${outsourcer.id}/links/${createAccessLink(t.db, outsourcer.id, owner.id).id}/revoke` }),
    expected: expected(401, 404, 404, 200, 200),
  },
  { method: 'GET', route: '/api/audit', call: () => ({ url: '/api/audit' }), expected: expected(401, 403, 403, 403, 200) },

  // Pages
  { method: 'GET', route: '/sign-in', call: () => ({ url: '/sign-in' }), expected: expected(200, [303, '/'], [303, '/'], [303, '/'], [303, '/']) },
  {
    // Wrong credentials get the form again, for anyone (each asks about its own unknown email).
    method: 'POST', route: '/sign-in',
    call: (who) => ({ url: '/sign-in', body: { email: `nobody-${who}@example.com`, password: 'not the password' } }),
    expected: expected(401, 401, 401, 401, 401),
  },
  {
    method: 'POST', route: '/sign-out', call: () => ({ url: '/sign-out' }),
    expected: expected([303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in']),
  },
  {
    // Set-up is done: no set-up link works any more.
    method: 'GET', route: '/setup/:token', call: () => ({ url: '/setup/not-a-real-setup-token' }),
    expected: expected(404, 404, 404, 404, 404),
  },
  {
    method: 'POST', route: '/setup/:token',
    call: () => ({ url: '/setup/not-a-real-setup-token', body: { name: 'Mallory', email: 'mallory@example.com', password: 'a long enough passphrase' } }),
    expected: expected(404, 404, 404, 404, 404),
  },
  {
    method: 'GET', route: '/invite/:token', what: 'an open invitation',
    call: () => ({ url: `/invite/${createInvitation(t.db, throwaway('member').id, owner.id).token}` }),
    expected: expected(200, 200, 200, 200, 200),
  },
  {
    method: 'POST', route: '/invite/:token', what: 'an open invitation',
    call: () => ({ url: `/invite/${createInvitation(t.db, throwaway('member').id, owner.id).token}`, body: { password: 'a long enough passphrase' } }),
    expected: expected([303, '/'], [303, '/'], [303, '/'], [303, '/'], [303, '/']),
  },
  {
    method: 'GET', route: '/l/:token', what: "a live link of the outsourcer's",
    call: () => ({ url: `/l/${createAccessLink(t.db, outsourcer.id, owner.id).token}` }),
    expected: expected([303, '/my-work'], [303, '/my-work'], [303, '/my-work'], [303, '/my-work'], [303, '/my-work']),
  },
  { method: 'GET', route: '/', call: () => ({ url: '/' }), expected: expected(SIGN_IN, [303, '/my-work'], 200, 200, 200) },
  { method: 'GET', route: '/my-work', call: () => ({ url: '/my-work' }), expected: expected(SIGN_IN, 200, 200, 200, 200) },
  { method: 'GET', route: '/audit', call: () => ({ url: '/audit' }), expected: expected(SIGN_IN, 403, 403, 403, 200) },

  // Run pages
  { method: 'GET', route: '/runs', call: () => ({ url: '/runs' }), expected: expected(SIGN_IN, 200, 200, 200, 200) },
  {
    method: 'GET', route: '/runs/:id', what: 'a run with a step of everyone',
    call: () => ({ url: `/runs/${run}` }), expected: expected(SIGN_IN, 200, 200, 200, 200),
  },
  {
    method: 'GET', route: '/runs/:id', what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/runs/${internalRun}` }), expected: expected(SIGN_IN, 404, 200, 200, 200),
  },
  ...pageStepRows('tick', () => freshRun(), 'checks/0/tick'),
  ...pageStepRows('untick', tickedRun, 'checks/0/untick'),
  ...pageStepRows('complete', tickedRun, 'complete', { note: 'done' }),
  ...pageStepRows('skip', () => freshRun(), 'skip'),
  ...pageStepRows('reopen', completedRun, 'reopen'),
  ...pageStepRows('note', () => run, 'note', { note: 'a note' }),
  {
    method: 'POST', route: '/runs/:id/steps/:position/reassign', what: "the outsourcer's step",
    call: () => ({ url: `/runs/${freshRun()}/steps/${OTTO_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runs/'], [303, '/runs/']),
  },
  {
    method: 'POST', route: '/runs/:id/steps/:position/reassign', what: "the member's step",
    call: () => ({ url: `/runs/${freshRun()}/steps/${MIA_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(SIGN_IN, 404, [303, '/runs/'], [303, '/runs/'], [303, '/runs/']),
  },

  // Library pages
  { method: 'GET', route: '/runbooks', call: () => ({ url: '/runbooks' }), expected: expected(SIGN_IN, 403, 200, 200, 200) },
  { method: 'GET', route: '/runbooks/new', call: () => ({ url: '/runbooks/new' }), expected: expected(SIGN_IN, 403, 403, 200, 200) },
  {
    method: 'POST', route: '/runbooks/new',
    call: (who) => ({ url: '/runbooks/new', body: { slug: `page-new-${who}`, action: 'save', source: runbookMarkdown(`Page new ${who}`, [{ title: 'One' }]) } }),
    expected: expected(SIGN_IN, 403, 403, [303, '/runbooks/page-new-editor?done=created'], [303, '/runbooks/page-new-owner?done=created']),
  },
  { method: 'GET', route: '/runbooks/:slug', call: () => ({ url: '/runbooks/ops' }), expected: expected(SIGN_IN, 404, 200, 200, 200) },
  { method: 'GET', route: '/runbooks/:slug/edit', call: () => ({ url: '/runbooks/ops/edit' }), expected: expected(SIGN_IN, 404, 403, 200, 200) },
  {
    // The same text again: saved as "unchanged", so the runbook the other rows use stays as it is.
    method: 'POST', route: '/runbooks/:slug/edit',
    call: () => ({ url: '/runbooks/ops/edit', body: { source: opsSource(), action: 'save' } }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/ops?done=unchanged'], [303, '/runbooks/ops?done=unchanged']),
  },
  { method: 'GET', route: '/runbooks/:slug/diff', call: () => ({ url: '/runbooks/ops/diff' }), expected: expected(SIGN_IN, 404, 200, 200, 200) },
  {
    method: 'POST', route: '/runbooks/:slug/runs',
    call: (who) => ({ url: '/runbooks/ops/runs', body: { title: `Started on the page by ${who}` } }),
    expected: expected(SIGN_IN, 404, [303, '/runs/'], [303, '/runs/'], [303, '/runs/']),
  },
  {
    method: 'POST', route: '/runbooks/:slug/archive',
    call: () => ({ url: `/runbooks/${throwawayRunbook()}/archive` }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/throwaway-'], [303, '/runbooks/throwaway-']),
  },
  {
    method: 'POST', route: '/runbooks/:slug/restore',
    call: () => ({ url: `/runbooks/${throwawayRunbook(true)}/restore` }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/throwaway-'], [303, '/runbooks/throwaway-']),
  },
  { method: 'GET', route: '/account', call: () => ({ url: '/account' }), expected: expected(SIGN_IN, 200, 200, 200, 200) },
  {
    method: 'POST', route: '/account/tokens',
    call: (who) => ({ url: '/account/tokens', body: { name: `page token of ${who}` } }), expected: expected(SIGN_IN, 201, 201, 201, 201),
  },
  {
    method: 'POST', route: '/account/tokens/:id/revoke',
    call: (_who, person) => ({ url: `/account/tokens/${createApiToken(t.db, (person ?? owner).id, 'to revoke').row.id}/revoke` }),
    expected: expected(SIGN_IN, [303, '/account'], [303, '/account'], [303, '/account'], [303, '/account']),
  },

  // People and roles (pages): an outsourcer may not know of other people (404), nor open these pages at all (403).
  { method: 'GET', route: '/people', call: () => ({ url: '/people' }), expected: expected(SIGN_IN, 403, 200, 200, 200) },
  {
    method: 'POST', route: '/people',
    call: (who) => ({ url: '/people', body: { name: `Page-made by ${who}`, email: `page-made-by-${who}@example.com`, access: 'none' } }),
    expected: expected(SIGN_IN, 403, 403, [303, '/people/'], [303, '/people/']),
  },
  {
    method: 'GET', route: '/people/:id', what: 'the member',
    call: () => ({ url: `/people/${member.id}` }), expected: expected(SIGN_IN, 404, 200, 200, 200),
  },
  {
    // The outsourcer's own profile is theirs to see.
    method: 'GET', route: '/people/:id', what: 'the outsourcer',
    call: () => ({ url: `/people/${outsourcer.id}` }), expected: expected(SIGN_IN, 200, 200, 200, 200),
  },
  {
    method: 'GET', route: '/people/:id/edit',
    call: () => ({ url: `/people/${member.id}/edit` }), expected: expected(SIGN_IN, 404, 403, 403, 200),
  },
  {
    method: 'POST', route: '/people/:id/edit',
    call: () => {
      const person = throwaway('member');
      return { url: `/people/${person.id}/edit`, body: { name: person.name, email: person.email, kind: 'team', hourlyCost: '10' } };
    },
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
  },
  {
    method: 'POST', route: '/people/:id/invitation', what: 'a member-level person',
    call: () => ({ url: `/people/${throwaway('member').id}/invitation` }), expected: expected(SIGN_IN, 404, 403, 201, 201),
  },
  {
    method: 'POST', route: '/people/:id/invitation', what: 'an editor-level person',
    call: () => ({ url: `/people/${throwaway('editor').id}/invitation` }), expected: expected(SIGN_IN, 404, 403, 403, 201),
  },
  {
    method: 'POST', route: '/people/:id/links',
    call: () => ({ url: `/people/${outsourcer.id}/links` }), expected: expected(SIGN_IN, 403, 403, 201, 201),
  },
  {
    method: 'POST', route: '/people/:id/links/:linkId/revoke',
    call: () => ({ url: `/people/${outsourcer.id}/links/${createAccessLink(t.db, outsourcer.id, owner.id).id}/revoke` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/people/'], [303, '/people/']),
  },
  {
    method: 'POST', route: '/people/:id/level',
    call: () => ({ url: `/people/${throwaway('member').id}/level`, body: { level: 'editor' } }),
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
  },
  {
    method: 'POST', route: '/people/:id/active',
    call: () => ({ url: `/people/${throwaway('member').id}/active`, body: { active: '0', confirm: 'yes' } }),
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
  },
  {
    method: 'POST', route: '/roles',
    call: (who) => ({ url: '/roles', body: { roleName: `Page role by ${who}` } }), expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
  },
  { method: 'GET', route: '/roles/:id', call: () => ({ url: `/roles/${pageRole.id}` }), expected: expected(SIGN_IN, 403, 200, 200, 200) },
  {
    method: 'POST', route: '/roles/:id/members',
    call: () => ({ url: `/roles/${pageRole.id}/members`, body: { person: String(throwaway('member').id) } }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
  },
  {
    method: 'POST', route: '/roles/:id/members/:personId/primary',
    call: () => ({ url: `/roles/${pageRole.id}/members/${inPageRole().id}/primary` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
  },
  {
    method: 'POST', route: '/roles/:id/members/:personId/remove',
    call: () => ({ url: `/roles/${pageRole.id}/members/${inPageRole().id}/remove` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
  },
];

const isApi = (route: string) => route === '/api' || route.startsWith('/api/');
const key = (method: string, route: string) => `${method} ${route}`;

/**
 * One request as `who`: the API through a Bearer token (as scripts use it), pages through a
 * browser session of their own (signed in, or a visitor's) with its CSRF token on every form.
 */
async function send(row: Row, who: Who) {
  const person = who === 'anonymous' ? null : people[who];
  const call = row.call(who, person);
  let req = request(t.app)[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](call.url);
  if (isApi(row.route)) {
    if (person) req = req.set(t.as(person));
    if (call.contentType) return req.set('Content-Type', call.contentType).send(call.body as string);
    return row.method === 'GET' ? req : req.send(call.body ?? {});
  }
  const session = browserSession(t.db, person?.id ?? null);
  req = req.set(session.headers).set('Accept', 'text/html');
  return row.method === 'GET' ? req : req.type('form').send({ ...(call.body as object | undefined), _csrf: session.csrf });
}

describe('the access table', () => {
  test('has a row for every route the app serves, and every row names a route it serves', () => {
    const served = new Set(appRoutes(t.app).map((r) => key(r.method, r.path)));
    const inTable = new Set(rows.map((r) => key(r.method, r.route)));
    expect(served.size).toBeGreaterThan(40);
    expect({ withoutRow: [...served].filter((k) => !inTable.has(k)), notServed: [...inTable].filter((k) => !served.has(k)) }).toEqual({
      withoutRow: [],
      notServed: [],
    });
  });

  test('refuses anonymous API requests with 401 and sends anonymous page visits to sign in, bar the sign-in, set-up, invitation and link pages', () => {
    const open = new Set(['/sign-in', '/sign-out', '/setup/:token', '/invite/:token', '/l/:token']);
    for (const row of rows) {
      const outcome = row.expected.anonymous;
      if (isApi(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), 401]);
      else if (!open.has(row.route)) expect([key(row.method, row.route), outcome]).toEqual([key(row.method, row.route), SIGN_IN]);
    }
  });
});

describe.each(rows.map((row) => [`${key(row.method, row.route)}${row.what ? ` (${row.what})` : ''}`, row] as const))('%s', (_name, row) => {
  test.each(WHO.map((who) => [who, row.expected[who]] as const))('as %s answers %j', async (who, outcome) => {
    const res = await send(row, who);
    const [status, location] = typeof outcome === 'number' ? [outcome, undefined] : outcome;
    expect({ status: res.status, location: location === undefined ? undefined : res.headers.location?.slice(0, location.length) }).toEqual({
      status,
      location,
    });
    if (isApi(row.route) && status === 401) expect(res.body.error.code).toBe('sign-in-required');
    if (isApi(row.route) && status === 403) expect(res.body.error.code).toBe('forbidden');
    if (isApi(row.route) && status === 404) expect(res.body.error.code).toBe('not-found');
  });
});
