import { testApp } from '../helpers/app';
import { makeRunbook, runbookMarkdown } from '../helpers/factories';
import { CATALOG_BYTES, currentSteps } from '../../server/dependence/repo';

/**
 * The catalog the dependence page, the workload model and the step-away simulator read: every
 * current step of the library, kept between requests until the library changes, and only
 * while it fits its byte budget.
 */

const t = testApp();
afterAll(() => t.cleanup());

makeRunbook(t.db, 'ship', runbookMarkdown('Ship an order', [{ title: 'Pack', owner: 'Packer' }, { title: 'Post' }]));

test('is kept until the library changes, then read again', () => {
  const first = currentSteps(t.db);
  expect(first.map((row) => row.title)).toEqual(['Pack', 'Post']);
  expect(currentSteps(t.db)).toBe(first);
  makeRunbook(t.db, 'refund', runbookMarkdown('Refund', [{ title: 'Check the order' }]));
  const changed = currentSteps(t.db);
  expect(changed).not.toBe(first);
  expect(changed.map((row) => row.title)).toEqual(['Check the order', 'Pack', 'Post']);
});

test('is read each time, never held, when it is larger than its budget', () => {
  const small = 100;
  const first = currentSteps(t.db, small);
  expect(currentSteps(t.db, small)).not.toBe(first);
  expect(currentSteps(t.db, small)).toEqual(first);
  // Under the real budget the same catalog is kept again.
  const kept = currentSteps(t.db, CATALOG_BYTES);
  expect(currentSteps(t.db, CATALOG_BYTES)).toBe(kept);
});
