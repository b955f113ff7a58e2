import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook } from '../helpers/factories';
import { startRun } from '../../server/runs/start';
import { completeStep } from '../../server/runs/actions';
import { addAwayPeriod } from '../../server/people/absences';
import type { Actor } from '../../server/access/actor';
import type { PersonRow } from '../../server/people/repo';

/**
 * The small team whose figures the dependence and step-away tests compute by hand. Time is
 * frozen (jest fake timers, Date only) at NOW, a Monday, in UTC.
 *
 *   people   Olive Owner (owner level, 100.00 an hour), Bea Books (member, 30.00 an hour),
 *            Vic Helper (member, no hourly cost)
 *   roles    Bookkeeper: Bea (primary), Olive (backup);  Owner: Olive alone
 *   absence  Bea, 8 to 9 December (so a step started now and due on those days goes to Olive)
 *
 *   Weekly invoicing (income direct, schedule every Monday at 9:00)
 *     1 Prepare the invoices   Bookkeeper   30m   due +2h
 *     2 Approve the invoices   Owner        15m   due +1d
 *     3 Send the invoices      Bookkeeper   20m   due +1d
 *     4 Thank-you note         Vic Helper   10m   income indirect, optional
 *   Month-end close (income none, schedule the 15th at 9:00)
 *     1 Reconcile the bank     Bookkeeper   1h    due +2d
 *     2 Review the numbers     Olive Owner  45m
 *     3 File the receipts      Bookkeeper   (no estimate)
 *
 *   History: on 20 November a Weekly invoicing run, whose steps 1 and 2 Olive completed; on
 *   1 December a Month-end close run, whose step 2 Olive completed and step 1 Bea completed.
 */
export const NOW = new Date('2026-12-07T10:00:00.000Z');

const ONLY_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** Freezes Date at `at` (timers, ticks and I/O run as usual, so supertest still works). */
export function freezeTime(at: Date): void {
  jest.useFakeTimers({ now: at, doNotFake: [...ONLY_DATE] });
}

export function dependenceFixture() {
  freezeTime(NOW);
  const t = testApp();
  const olive = t.owner;
  t.db.prepare('UPDATE people SET hourly_cost_cents = 10000 WHERE id = ?').run(olive.id);
  const bea = makePerson(t.db, { name: 'Bea Books', email: 'bea@example.com', level: 'member', hourlyCostCents: 3000 });
  const vic = makePerson(t.db, { name: 'Vic Helper', email: 'vic@example.com', level: 'member' });
  const bookkeeper = makeRole(t.db, 'Bookkeeper', [bea, olive]);
  const ownerRole = makeRole(t.db, 'Owner', [olive]);
  makeRunbook(
    t.db,
    'weekly-invoicing',
    [
      '---',
      'title: Weekly invoicing',
      'income: direct',
      'schedule: "0 9 * * 1"',
      '---',
      '',
      '## Prepare the invoices',
      'Owner: Bookkeeper',
      'Estimate: 30m',
      'Due: +2h',
      '',
      '## Approve the invoices',
      'Owner: Owner',
      'Estimate: 15m',
      'Due: +1d',
      '',
      '## Send the invoices',
      'Owner: Bookkeeper',
      'Estimate: 20m',
      'Due: +1d',
      '',
      '## Thank-you note',
      'Owner: Vic Helper',
      'Estimate: 10m',
      'Income: indirect',
      'Optional: yes',
      '',
    ].join('\n'),
  );
  makeRunbook(
    t.db,
    'month-end',
    [
      '---',
      'title: Month-end close',
      'income: none',
      'schedule: "0 9 15 * *"',
      '---',
      '',
      '## Reconcile the bank',
      'Owner: Bookkeeper',
      'Estimate: 1h',
      'Due: +2d',
      '',
      '## Review the numbers',
      'Owner: Olive Owner',
      'Estimate: 45m',
      '',
      '## File the receipts',
      'Owner: Bookkeeper',
      '',
    ].join('\n'),
  );

  const actor = (p: PersonRow): Actor => ({ id: p.id, name: p.name, email: p.email, level: p.access_level, via: 'token' });
  const work = { rule: 'step.work' as const };
  freezeTime(new Date('2026-11-20T10:00:00.000Z'));
  const november = startRun(t.db, { runbook: 'weekly-invoicing', title: 'Invoices 20 Nov', startedBy: olive.id });
  completeStep(t.db, november, 1, { actor: actor(olive), ...work }, null);
  completeStep(t.db, november, 2, { actor: actor(olive), ...work }, null);
  freezeTime(new Date('2026-12-01T10:00:00.000Z'));
  const december = startRun(t.db, { runbook: 'month-end', title: 'November close', startedBy: olive.id });
  completeStep(t.db, december, 2, { actor: actor(olive), ...work }, null);
  completeStep(t.db, december, 1, { actor: actor(bea), ...work }, null);
  freezeTime(NOW);
  addAwayPeriod(t.db, { personId: bea.id, from: '2026-12-08', to: '2026-12-09', note: '', createdBy: olive.id });
  return { t, olive, bea, vic, bookkeeper, ownerRole, runs: { november, december } };
}
