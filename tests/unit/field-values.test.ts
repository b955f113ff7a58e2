import { fieldValueText, parseFieldDef, readFieldValue, type FieldDef } from '../../server/runbooks/format/fields';
import { conditionHolds, parseCondition } from '../../server/runbooks/format/conditions';
import { dueFromDate, parseStepDue } from '../../server/runbooks/format/due';

const field = (text: string): FieldDef => {
  const parsed = parseFieldDef(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.field;
};

describe('field values', () => {
  test.each([
    ['Amount (money)', '42', 4200],
    ['Amount (money)', '42.5', 4250],
    ['Amount (money)', '1,042.50', 104250],
    ['Amount (money)', 19.99, 1999],
    ['Weight (number)', '3.5', 3.5],
    ['Weight (number)', 7, 7],
    ['Shipped (yes/no)', 'Yes', true],
    ['Shipped (yes/no)', false, false],
    ['Order date (date)', '2026-02-28', '2026-02-28'],
    ['Reason (one of: Damaged | Late)', 'late', 'Late'],
    ['Contact (email)', 'vera@example.com', 'vera@example.com'],
    ['Receipt (url)', 'https://example.com/r/1', 'https://example.com/r/1'],
    ['Note (text)', '  trimmed  ', 'trimmed'],
  ])('%s stores %p as %p', (definition, input, stored) => {
    expect(readFieldValue(field(definition), input)).toEqual({ ok: true, value: stored });
  });

  test('a blank value is no value, for every type', () => {
    for (const type of ['text', 'number', 'money', 'date', 'yes/no', 'email', 'url']) {
      expect(readFieldValue(field(`X (${type})`), '  ')).toEqual({ ok: true, value: null });
    }
  });

  test.each([
    ['Amount (money)', '42.505', 'Amount must be an amount with at most two decimals, like 42 or 42.50'],
    ['Amount (money)', 'forty', 'Amount must be an amount with at most two decimals, like 42 or 42.50'],
    ['Order date (date)', '2026-02-30', 'Order date must be a date in the calendar'],
    ['Order date (date)', '5 Dec 2026', 'Order date must be a date in the calendar'],
    ['Reason (one of: Damaged | Late)', 'Broken', 'Reason must be one of Damaged, Late'],
    ['Weight (number)', '3kg', 'Weight must be a number, like 12 or 3.5'],
    ['Shipped (yes/no)', 'maybe', 'Shipped must be yes or no'],
    ['Contact (email)', 'not an address', 'Contact must be an email address, like name@example.com'],
    ['Receipt (url)', 'javascript:alert(1)', 'Receipt must be a web address starting with https://'],
    ['Note (text)', 'x'.repeat(100_000), 'Note is longer than 500 characters'],
    ['Note (text)', { object: true }, 'Note must be text'],
  ])('%s refuses %p', (definition, input, message) => {
    expect(readFieldValue(field(definition), input)).toEqual({ ok: false, message });
  });

  test('shows values as people read them', () => {
    expect(fieldValueText(field('A (money)'), 104250)).toBe('1,042.50');
    expect(fieldValueText(field('A (money)'), -5)).toBe('-0.05');
    expect(fieldValueText(field('A (yes/no)'), true)).toBe('yes');
    expect(fieldValueText(field('A (date)'), '2026-12-05')).toBe('5 Dec 2026');
    expect(fieldValueText(field('A (text)'), null)).toBe('');
  });
});

describe('conditions', () => {
  const fields = [field('Amount (money)'), field('Reason (one of: Damaged | Late)'), field('Tracking (text)'), field('Sent (date)')];
  const holds = (text: string, values: Record<string, string | number | boolean | null>) => {
    const parsed = parseCondition(text, fields, fields);
    if (!parsed.ok) throw new Error(parsed.message);
    return conditionHolds(parsed.condition, (name) => values[name] ?? null);
  };

  test('compares money in cents', () => {
    expect(holds('Amount > 100', { Amount: 10001 })).toBe(true);
    expect(holds('Amount > 100', { Amount: 10000 })).toBe(false);
    expect(holds('Amount >= 100', { Amount: 10000 })).toBe(true);
    expect(holds('Amount < 100', { Amount: null })).toBe(false);
  });

  test('matches a choice without case, and is not holds for an empty field', () => {
    expect(holds('Reason is damaged', { Reason: 'Damaged' })).toBe(true);
    expect(holds('Reason is not Damaged', { Reason: 'Late' })).toBe(true);
    expect(holds('Reason is not Damaged', {})).toBe(true);
  });

  test('tells set from empty', () => {
    expect(holds('Tracking is set', { Tracking: 'ZX1' })).toBe(true);
    expect(holds('Tracking is empty', {})).toBe(true);
  });

  test('holds only when every clause holds', () => {
    expect(holds('Amount > 100 and Reason is Late', { Amount: 20000, Reason: 'Late' })).toBe(true);
    expect(holds('Amount > 100 and Reason is Late', { Amount: 20000, Reason: 'Damaged' })).toBe(false);
  });

  test('compares dates in calendar order', () => {
    expect(holds('Sent < 2026-12-24', { Sent: '2026-12-05' })).toBe(true);
    expect(holds('Sent < 2026-12-24', { Sent: '2027-01-02' })).toBe(false);
  });
});

describe('due times counted from a date field', () => {
  const dates = [field('Recording date (date)')];

  test('reads the field alone, or an offset after or before it', () => {
    expect(parseStepDue('Recording date', dates)).toEqual({ ok: true, due: { kind: 'field', field: 'Recording date', minutes: 0 } });
    expect(parseStepDue('7d after recording date', dates)).toEqual({
      ok: true,
      due: { kind: 'field', field: 'Recording date', minutes: 7 * 1440 },
    });
    expect(parseStepDue('1d before Recording date', dates)).toEqual({
      ok: true,
      due: { kind: 'field', field: 'Recording date', minutes: -1440 },
    });
    expect(parseStepDue('+1d', dates)).toEqual({ ok: true, due: { kind: 'start', offset: { kind: 'after', minutes: 1440 } } });
  });

  test('falls due at the end of the day, moved by the offset', () => {
    const due = dueFromDate('2026-12-10', 7 * 1440);
    expect([due.getFullYear(), due.getMonth() + 1, due.getDate(), due.getHours(), due.getMinutes()]).toEqual([2026, 12, 17, 23, 59]);
  });
});
