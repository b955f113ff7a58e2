import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { completeStep } from '../../server/runs/actions';
import { setCheck } from '../../server/runs/ticks';
import type { Actor } from '../../server/access/actor';
import type { PersonRow } from '../../server/people/repo';

/**
 * The print tests' world (each test file gets its own, on its own database): a shipping
 * runbook whose steps belong to a member (Packer), two outsourcers and nobody, and two runs
 * of it, the first with its first step done by the member.
 */
export const t = testApp();

export const vera = makePerson(t.db, { name: 'Vera Packer', email: 'vera@example.com', level: 'member' });
export const sam = makePerson(t.db, { name: 'Sam Member', email: 'sam@example.com', level: 'member' });
export const otto = makePerson(t.db, { name: 'Otto Duplicator', email: 'otto@example.com', level: 'outsourcer' });
export const ana = makePerson(t.db, { name: 'Ana Labelmaker', email: 'ana@example.com', level: 'outsourcer' });
makeRole(t.db, 'Packer', [vera]);
makeRole(t.db, 'Duplication house', [otto]);
makeRole(t.db, 'Label printer', [ana]);

export const STEPS = {
  pack: { title: 'Pack the box', checks: ['Binder inside', 'Slip on top'] },
  burn: { title: 'Burn the CDs', checks: ['Ten discs burned'], secret: 'Disc master is on the shared drive' },
  labels: { title: 'Print the labels', checks: ['Labels match the orders'], secret: 'Label printer password is in the vault' },
  post: { title: 'Post it', checks: ['Postage paid'] },
};

makeRunbook(
  t.db,
  'ship',
  runbookMarkdown(
    'Ship an order',
    [
      {
        title: STEPS.pack.title,
        owner: 'Packer',
        estimate: '15m',
        due: '+2h',
        checks: STEPS.pack.checks,
        body: 'Use the small box. See [the packing guide](https://example.com/guide).\n\n| Item | Qty |\n| --- | ---: |\n| Binder | 1 |',
      },
      { title: STEPS.burn.title, owner: 'Duplication house', due: '+1d', checks: STEPS.burn.checks, body: `${STEPS.burn.secret}.` },
      { title: STEPS.labels.title, owner: 'Label printer', due: '+1d', checks: STEPS.labels.checks, body: `${STEPS.labels.secret}.` },
      { title: STEPS.post.title, owner: 'Packer', optional: true, checks: STEPS.post.checks },
    ],
    { owner: 'Packer' },
  ),
);

const actorOf = (p: PersonRow): Actor => ({ id: p.id, name: p.name, email: p.email, level: p.access_level, via: 'token' });

export const doneRun = startRun(t.db, { runbook: 'ship', title: 'Order #1042', startedBy: t.owner.id });
for (const index of [0, 1]) setCheck(t.db, doneRun, 1, index, { actor: actorOf(vera), rule: 'step.work' }, true);
completeStep(t.db, doneRun, 1, { actor: actorOf(vera), rule: 'step.work' }, 'Sealed twice');
export const freshRun = startRun(t.db, { runbook: 'ship', title: 'Order #1043', startedBy: t.owner.id });

export const LEVELS = { owner: t.owner, member: sam, outsourcer: otto } as const;
