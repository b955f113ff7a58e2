import { SHOWN_GROUPS, stepAwayPage } from '../../server/dependence/present-away';
import type { AwayItem, StepAwayResult } from '../../server/dependence/step-away';

/** A simulator answer with `count` different steps landing on nobody, one a day. */
function answer(count: number): StepAwayResult {
  const nobody: AwayItem[] = Array.from({ length: count }, (_, i) => ({
    kind: 'scheduled',
    runbook: { slug: `book-${i}`, title: `Book ${i}` },
    run: null,
    step: { position: 1, title: `Step ${i}` },
    startsAt: new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString(),
    dueAt: null,
    estimateMinutes: 10,
    role: { id: 1, name: 'Bookkeeper' },
    who: null,
    needsHandOff: false,
    fix: { label: 'Add a backup to Bookkeeper', href: '/roles/1' },
  }));
  const none = { steps: 0, minutes: 0 };
  return {
    verdict: count > 0 ? 'blocked' : 'clear',
    subject: { id: 1, name: 'Owner' },
    from: '2027-01-01',
    to: '2027-12-31',
    totals: { nobody: { steps: count, minutes: count * 10 }, person: none, others: none, openToHandOff: 0 },
    nobody,
    person: [],
    others: [],
    byPerson: [],
  };
}

const now = new Date('2026-12-20T00:00:00Z');

test('the step-away page shows the first cards of a long list by date and counts the steps it leaves out', () => {
  const page = stepAwayPage(answer(SHOWN_GROUPS + 30), 1, now);
  expect(page.nobody).toHaveLength(SHOWN_GROUPS);
  expect(page.nobody[0]?.title).toBe('Step 0');
  expect(page.moreNobody).toBe('30 more steps, due later');
  expect(page.morePerson).toBeNull();
});

test('the step-away page says nothing of more when every card fits', () => {
  const page = stepAwayPage(answer(3), 1, now);
  expect(page.nobody).toHaveLength(3);
  expect(page.moreNobody).toBeNull();
});
