import { makeRunbook } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { completeStep } from '../../server/runs/actions';
import { byLink, everyLink, expected, member, next, owner, SIGN_IN, t, type Outcome, type Row } from './access-fixture';

/**
 * Rows of the access table for what runs record: fields, approvals, the runs of a runbook as
 * CSV. A run of "records" has a run field (Ref), the outsourcer's step with a field and a
 * condition that names Ref, the member's step with a field, and the member's step that the
 * editor approves.
 */
makeRunbook(
  t.db,
  'records',
  `---
title: Records
fields:
  - Ref (text)
---

## Otto fills
Owner: Otto Outsourcer
Optional: yes
When: Ref is not never
Field: Otto value (text)

## Mia fills
Owner: Mia Member
Optional: yes
Field: Mia value (text)

## Mia does, Eddie approves
Owner: Mia Member
Optional: yes
Approval: Eddie Editor

## Final
Owner: Olive Owner
`,
);

const recordsRun = () => startRun(t.db, { runbook: 'records', title: `Records ${next()}`, startedBy: owner.id });
/** A run whose third step the member completed: it waits for the editor's approval. */
const awaitingRun = () => {
  const id = recordsRun();
  completeStep(
    t.db,
    id,
    3,
    { actor: { id: member.id, name: member.name, email: member.email, level: 'member', via: 'token' }, rule: 'step.work' },
    null,
  );
  return id;
};

const back: Outcome = [303, '/runs/'];

const fieldRows = (
  name: string,
  what: string,
  api: [Outcome, Outcome, Outcome, Outcome],
  links: [Outcome, Outcome, Outcome, Outcome],
): Row[] => [
  {
    method: 'PUT',
    route: '/api/runs/:id/fields/:name',
    what,
    call: () => ({ url: `/api/runs/${recordsRun()}/fields/${encodeURIComponent(name)}`, body: { value: 'A-1' } }),
    expected: expected(401, ...api),
    link: byLink(...links),
  },
];

export const recordRows: Row[] = [
  // The run field Ref: anyone in the run on the team; the outsourcer, whose step's condition names it.
  ...fieldRows('Ref', 'a run field', [200, 200, 200, 200], [200, 422, 404, 422]),
  // A step's field: whoever may work the step; another's field is not theirs (the team sees it, 403).
  ...fieldRows('Otto value', "the outsourcer's step field", [200, 403, 200, 200], [200, 422, 404, 422]),
  ...fieldRows('Mia value', "the member's step field", [422, 200, 200, 200], [422, 200, 404, 422]),
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/approve',
    call: () => ({ url: `/api/runs/${awaitingRun()}/steps/3/approve` }),
    // The member completed it (nobody approves their own step); the editor is the approver.
    expected: expected(401, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/api/runs/:id/steps/:position/reject',
    call: () => ({ url: `/api/runs/${awaitingRun()}/steps/3/reject`, body: { reason: 'Not yet' } }),
    expected: expected(401, 404, 403, 200, 200),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/api/runbooks/:slug/runs.csv',
    call: () => ({ url: '/api/runbooks/records/runs.csv' }),
    expected: expected(401, 404, 200, 200, 200),
    link: everyLink(404),
  },

  // The run page's forms: back to the run, or the run with the reason on top.
  {
    method: 'POST',
    route: '/runs/:id/fields',
    what: 'a run field',
    call: () => ({ url: `/runs/${recordsRun()}/fields`, body: { name: 'Ref', value: 'A-2' } }),
    expected: expected(SIGN_IN, back, back, back, back),
    link: byLink(back, 422, 404, 422),
  },
  {
    method: 'POST',
    route: '/runs/:id/fields',
    what: "the outsourcer's step field",
    call: () => ({ url: `/runs/${recordsRun()}/fields`, body: { name: 'Otto value', value: 'A-3' } }),
    expected: expected(SIGN_IN, back, 403, back, back),
    link: byLink(back, 422, 404, 422),
  },
  {
    method: 'POST',
    route: '/runs/:id/steps/:position/approve',
    call: () => ({ url: `/runs/${awaitingRun()}/steps/3/approve` }),
    expected: expected(SIGN_IN, 404, 403, back, back),
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/runs/:id/steps/:position/reject',
    call: () => ({ url: `/runs/${awaitingRun()}/steps/3/reject`, body: { reason: 'Not yet' } }),
    expected: expected(SIGN_IN, 404, 403, back, back),
    link: everyLink(404),
  },
];
