import { runbookMarkdown } from '../helpers/factories';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink } from '../../server/auth/links';
import { upsertRoleMember } from '../../server/people/roles-repo';
import {
  expected,
  t,
  owner,
  editor,
  member,
  outsourcer,
  run,
  internalRun,
  OTTO_STEP,
  MIA_STEP,
  freshRun,
  tickedRun,
  completedRun,
  throwaway,
  role,
  stepRows,
  futureAbsence,
  withAStep,
  type Row,
} from './access-fixture';
import { addAwayPeriod } from '../../server/people/absences';

/** Rows of the access table for the JSON API. */
export const apiRows: Row[] = [
  // Runs
  {
    method: 'POST',
    route: '/api/runs',
    call: (who) => ({ url: '/api/runs', body: { runbook: 'ops', title: `Started by ${who}` } }),
    expected: expected(401, 403, 201, 201, 201),
  },
  { method: 'GET', route: '/api/runs', call: () => ({ url: '/api/runs' }), expected: expected(401, 200, 200, 200, 200) },
  {
    method: 'GET',
    route: '/api/runs/:id',
    what: 'a run with a step of everyone',
    call: () => ({ url: `/api/runs/${run}` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/runs/:id',
    what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/api/runs/${internalRun}` }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/runs/:id/events',
    what: 'a run with a step of everyone',
    call: () => ({ url: `/api/runs/${run}/events` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/runs/:id/events',
    what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/api/runs/${internalRun}/events` }),
    expected: expected(401, 404, 200, 200, 200),
  },
  ...stepRows('complete', '/api/runs/:id/steps/:position/complete', tickedRun, 'complete', { note: 'done' }),
  ...stepRows('reopen', '/api/runs/:id/steps/:position/reopen', completedRun, 'reopen'),
  ...stepRows('skip', '/api/runs/:id/steps/:position/skip', () => freshRun(), 'skip'),
  ...stepRows('tick', '/api/runs/:id/steps/:position/checks/:index/tick', () => freshRun(), 'checks/0/tick'),
  ...stepRows('untick', '/api/runs/:id/steps/:position/checks/:index/untick', tickedRun, 'checks/0/untick'),
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/note',
    what: "the outsourcer's step",
    call: () => ({ url: `/api/runs/${run}/steps/${OTTO_STEP}/note`, body: { note: 'a note' } }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/note',
    what: "the member's step",
    call: () => ({ url: `/api/runs/${run}/steps/${MIA_STEP}/note`, body: { note: 'a note' } }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/reassign',
    what: "the outsourcer's step",
    call: () => ({ url: `/api/runs/${freshRun()}/steps/${OTTO_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(401, 404, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/reassign',
    what: "the member's step",
    call: () => ({ url: `/api/runs/${freshRun()}/steps/${MIA_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(401, 404, 200, 200, 200),
  },

  // Runbooks
  { method: 'GET', route: '/api/runbooks', call: () => ({ url: '/api/runbooks' }), expected: expected(401, 403, 200, 200, 200) },
  { method: 'GET', route: '/api/runbooks/:slug', call: () => ({ url: '/api/runbooks/ops' }), expected: expected(401, 404, 200, 200, 200) },
  {
    method: 'GET',
    route: '/api/runbooks/:slug/export',
    call: () => ({ url: '/api/runbooks/ops/export' }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/runbooks/:slug/versions',
    call: () => ({ url: '/api/runbooks/ops/versions' }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/runbooks/:slug/versions/:number',
    call: () => ({ url: '/api/runbooks/ops/versions/1' }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'PUT',
    route: '/api/runbooks/:slug',
    call: (who) => ({
      url: `/api/runbooks/new-by-${who}`,
      body: runbookMarkdown(`New by ${who}`, [{ title: 'One' }]),
      contentType: 'text/markdown',
    }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'POST',
    route: '/api/runbooks/:slug/archive',
    call: () => ({ url: '/api/runbooks/ops/archive', body: { archived: false } }),
    expected: expected(401, 404, 403, 200, 200),
  },
  { method: 'POST', route: '/api/import', call: () => ({ url: '/api/import' }), expected: expected(401, 403, 403, 200, 200) },

  // People and roles
  { method: 'GET', route: '/api/people', call: () => ({ url: '/api/people' }), expected: expected(401, 403, 200, 200, 200) },
  {
    method: 'POST',
    route: '/api/people',
    call: (who) => ({ url: '/api/people', body: { name: `Made by ${who}`, email: `made-by-${who}@example.com` } }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'GET',
    route: '/api/people/:id',
    what: 'the member',
    call: () => ({ url: `/api/people/${member.id}` }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id',
    what: 'the outsourcer',
    call: () => ({ url: `/api/people/${outsourcer.id}` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'PATCH',
    route: '/api/people/:id',
    what: 'another member',
    call: () => ({ url: `/api/people/${throwaway('member').id}`, body: { hourlyCost: 10 } }),
    expected: expected(401, 404, 403, 403, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id/assignments',
    what: 'the member',
    call: () => ({ url: `/api/people/${member.id}/assignments` }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id/assignments',
    what: 'the outsourcer',
    call: () => ({ url: `/api/people/${outsourcer.id}/assignments` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  { method: 'GET', route: '/api/roles', call: () => ({ url: '/api/roles' }), expected: expected(401, 403, 200, 200, 200) },
  {
    method: 'POST',
    route: '/api/roles',
    call: (who) => ({ url: '/api/roles', body: { name: `Role by ${who}` } }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'POST',
    route: '/api/roles/:id/members',
    call: () => ({ url: `/api/roles/${role.id}/members`, body: { person: member.id } }),
    expected: expected(401, 403, 403, 201, 201),
  },
  {
    method: 'DELETE',
    route: '/api/roles/:id/members/:personId',
    call: () => {
      upsertRoleMember(t.db, role.id, member.id, undefined);
      return { url: `/api/roles/${role.id}/members/${member.id}` };
    },
    expected: expected(401, 403, 403, 200, 200),
  },
  { method: 'GET', route: '/api/gaps', call: () => ({ url: '/api/gaps' }), expected: expected(401, 403, 403, 200, 200) },
  ...['empty-roles', 'unowned-steps', 'unassigned-steps'].map((list): Row => ({
    method: 'GET',
    route: `/api/gaps/${list}`,
    call: () => ({ url: `/api/gaps/${list}` }),
    expected: expected(401, 403, 403, 200, 200),
  })),

  // Own account, invitations, links, audit
  { method: 'GET', route: '/api/me', call: () => ({ url: '/api/me' }), expected: expected(401, 200, 200, 200, 200) },
  { method: 'GET', route: '/api/me/tokens', call: () => ({ url: '/api/me/tokens' }), expected: expected(401, 200, 200, 200, 200) },
  {
    method: 'POST',
    route: '/api/me/tokens',
    // Every caller here has a Bearer token, and tokens are made only at a browser (session).
    call: (who) => ({ url: '/api/me/tokens', body: { name: `script of ${who}` } }),
    expected: expected(401, 403, 403, 403, 403),
  },
  {
    method: 'POST',
    route: '/api/me/tokens/:id/revoke',
    call: (_who, person) => ({ url: `/api/me/tokens/${createApiToken(t.db, (person ?? owner).id, 'to revoke').row.id}/revoke` }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/invitation',
    what: 'a member-level person',
    call: () => ({ url: `/api/people/${throwaway('member').id}/invitation` }),
    expected: expected(401, 404, 404, 201, 201),
  },
  {
    method: 'POST',
    route: '/api/people/:id/invitation',
    what: 'an editor-level person',
    call: () => ({ url: `/api/people/${throwaway('editor').id}/invitation` }),
    expected: expected(401, 404, 404, 404, 201),
  },
  {
    method: 'POST',
    route: '/api/people/:id/invitation',
    what: 'an owner-level person',
    call: () => ({ url: `/api/people/${throwaway('owner').id}/invitation` }),
    expected: expected(401, 404, 404, 404, 201),
  },
  {
    method: 'GET',
    route: '/api/people/:id/links',
    call: () => ({ url: `/api/people/${outsourcer.id}/links` }),
    expected: expected(401, 404, 404, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/links',
    call: () => ({ url: `/api/people/${outsourcer.id}/links` }),
    expected: expected(401, 404, 404, 201, 201),
  },
  {
    method: 'POST',
    route: '/api/people/:id/links/:linkId/revoke',
    call: () => ({ url: `/api/people/${outsourcer.id}/links/${createAccessLink(t.db, outsourcer.id, owner.id).id}/revoke` }),
    expected: expected(401, 404, 404, 200, 200),
  },
  { method: 'GET', route: '/api/audit', call: () => ({ url: '/api/audit' }), expected: expected(401, 403, 403, 403, 200) },

  // Absences, hand-offs, notifications
  {
    method: 'GET',
    route: '/api/people/:id/away',
    what: 'the member',
    call: () => ({ url: `/api/people/${member.id}/away` }),
    expected: expected(401, 404, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/away',
    what: 'themselves',
    call: (_who, person) => ({ url: `/api/people/${(person ?? throwaway('member')).id}/away`, body: futureAbsence() }),
    expected: expected(401, 403, 201, 201, 201),
  },
  {
    method: 'POST',
    route: '/api/people/:id/away',
    what: 'another member',
    call: () => ({ url: `/api/people/${throwaway('member').id}/away`, body: futureAbsence() }),
    expected: expected(401, 404, 403, 201, 201),
  },
  {
    method: 'DELETE',
    route: '/api/people/:id/away/:awayId',
    what: 'another member',
    call: () => {
      const away = throwaway('member');
      const period = addAwayPeriod(t.db, { personId: away.id, ...futureAbsence(), note: '', createdBy: owner.id });
      return { url: `/api/people/${away.id}/away/${period.id}` };
    },
    expected: expected(401, 404, 403, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id/handoff',
    what: 'themselves',
    call: (_who, person) => ({ url: `/api/people/${(person ?? member).id}/handoff` }),
    expected: expected(401, 403, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id/handoff',
    what: 'another member',
    call: () => ({ url: `/api/people/${throwaway('member').id}/handoff` }),
    expected: expected(401, 404, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/handoff',
    what: 'their own steps',
    call: (_who, person) => {
      const from = person ?? throwaway('member');
      return {
        url: `/api/people/${withAStep(from).id}/handoff`,
        body: { to: from.id === editor.id ? owner.id : editor.id, reason: 'holiday' },
      };
    },
    expected: expected(401, 403, 200, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/handoff',
    what: "another member's steps",
    call: () => ({ url: `/api/people/${withAStep(throwaway('member')).id}/handoff`, body: { to: editor.id, reason: 'holiday' } }),
    expected: expected(401, 404, 403, 200, 200),
  },
  {
    method: 'POST',
    route: '/api/people/:id/handoff',
    what: 'offboarding a member',
    call: () => ({
      url: `/api/people/${withAStep(throwaway('member')).id}/handoff`,
      body: { to: editor.id, reason: 'leaving', offboard: true },
    }),
    expected: expected(401, 404, 403, 403, 200),
  },
  {
    method: 'PUT',
    route: '/api/people/:id/notifications',
    what: 'themselves',
    call: (_who, person) => ({ url: `/api/people/${(person ?? member).id}/notifications`, body: { notify: 'each' } }),
    expected: expected(401, 200, 200, 200, 200),
  },
  {
    method: 'PUT',
    route: '/api/people/:id/notifications',
    what: 'another member',
    call: () => ({ url: `/api/people/${throwaway('member').id}/notifications`, body: { notify: 'digest' } }),
    expected: expected(401, 404, 403, 403, 200),
  },
  { method: 'GET', route: '/api/outbox', call: () => ({ url: '/api/outbox' }), expected: expected(401, 403, 403, 403, 200) },
];
