import fs from 'node:fs';
import path from 'node:path';
import { runbookMarkdown } from '../helpers/factories';
import { createApiToken } from '../../server/auth/tokens';
import { createAccessLink, createInvitation } from '../../server/auth/links';
import {
  expected,
  SIGN_IN,
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
  pageRole,
  inPageRole,
  pageStepRows,
  waitingRun,
  throwawayRunbook,
  opsSource,
  futureAbsence,
  withAStep,
  openStepIds,
  everyLink,
  byLink,
  next,
  serial,
  linkToRevoke,
  type Row,
} from './access-fixture';
import { addAwayPeriod } from '../../server/people/absences';
import { requestPasswordReset, resetSecret } from '../../server/auth/resets';

/** A throwaway member's open "forgot password" link. */
const resetLink = () => {
  let id = 0;
  requestPasswordReset(t.db, t.links.key, { email: throwaway('member').email, address: 'table' }, (_person, resetId) => {
    id = resetId;
  });
  return resetSecret(t.db, t.links.key, id);
};

/** ops.md in the app's runbook folder, holding the runbook's current text (the file pages need a file). */
const opsFile = () => {
  fs.writeFileSync(path.join(t.runbooksDir, 'ops.md'), opsSource());
  return 'ops';
};

/** Rows of the access table for the pages. */
export const pageRows: Row[] = [
  // For monitors and load balancers: no sign-in, the same for everyone.
  {
    method: 'GET',
    route: '/healthz',
    call: () => ({ url: '/healthz' }),
    expected: expected(200, 200, 200, 200, 200),
    link: everyLink(200),
  },
  // Pages
  {
    method: 'GET',
    route: '/sign-in',
    call: () => ({ url: '/sign-in' }),
    expected: expected(200, [303, '/'], [303, '/'], [303, '/'], [303, '/']),
    link: everyLink([303, '/']),
  },
  {
    // Wrong credentials get the form again, for anyone (each asks about its own unknown email).
    method: 'POST',
    route: '/sign-in',
    call: (who) => {
      // Many callers from one address: none of them must be slowed by the ones before.
      t.db.prepare('DELETE FROM sign_in_failures').run();
      return { url: '/sign-in', body: { email: `nobody-${who}@example.com`, password: 'not the password' } };
    },
    expected: expected(401, 401, 401, 401, 401),
    link: everyLink(401),
  },
  {
    method: 'POST',
    route: '/sign-out',
    call: () => ({ url: '/sign-out' }),
    expected: expected([303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in']),
    link: everyLink([303, '/sign-in']),
  },
  {
    // Set-up is done: no set-up link works any more.
    method: 'GET',
    route: '/setup/:token',
    call: () => ({ url: '/setup/not-a-real-setup-token' }),
    expected: expected(404, 404, 404, 404, 404),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/setup/:token',
    call: () => ({
      url: '/setup/not-a-real-setup-token',
      body: { name: 'Mallory', email: 'mallory@example.com', password: 'a long enough passphrase' },
    }),
    expected: expected(404, 404, 404, 404, 404),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/invite/:token',
    what: 'an open invitation',
    call: () => ({ url: `/invite/${createInvitation(t.db, throwaway('member').id, owner.id).token}` }),
    expected: expected(200, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    method: 'POST',
    route: '/invite/:token',
    what: 'an open invitation',
    call: () => ({
      url: `/invite/${createInvitation(t.db, throwaway('member').id, owner.id).token}`,
      body: { password: 'a long enough passphrase' },
    }),
    expected: expected([303, '/'], [303, '/'], [303, '/'], [303, '/'], [303, '/']),
    link: everyLink([303, '/']),
  },
  {
    method: 'GET',
    route: '/forgot-password',
    call: () => ({ url: '/forgot-password' }),
    expected: expected(200, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    // The same answer for anyone, whether or not the address is someone's (the limiter is
    // cleared each time: every caller in the table asks from one address).
    method: 'POST',
    route: '/forgot-password',
    call: () => {
      t.db.prepare('DELETE FROM password_reset_requests').run();
      return { url: '/forgot-password', body: { email: throwaway('member').email } };
    },
    expected: expected(200, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    method: 'GET',
    route: '/reset-password/:token',
    what: 'an open reset link',
    call: () => ({ url: `/reset-password/${resetLink()}` }),
    expected: expected(200, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    method: 'POST',
    route: '/reset-password/:token',
    what: 'an open reset link',
    call: () => ({ url: `/reset-password/${resetLink()}`, body: { password: 'a long enough passphrase' } }),
    expected: expected([303, '/'], [303, '/'], [303, '/'], [303, '/'], [303, '/']),
    link: everyLink([303, '/']),
  },
  {
    method: 'GET',
    route: '/l/:token',
    what: "a live link of the outsourcer's",
    call: () => ({ url: `/l/${createAccessLink(t.db, t.links, outsourcer.id, owner.id).token}` }),
    expected: expected([303, '/my-work'], [303, '/my-work'], [303, '/my-work'], [303, '/my-work'], [303, '/my-work']),
    link: everyLink([303, '/my-work']),
  },
  {
    method: 'GET',
    route: '/',
    call: () => ({ url: '/' }),
    expected: expected(SIGN_IN, [303, '/my-work'], 200, 200, 200),
    link: everyLink([303, '/my-work']),
  },
  {
    method: 'GET',
    route: '/my-work',
    call: () => ({ url: '/my-work' }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    method: 'GET',
    route: '/audit',
    call: () => ({ url: '/audit' }),
    expected: expected(SIGN_IN, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/gaps',
    call: () => ({ url: '/gaps' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },

  // Run pages
  { method: 'GET', route: '/runs', call: () => ({ url: '/runs' }), expected: expected(SIGN_IN, 200, 200, 200, 200), link: everyLink(403) },
  {
    method: 'GET',
    route: '/runs/:id',
    what: 'a run with a step of everyone',
    call: () => ({ url: `/runs/${run}` }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: byLink(200, 200, 404, 200),
  },
  {
    method: 'GET',
    route: '/runs/:id',
    what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/runs/${internalRun}` }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
  {
    method: 'GET',
    route: '/runs/:id/activity',
    what: 'a run with a step of everyone',
    call: () => ({ url: `/runs/${run}/activity` }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: byLink(200, 200, 404, 200),
  },
  {
    method: 'GET',
    route: '/runs/:id/activity',
    what: 'a run without a step of the outsourcer',
    call: () => ({ url: `/runs/${internalRun}/activity` }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
  ...pageStepRows('tick', () => freshRun(), 'checks/0/tick'),
  ...pageStepRows('untick', tickedRun, 'checks/0/untick'),
  ...pageStepRows('complete', tickedRun, 'complete', { note: 'done' }),
  ...pageStepRows('skip', () => freshRun(), 'skip'),
  ...pageStepRows('reopen', completedRun, 'reopen'),
  ...pageStepRows('note', () => run, 'note', { note: 'a note' }),
  ...pageStepRows('wait', () => freshRun(), 'waiting', { reason: 'the customer’s address' }),
  ...pageStepRows('lift', waitingRun, 'waiting/lift'),
  {
    method: 'POST',
    route: '/runs/:id/steps/:position/reassign',
    what: "the outsourcer's step",
    call: () => ({ url: `/runs/${freshRun()}/steps/${OTTO_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runs/'], [303, '/runs/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runs/:id/steps/:position/reassign',
    what: "the member's step",
    call: () => ({ url: `/runs/${freshRun()}/steps/${MIA_STEP}/reassign`, body: { to: editor.id, reason: 'cover' } }),
    expected: expected(SIGN_IN, 404, [303, '/runs/'], [303, '/runs/'], [303, '/runs/']),
    link: byLink(404, [303, '/runs/'], 404, 404),
  },

  // Library pages
  {
    method: 'GET',
    route: '/runbooks',
    call: () => ({ url: '/runbooks' }),
    expected: expected(SIGN_IN, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/runbooks/new',
    call: () => ({ url: '/runbooks/new' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/runbooks/import',
    call: () => ({ url: '/runbooks/import' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/runbooks/import',
    what: 'saving a draft',
    call: (who) => ({
      url: '/runbooks/import',
      body: { intent: 'save', document: '# Imported\n\n## Unlock\n- Door\n', slug: `imported-by-${who}-${next()}` },
    }),
    expected: expected(SIGN_IN, 403, 403, [303, '/runbooks/imported-by-editor-'], [303, '/runbooks/imported-by-owner-']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/runbooks/new',
    call: (who) => ({
      url: '/runbooks/new',
      body: { slug: `page-new-${who}-${next()}`, action: 'save', source: runbookMarkdown(`Page new ${who} ${serial}`, [{ title: 'One' }]) },
    }),
    expected: expected(SIGN_IN, 403, 403, [303, '/runbooks/page-new-editor-'], [303, '/runbooks/page-new-owner-']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/runbooks/:slug',
    call: () => ({ url: '/runbooks/ops' }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/runbooks/:slug/edit',
    call: () => ({ url: '/runbooks/ops/edit' }),
    expected: expected(SIGN_IN, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    // The same text again: saved as "unchanged", so the runbook the other rows use stays as it is.
    method: 'POST',
    route: '/runbooks/:slug/edit',
    call: () => ({ url: '/runbooks/ops/edit', body: { source: opsSource(), action: 'save' } }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/ops?done=unchanged'], [303, '/runbooks/ops?done=unchanged']),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/runbooks/new/steps',
    call: () => ({ url: '/runbooks/new/steps' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/runbooks/new/steps',
    call: (who) => ({
      url: '/runbooks/new/steps',
      body: { slug: `steps-new-${who}-${next()}`, action: 'save', title: `Steps new ${who}`, steps: '1', 's0-title': 'One' },
    }),
    expected: expected(SIGN_IN, 403, 403, [303, '/runbooks/steps-new-editor-'], [303, '/runbooks/steps-new-owner-']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/runbooks/:slug/edit/steps',
    call: () => ({ url: '/runbooks/ops/edit/steps' }),
    expected: expected(SIGN_IN, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    // Adding a step only shows the form again: the runbook the other rows use stays as it is.
    method: 'POST',
    route: '/runbooks/:slug/edit/steps',
    call: () => ({ url: '/runbooks/ops/edit/steps', body: { action: 'add', title: 'Ops', steps: '0' } }),
    expected: expected(SIGN_IN, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/runbooks/import/files',
    call: () => ({ url: '/runbooks/import/files' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    // The folder holds ops.md with the runbook's own text at most: importing changes nothing.
    method: 'POST',
    route: '/runbooks/import/files',
    call: () => ({ url: '/runbooks/import/files', body: {} }),
    expected: expected(SIGN_IN, 403, 403, [303, '/runbooks/import/files?done=imported'], [303, '/runbooks/import/files?done=imported']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/runbooks/:slug/file',
    call: () => ({ url: `/runbooks/${opsFile()}/file` }),
    expected: expected(SIGN_IN, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    // The file holds the runbook's current text: replacing saves nothing new.
    method: 'POST',
    route: '/runbooks/:slug/file',
    call: () => ({ url: `/runbooks/${opsFile()}/file`, body: {} }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/ops?done=file-unchanged'], [303, '/runbooks/ops?done=file-unchanged']),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/runbooks/:slug/diff',
    call: () => ({ url: '/runbooks/ops/diff' }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runbooks/:slug/runs',
    call: (who) => ({ url: '/runbooks/ops/runs', body: { title: `Started on the page by ${who}` } }),
    expected: expected(SIGN_IN, 404, [303, '/runs/'], [303, '/runs/'], [303, '/runs/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runbooks/:slug/archive',
    call: () => ({ url: `/runbooks/${throwawayRunbook()}/archive` }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/throwaway-'], [303, '/runbooks/throwaway-']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runbooks/:slug/reviews',
    call: () => ({ url: '/runbooks/ops/reviews', body: { note: 'Read through' } }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/ops?done=reviewed'], [303, '/runbooks/ops?done=reviewed']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runbooks/:slug/keep',
    call: () => ({ url: '/runbooks/ops/keep' }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/ops?done=kept'], [303, '/runbooks/ops?done=kept']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runbooks/:slug/restore',
    call: () => ({ url: `/runbooks/${throwawayRunbook(true)}/restore` }),
    expected: expected(SIGN_IN, 404, 403, [303, '/runbooks/throwaway-'], [303, '/runbooks/throwaway-']),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/account',
    call: () => ({ url: '/account' }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/account/tokens',
    call: (who) => ({ url: '/account/tokens', body: { name: `page token of ${who}` } }),
    expected: expected(SIGN_IN, 201, 201, 201, 201),
    token: { outsourcer: 403, member: 403, editor: 403, owner: 403 },
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/account/tokens/:id/revoke',
    call: (_who, person) => ({ url: `/account/tokens/${createApiToken(t.db, (person ?? owner).id, 'to revoke').row.id}/revoke` }),
    expected: expected(SIGN_IN, [303, '/account'], [303, '/account'], [303, '/account'], [303, '/account']),
    link: everyLink(403),
  },

  {
    // A wrong current password (nobody in the table has one): past the policy, refused by the check.
    method: 'POST',
    route: '/account/password',
    call: () => {
      t.db.prepare('DELETE FROM sign_in_failures').run();
      return { url: '/account/password', body: { currentPassword: 'not the current one', password: 'a brand new passphrase' } };
    },
    expected: expected(SIGN_IN, 422, 422, 422, 422),
    token: { outsourcer: 403, member: 403, editor: 403, owner: 403 },
    link: everyLink(403),
  },

  // People and roles (pages): an outsourcer may not know of other people (404), nor open these pages at all (403).
  {
    method: 'GET',
    route: '/people',
    call: () => ({ url: '/people' }),
    expected: expected(SIGN_IN, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/people',
    call: (who) => ({
      url: '/people',
      body: { name: `Page-made by ${who}`, email: `page-made-by-${who}-${next()}@example.com`, access: 'none' },
    }),
    expected: expected(SIGN_IN, 403, 403, [303, '/people/'], [303, '/people/']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/people/:id',
    what: 'the member',
    call: () => ({ url: `/people/${member.id}` }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
  {
    // The outsourcer's own profile is theirs to see.
    method: 'GET',
    route: '/people/:id',
    what: 'the outsourcer',
    call: () => ({ url: `/people/${outsourcer.id}` }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: byLink(200, 404, 404, 404),
  },
  {
    method: 'GET',
    route: '/people/:id/edit',
    call: () => ({ url: `/people/${member.id}/edit` }),
    expected: expected(SIGN_IN, 404, 403, 403, 200),
    link: byLink(404, 403, 404, 404),
  },
  {
    method: 'POST',
    route: '/people/:id/edit',
    call: () => {
      const person = throwaway('member');
      return { url: `/people/${person.id}/edit`, body: { name: person.name, email: person.email, kind: 'team', hourlyCost: '10' } };
    },
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/invitation',
    what: 'a member-level person',
    call: () => ({ url: `/people/${throwaway('member').id}/invitation` }),
    expected: expected(SIGN_IN, 404, 403, 201, 201),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/invitation',
    what: 'an editor-level person',
    call: () => ({ url: `/people/${throwaway('editor').id}/invitation` }),
    expected: expected(SIGN_IN, 404, 403, 403, 201),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/links',
    call: () => ({ url: `/people/${outsourcer.id}/links` }),
    expected: expected(SIGN_IN, 403, 403, 201, 201),
    link: byLink(403, 404, 404, 404),
  },
  {
    method: 'POST',
    route: '/people/:id/links/:linkId/revoke',
    call: (who) => ({ url: `/people/${outsourcer.id}/links/${linkToRevoke(who)}/revoke` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/people/'], [303, '/people/']),
    link: byLink(403, 404, 404, 404),
  },
  {
    method: 'POST',
    route: '/people/:id/links',
    what: 'a member-level person',
    call: () => ({ url: `/people/${throwaway('member').id}/links` }),
    expected: expected(SIGN_IN, 404, 403, 403, 201),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/links',
    what: 'an owner-level person',
    call: () => ({ url: `/people/${throwaway('owner').id}/links` }),
    expected: expected(SIGN_IN, 404, 403, 403, 403),
    link: everyLink(404),
  },
  {
    // Their own sessions end, this one with them: back to sign in.
    method: 'POST',
    route: '/people/:id/sign-out-everywhere',
    what: 'themselves',
    call: (_who, person) => ({ url: `/people/${(person ?? member).id}/sign-out-everywhere` }),
    expected: expected(SIGN_IN, [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in'], [303, '/sign-in']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/people/:id/sign-out-everywhere',
    what: 'another member',
    call: () => ({ url: `/people/${throwaway('member').id}/sign-out-everywhere` }),
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/level',
    call: () => ({ url: `/people/${throwaway('member').id}/level`, body: { level: 'editor' } }),
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/active',
    call: () => ({ url: `/people/${throwaway('member').id}/active`, body: { active: '0', confirm: 'yes' } }),
    expected: expected(SIGN_IN, 404, 403, 403, [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/roles',
    call: (who) => ({ url: '/roles', body: { roleName: `Page role by ${who} ${next()}` } }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/roles/:id',
    call: () => ({ url: `/roles/${pageRole.id}` }),
    expected: expected(SIGN_IN, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/roles/:id/members',
    call: () => ({ url: `/roles/${pageRole.id}/members`, body: { person: String(throwaway('member').id) } }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/roles/:id/members/:personId/primary',
    call: () => ({ url: `/roles/${pageRole.id}/members/${inPageRole().id}/primary` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/roles/:id/members/:personId/remove',
    call: () => ({ url: `/roles/${pageRole.id}/members/${inPageRole().id}/remove` }),
    expected: expected(SIGN_IN, 403, 403, [303, '/roles/'], [303, '/roles/']),
    link: everyLink(403),
  },

  // Absences, hand-offs, email
  {
    method: 'GET',
    route: '/people/:id/handoff',
    what: 'themselves',
    call: (_who, person) => ({ url: `/people/${(person ?? member).id}/handoff` }),
    expected: expected(SIGN_IN, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/people/:id/handoff',
    what: 'another member',
    call: () => ({ url: `/people/${throwaway('member').id}/handoff` }),
    expected: expected(SIGN_IN, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/handoff',
    what: "another member's steps",
    call: () => {
      const from = withAStep(throwaway('member'));
      return { url: `/people/${from.id}/handoff`, body: { to: String(editor.id), reason: 'holiday', expect: openStepIds(from) } };
    },
    expected: expected(SIGN_IN, 404, 403, [303, '/people/'], [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/away',
    what: 'another member',
    call: () => {
      const absence = futureAbsence();
      return { url: `/people/${throwaway('member').id}/away`, body: { awayFrom: absence.from, awayTo: absence.to } };
    },
    expected: expected(SIGN_IN, 404, 403, [303, '/people/'], [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/away/:awayId/remove',
    what: 'another member',
    call: () => {
      const away = throwaway('member');
      const period = addAwayPeriod(t.db, { personId: away.id, ...futureAbsence(), note: '', createdBy: owner.id });
      return { url: `/people/${away.id}/away/${period.id}/remove` };
    },
    expected: expected(SIGN_IN, 404, 403, [303, '/people/'], [303, '/people/']),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/people/:id/notifications',
    what: 'themselves',
    call: (_who, person) => ({ url: `/people/${(person ?? member).id}/notifications`, body: { notify: 'digest' } }),
    expected: expected(SIGN_IN, [303, '/people/'], [303, '/people/'], [303, '/people/'], [303, '/people/']),
    link: everyLink([303, '/people/']),
  },
  {
    method: 'GET',
    route: '/outbox',
    call: () => ({ url: '/outbox' }),
    expected: expected(SIGN_IN, 403, 403, 403, 200),
    link: everyLink(403),
  },
];
