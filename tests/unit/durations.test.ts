import { dueAt, nextReview, parseDue, parseEstimate, parseReviewInterval } from '../../server/runbooks/format/durations';

describe('parseEstimate', () => {
  test.each([
    ['5m', 5],
    ['1h', 60],
    ['1h30m', 90],
    ['90 min', 90],
    ['2 hours', 120],
    ['1 hour 30 minutes', 90],
    ['45 mins', 45],
    ['1 hr 15 min', 75],
    ['1.5h', 90],
    ['  20M  ', 20],
    ['720h', 720 * 60],
  ])('reads "%s" as %i minutes', (text, minutes) => {
    expect(parseEstimate(text)).toBe(minutes);
  });

  test.each(['soon', '0m', '5', '-5m', '5 parsecs', '', '1h30', 'h', '5m later', '1h, 30m', '721h'])('refuses "%s"', (text) => {
    expect(parseEstimate(text)).toBeNull();
  });
});

describe('parseDue', () => {
  test.each(['same day', 'Same Day', 'same  day', 'today', 'end of day'])('reads "%s" as the end of the starting day', (text) => {
    expect(parseDue(text)).toEqual({ kind: 'same-day' });
  });

  test.each([
    ['+1d', 1440],
    ['+2h', 120],
    ['3 days', 3 * 1440],
    ['+1w', 7 * 1440],
    ['+ 1d', 1440],
    ['1d12h', 1440 + 720],
    ['+30m', 30],
  ])('reads "%s" as %i minutes after the start', (text, minutes) => {
    expect(parseDue(text)).toEqual({ kind: 'after', minutes });
  });

  test.each(['tomorrowish', '', '+', '-1d', '1d later', '+1 fortnight', '367d'])('refuses "%s"', (text) => {
    expect(parseDue(text)).toBeNull();
  });
});

describe('dueAt', () => {
  // Local time, mid-month, away from daylight-saving changes.
  const start = new Date(2026, 5, 10, 9, 30, 0, 0);

  test('adds an offset to the start time', () => {
    expect(dueAt({ kind: 'after', minutes: 90 }, start).getTime()).toBe(start.getTime() + 90 * 60_000);
  });

  test('gives the start itself for a zero offset', () => {
    expect(dueAt({ kind: 'after', minutes: 0 }, start).getTime()).toBe(start.getTime());
  });

  test('gives the last moment of the local day the run starts for "same day"', () => {
    expect(dueAt({ kind: 'same-day' }, start)).toEqual(new Date(2026, 5, 10, 23, 59, 59, 999));
  });

  test('does not change the start date it was given', () => {
    const given = new Date(start.getTime());
    dueAt({ kind: 'same-day' }, given);
    expect(given.getTime()).toBe(start.getTime());
  });

  test('composes with parseDue for "+1d"', () => {
    const offset = parseDue('+1d');
    if (!offset) throw new Error('"+1d" should parse');
    expect(dueAt(offset, start)).toEqual(new Date(2026, 5, 11, 9, 30, 0, 0));
  });
});

describe('parseReviewInterval', () => {
  test.each([
    ['90d', { amount: 90, unit: 'day' }],
    ['2w', { amount: 14, unit: 'day' }],
    ['6mo', { amount: 6, unit: 'month' }],
    ['1y', { amount: 12, unit: 'month' }],
    ['180 days', { amount: 180, unit: 'day' }],
    ['2 Years', { amount: 24, unit: 'month' }],
  ])('reads "%s"', (text, interval) => {
    expect(parseReviewInterval(text)).toEqual(interval);
  });

  test.each(['soon', '0d', '0mo', '', '6', '1.5y', '-1y', '6m', '11y'])('refuses "%s"', (text) => {
    expect(parseReviewInterval(text)).toBeNull();
  });
});

describe('nextReview', () => {
  const utc = (iso: string) => new Date(iso);

  test('adds days for a day interval', () => {
    expect(nextReview({ amount: 90, unit: 'day' }, utc('2026-01-15T10:00:00Z'))).toEqual(utc('2026-04-15T10:00:00Z'));
  });

  test('adds calendar months for a month interval', () => {
    expect(nextReview({ amount: 6, unit: 'month' }, utc('2026-03-15T10:00:00Z'))).toEqual(utc('2026-09-15T10:00:00Z'));
  });

  test('adds years as twelve calendar months', () => {
    const interval = parseReviewInterval('1y');
    if (!interval) throw new Error('"1y" should parse');
    expect(nextReview(interval, utc('2026-07-01T00:00:00Z'))).toEqual(utc('2027-07-01T00:00:00Z'));
  });

  test('stops at the last day of a shorter month instead of running into the next', () => {
    expect(nextReview({ amount: 1, unit: 'month' }, utc('2026-01-31T12:00:00Z'))).toEqual(utc('2026-02-28T12:00:00Z'));
    expect(nextReview({ amount: 6, unit: 'month' }, utc('2026-08-31T12:00:00Z'))).toEqual(utc('2027-02-28T12:00:00Z'));
  });

  test('keeps February 29 in a leap year and falls to February 28 otherwise', () => {
    expect(nextReview({ amount: 1, unit: 'month' }, utc('2028-01-31T00:00:00Z'))).toEqual(utc('2028-02-29T00:00:00Z'));
    expect(nextReview({ amount: 12, unit: 'month' }, utc('2028-02-29T00:00:00Z'))).toEqual(utc('2029-02-28T00:00:00Z'));
  });

  test('crosses a year end', () => {
    expect(nextReview({ amount: 3, unit: 'month' }, utc('2026-11-30T08:00:00Z'))).toEqual(utc('2027-02-28T08:00:00Z'));
  });

  test('does not change the date it was given', () => {
    const from = utc('2026-01-31T12:00:00Z');
    nextReview({ amount: 1, unit: 'month' }, from);
    expect(from).toEqual(utc('2026-01-31T12:00:00Z'));
  });
});
