import { cronProblem, nextScheduled, scheduleSummary } from '../../server/runbooks/format/schedule';
import { describeReview } from '../../server/runbooks/format/durations';

describe('cronProblem', () => {
  test.each(['0 9 * * 1-5', '0 9 1 * *', '*/15 * * * *', '30 8 * * MON', '0 0 1 1 *', '0 10 * * 4', '  0 9 * * 1-5  ', '0 9 * * 7'])(
    'accepts the five-field expression "%s"',
    (expression) => {
      expect(cronProblem(expression)).toBeNull();
    },
  );

  test.each([
    ['* * * *', 4],
    ['0 9 * *', 4],
    ['0 0 9 * * 1-5', 6],
    ['0 0 9 * * 1-5 2027', 7],
    ['@daily', 1],
    ['', 0],
    ['   ', 0],
  ])('refuses "%s" for having %i fields', (expression, count) => {
    expect(cronProblem(expression)).toBe(`schedule "${expression}" must have five fields (minute hour day month weekday), it has ${count}`);
  });

  test.each(['61 * * * *', '0 25 * * *', '0 9 32 * *', '0 9 * 13 *', '0 9 * * 8', 'a b c d e', '0 9 * * MON-XYZ', '0 9 ? ? ?x'])(
    'refuses the nonsense expression "%s"',
    (expression) => {
      expect(cronProblem(expression)).toMatch(new RegExp(`^schedule ".*" is not a valid cron expression`));
    },
  );
});

describe('nextScheduled', () => {
  // Local time: croner reads expressions in the process time zone, as a scheduler would.
  test('gives the next weekday morning from a Friday after the run time', () => {
    const friday = new Date(2026, 2, 6, 10, 0);
    expect(nextScheduled('0 9 * * 1-5', friday)).toEqual(new Date(2026, 2, 9, 9, 0));
  });

  test('gives the same morning when asked before the run time', () => {
    expect(nextScheduled('0 9 * * 1-5', new Date(2026, 2, 6, 8, 59, 30))).toEqual(new Date(2026, 2, 6, 9, 0));
  });

  test('gives the following run, not the same one, when asked exactly at a run time', () => {
    expect(nextScheduled('0 9 * * 1-5', new Date(2026, 2, 6, 9, 0))).toEqual(new Date(2026, 2, 9, 9, 0));
  });

  test('gives the first of the next month for a monthly schedule', () => {
    expect(nextScheduled('0 9 1 * *', new Date(2026, 0, 15, 12, 0))).toEqual(new Date(2026, 1, 1, 9, 0));
  });

  test('crosses a year end', () => {
    expect(nextScheduled('0 9 1 * *', new Date(2026, 11, 1, 9, 0))).toEqual(new Date(2027, 0, 1, 9, 0));
  });

  test('gives null for a valid expression that never fires', () => {
    expect(nextScheduled('0 0 31 2 *', new Date(2026, 0, 1))).toBeNull();
  });
});

test('refuses an expression that parses but never fires', () => {
  expect(cronProblem('0 0 31 2 *')).toBe('schedule "0 0 31 2 *" never fires');
});

describe('scheduleSummary and describeReview', () => {
  test('says a monthly schedule in words with its next three dates', () => {
    expect(scheduleSummary('0 9 1 * *', new Date(2026, 11, 6, 0, 15))).toEqual({
      words: 'monthly on the 1st at 9:00',
      next: ['1 Jan 2027', '1 Feb 2027', '1 Mar 2027'],
    });
  });

  test('gives the times when the schedule fires twice on one day', () => {
    expect(scheduleSummary('0 10,14 * * *', new Date(2026, 11, 6, 0, 15)).next).toEqual([
      '6 Dec 2026, 10:00',
      '6 Dec 2026, 14:00',
      '7 Dec 2026, 10:00',
    ]);
  });

  test.each([
    ['1y', 'yearly'],
    ['2y', 'every 2 years'],
    ['6mo', 'every 6 months'],
    ['1mo', 'monthly'],
    ['90d', 'every 90 days'],
    ['14d', 'every 2 weeks'],
  ])('says the review interval %s as "%s"', (text, words) => {
    expect(describeReview(text)).toBe(words);
  });
});
