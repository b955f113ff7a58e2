import { parseRunbook } from '../../server/runbooks/format/parse';
import { writeRunbook } from '../../server/runbooks/format/write';
import { file, parsed, problems, stepAt } from './parse-helpers';

/** The example of the format's "Fields, conditions and approvals" section, in the exporter's layout. */
const REFUND = file(
  '---',
  'title: Process a refund request',
  'income: direct',
  'fields:',
  '  - Order number (text, required)',
  '  - Amount (money, required)',
  '  - Reason (one of: Damaged | Late | Changed mind | Other)',
  'run-title: "Refund for order {Order number}"',
  '---',
  '',
  '## Check the order',
  'Owner: Support VA',
  'Field: Original payment method (one of: Card | PayPal | Cheque, required)',
  'Field: Order date (date)',
  '',
  '## Approve the refund',
  'Owner: Support VA',
  'When: Amount > 100',
  'Approval: Owner',
  '',
  '## Send the money back',
  'Owner: Bookkeeper',
  'Due: 2d after Order date',
  'Field: Refund reference (text, required)',
);

describe('fields, conditions and approvals in a runbook file', () => {
  test('reads run fields, the run title, step fields, a condition, an approver and a due date counted from a field', () => {
    const runbook = parsed(REFUND);
    expect(runbook.fields).toEqual([
      { name: 'Order number', type: 'text', options: [], required: true, source: 'Order number (text, required)' },
      { name: 'Amount', type: 'money', options: [], required: true, source: 'Amount (money, required)' },
      {
        name: 'Reason',
        type: 'one of',
        options: ['Damaged', 'Late', 'Changed mind', 'Other'],
        required: false,
        source: 'Reason (one of: Damaged | Late | Changed mind | Other)',
      },
    ]);
    expect(runbook.runTitle).toBe('Refund for order {Order number}');
    expect(stepAt(runbook, 0).fields.map((f) => [f.name, f.type, f.options, f.required])).toEqual([
      ['Original payment method', 'one of', ['Card', 'PayPal', 'Cheque'], true],
      ['Order date', 'date', [], false],
    ]);
    expect(stepAt(runbook, 1)).toMatchObject({ when: 'Amount > 100', approval: 'Owner', fields: [] });
    expect(stepAt(runbook, 2)).toMatchObject({ due: '2d after Order date', owner: 'Bookkeeper' });
  });

  test('exports a file in the exporter layout byte for byte', () => {
    expect(writeRunbook(parsed(REFUND))).toBe(REFUND);
  });

  test('exports steps whose attributes were written in another order as the same runbook', () => {
    const shuffled = REFUND.replace(
      'Due: 2d after Order date\nField: Refund reference (text, required)',
      'Field: Refund reference (text, required)\nDue: 2d after Order date',
    );
    expect(shuffled).not.toBe(REFUND);
    expect(writeRunbook(parsed(shuffled))).toBe(REFUND);
  });

  test('reads every field type, in any case', () => {
    const runbook = parsed(
      file(
        '---',
        'title: T',
        'fields:',
        '  - A (text)',
        '  - B (Long Text)',
        '  - C (number)',
        '  - D (money)',
        '  - E (date)',
        '  - F (yes/no)',
        '  - G (email)',
        '  - H (url, required)',
        '---',
        '',
        '## S',
      ),
    );
    expect(runbook.fields.map((f) => f.type)).toEqual(['text', 'long text', 'number', 'money', 'date', 'yes/no', 'email', 'url']);
  });

  test('reads a condition joining clauses with and, and keeps "and" inside a choice', () => {
    const source = file(
      '---',
      'title: T',
      'fields:',
      '  - Reason (one of: Lost and found | Late)',
      '  - Amount (money)',
      '---',
      '',
      '## S',
      'When: Reason is Lost and found and Amount >= 10.50',
    );
    expect(parseRunbook(source).ok).toBe(true);
  });
});

describe('mistakes with fields, each at its line', () => {
  const withFields = (fields: string[], ...body: string[]) =>
    file('---', 'title: T', 'fields:', ...fields.map((f) => `  - ${f}`), '---', '', ...body);

  test('reports an unknown field type', () => {
    expect(problems(withFields(['Amount (currency)'], '## S'))).toEqual([
      {
        line: 4,
        message:
          'field "Amount" has the unknown type "currency": use text, long text, number, money, date, yes/no, email, url, or one of: A | B',
      },
    ]);
  });

  test('reports a field without a type', () => {
    expect(problems(withFields(['Order number'], '## S'))[0]).toEqual({
      line: 4,
      message: 'field "Order number" needs a type in brackets, e.g. "Order number (text, required)"',
    });
  });

  test('reports a step field with an unknown type at its Field: line', () => {
    expect(problems(file('---', 'title: T', '---', '', '## S', 'Field: Weight (kilos)'))).toEqual([
      { line: 6, message: expect.stringContaining('field "Weight" has the unknown type "kilos"') },
    ]);
  });

  test('reports a duplicate field name, compared without case, at the second definition', () => {
    expect(problems(withFields(['Order number (text)'], '## S', 'Field: order Number (number)'))).toEqual([
      { line: 8, message: 'field "order Number" is defined twice (names are compared without case)' },
    ]);
  });

  test('reports a condition naming an unknown field', () => {
    expect(problems(withFields(['Amount (money)'], '## S', 'When: Total > 100'))).toEqual([
      { line: 8, message: 'When "Total > 100": "Total" is not a field of this runbook' },
    ]);
  });

  test('reports a condition naming a later step’s field', () => {
    expect(problems(file('---', 'title: T', '---', '', '## A', 'When: Weight > 2', '', '## B', 'Field: Weight (number)'))).toEqual([
      {
        line: 6,
        message: 'When "Weight > 2": "Weight" is filled in a later step; a condition may name run fields and fields of earlier steps only',
      },
    ]);
  });

  test('reports an operator that does not fit the field’s type', () => {
    expect(problems(withFields(['Reason (text)'], '## S', 'When: Reason > 3'))).toEqual([
      { line: 8, message: 'When "Reason > 3": > does not fit "Reason" (text); use is or is not' },
    ]);
  });

  test('reports a value outside a one-of list', () => {
    expect(problems(withFields(['Reason (one of: Damaged | Late)'], '## S', 'When: Reason is Broken'))).toEqual([
      { line: 8, message: 'When "Reason is Broken": "Broken" is not one of Damaged, Late' },
    ]);
  });

  test('reports a comparison with a value of the wrong type', () => {
    expect(problems(withFields(['Amount (money)'], '## S', 'When: Amount > lots'))[0]?.message).toContain(
      'Amount must be an amount with at most two decimals',
    );
  });

  test('reports a {Field} in run-title that is no run field', () => {
    expect(problems(file('---', 'title: T', 'run-title: "Order {Order number}"', '---', '', '## S', 'Field: Order number (text)'))).toEqual(
      [{ line: 3, message: 'run-title names {Order number}, which is not a run field (listed under fields:)' }],
    );
  });

  test('reports a due date counted from a field that is not a date', () => {
    expect(problems(withFields(['Amount (money)'], '## S', 'Due: 2d after Amount'))[0]).toEqual({
      line: 8,
      message:
        'Due "2d after Amount" is not an offset (e.g. same day, +2h, +1d, 3 days) or a date field of this runbook (e.g. 2d after Order date)',
    });
  });

  test('reports fields that are not a list', () => {
    expect(problems(file('---', 'title: T', 'fields: Order number (text)', '---', '', '## S'))).toEqual([
      { line: 3, message: 'fields must be a list, one field a line: "- Order number (text, required)"' },
    ]);
  });

  test('reports a one-of with a single choice', () => {
    expect(problems(withFields(['Reason (one of: Damaged)'], '## S'))[0]?.message).toBe(
      'field "Reason": "one of" needs at least two choices, e.g. (one of: Card | PayPal)',
    );
  });

  test('reports a field name longer than 60 characters', () => {
    expect(problems(withFields([`${'x'.repeat(61)} (text)`], '## S'))[0]?.message).toBe(
      `field name "${'x'.repeat(61)}" is longer than 60 characters`,
    );
  });
});
