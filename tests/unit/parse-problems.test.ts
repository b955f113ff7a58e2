import { parseRunbook } from '../../server/runbooks/format/parse';
import { file, withBody, parsed, problems } from './parse-helpers';

describe('problems', () => {
  test('refuses a file without front matter at line 1', () => {
    expect(problems(file('# Title', '', '## Step'))).toEqual([{ line: 1, message: expect.stringContaining('no front matter') }]);
  });

  test('refuses an empty file at line 1', () => {
    expect(problems('')).toEqual([{ line: 1, message: expect.stringContaining('no front matter') }]);
  });

  test('refuses front matter that is never closed at line 1', () => {
    expect(problems(file('---', 'title: T', '', '## Step'))).toEqual([{ line: 1, message: expect.stringContaining('not closed') }]);
  });

  test('reports YAML that does not parse at its line in the file', () => {
    const found = problems(file('---', 'title: T', 'category: x', 'tags: [a, b', '---', '## Step'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4, message: expect.stringContaining('front matter is not valid YAML') });
  });

  test('reports a repeated front-matter key at the repeated line', () => {
    expect(problems(file('---', 'title: T', 'owner: A', 'owner: B', '---', '## Step'))).toEqual([
      { line: 4, message: expect.stringContaining('not valid YAML') },
    ]);
  });

  test('reports front matter that is not keys and values', () => {
    expect(problems(file('---', '- a list', '---', '## Step'))).toEqual([{ line: 2, message: expect.stringContaining('keys and values') }]);
  });

  test('reports a YAML alias bomb as a problem instead of throwing', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ];
    expect(() => parseRunbook(file('---', 'title: T', ...bomb, '---', '## Step'))).not.toThrow();
    expect(problems(file('---', 'title: T', ...bomb, '---', '## Step'))).toEqual([
      { line: 2, message: expect.stringContaining('not valid YAML') },
    ]);
  });

  test('reports a missing title at the opening line', () => {
    expect(problems(file('---', 'category: fulfillment', '---', '## Step'))).toEqual([{ line: 1, message: 'front matter has no title' }]);
  });

  test('reports an empty title at its own line', () => {
    expect(problems(file('---', 'category: x', 'title: ""', '---', '## Step'))).toEqual([
      { line: 3, message: 'front matter has no title' },
    ]);
  });

  test('reports a title that is not text at its line', () => {
    expect(problems(file('---', 'title: [a, b]', '---', '## Step'))).toEqual([{ line: 2, message: 'title must be text' }]);
  });

  test('reports tags that are not a list of words', () => {
    expect(problems(file('---', 'title: T', 'tags: {a: 1}', '---', '## Step'))).toEqual([
      { line: 3, message: expect.stringContaining('tags must be a list') },
    ]);
  });

  test('reports a file without a "## " step', () => {
    expect(problems(file('---', 'title: T', '---', '', 'Only an intro.', '', '### Not a step'))).toEqual([
      { line: 4, message: expect.stringContaining('no step') },
    ]);
  });

  test('reports a file whose only "## " lines are inside fenced code as having no step', () => {
    expect(problems(withBody('```', '## fenced', '```'))).toEqual([{ line: 4, message: expect.stringContaining('no step') }]);
  });

  test('reports a bad estimate with its line', () => {
    expect(problems(withBody('## Pack', 'Owner: VA', 'Estimate: soon'))).toEqual([
      { line: 7, message: expect.stringMatching(/^Estimate "soon" is not a duration/) },
    ]);
  });

  test('reports a bad due offset with its line', () => {
    expect(problems(withBody('## Pack', 'Due: tomorrowish'))).toEqual([
      { line: 6, message: expect.stringMatching(/^Due "tomorrowish" is not/) },
    ]);
  });

  test('reports a front-matter income outside the list at its line', () => {
    expect(problems(file('---', 'title: T', 'income: lots', '---', '## Step'))).toEqual([
      { line: 3, message: 'income "lots" must be one of direct, indirect, none' },
    ]);
  });

  test('reports a step income outside the list with its line', () => {
    expect(problems(withBody('## Pack', 'Income: lots'))).toEqual([
      { line: 6, message: 'Income "lots" must be one of direct, indirect, none' },
    ]);
  });

  test('reports an Optional value other than yes or no with its line', () => {
    expect(problems(withBody('## Pack', 'Estimate: 5m', 'Optional: maybe'))).toEqual([
      { line: 7, message: 'Optional "maybe" must be yes or no' },
    ]);
  });

  test('reports a schedule that is not a valid cron expression at its line', () => {
    expect(problems(file('---', 'title: T', 'schedule: "61 9 * * *"', '---', '## Step'))).toEqual([
      { line: 3, message: expect.stringContaining('schedule "61 9 * * *" is not a valid cron expression') },
    ]);
  });

  test('refuses a six-field cron schedule (with seconds)', () => {
    expect(problems(file('---', 'title: T', 'review: 90d', 'schedule: "0 0 9 * * 1-5"', '---', '## Step'))).toEqual([
      { line: 4, message: expect.stringContaining('must have five fields') },
    ]);
  });

  test('reports a bad review interval at its line', () => {
    expect(problems(file('---', 'title: T', 'review: soon', '---', '## Step'))).toEqual([
      { line: 3, message: expect.stringContaining('review "soon" is not a duration') },
    ]);
  });

  test('reports an attribute given twice at the second line', () => {
    expect(problems(withBody('## Pack', 'Owner: A', 'Estimate: 5m', 'owner: B'))).toEqual([
      { line: 8, message: 'Owner is given twice in step "Pack"' },
    ]);
  });

  test('reports an attribute without a value', () => {
    expect(problems(withBody('## Pack', 'Owner:'))).toEqual([{ line: 6, message: 'Owner has no value' }]);
  });

  test.each(['##', '## ', '## ##', '  ## #'])('reports the empty heading "%s" at its line', (heading) => {
    expect(problems(withBody('## Fine', 'text', heading, 'more'))).toEqual([{ line: 7, message: 'step heading has no title' }]);
  });

  test('reports every problem in the file, sorted by line', () => {
    const source = file(
      '---', //            1
      'income: lots', //   2
      'review: soon', //   3
      '---', //            4
      '', //               5
      '## Pack', //        6
      'Estimate: soon', // 7
      'Due: later', //     8
      '', //               9
      '##', //            10
      'Optional: maybe', // 11
    );
    expect(problems(source)).toEqual([
      { line: 1, message: 'front matter has no title' },
      { line: 2, message: expect.stringContaining('income "lots"') },
      { line: 3, message: expect.stringContaining('review "soon"') },
      { line: 7, message: expect.stringContaining('Estimate "soon"') },
      { line: 8, message: expect.stringContaining('Due "later"') },
      { line: 10, message: 'step heading has no title' },
      { line: 11, message: expect.stringContaining('Optional "maybe"') },
    ]);
  });

  test('reports a missing step as well as front-matter problems', () => {
    expect(problems(file('---', 'category: x', '---', '', 'Intro only.'))).toEqual([
      { line: 1, message: 'front matter has no title' },
      { line: 4, message: expect.stringContaining('no step') },
    ]);
  });
});

describe('input encodings', () => {
  const lf = file('---', 'title: T', 'owner: VA', '---', '', 'Intro.', '', '## Pack', 'Estimate: 5m', '', '- [ ] Box', '');

  test('parses a CRLF file to the same runbook as the LF file', () => {
    expect(parsed(lf.replace(/\n/g, '\r\n'))).toEqual(parsed(lf));
  });

  test('parses a file that starts with a byte order mark', () => {
    expect(parsed(`\uFEFF${lf}`)).toEqual(parsed(lf));
  });

  test('counts lines the same in a CRLF file with a byte order mark', () => {
    const bad = `\uFEFF${file('---', 'title: T', '---', '', '## Pack', 'Estimate: soon').replace(/\n/g, '\r\n')}`;
    expect(problems(bad)).toEqual([{ line: 6, message: expect.stringContaining('Estimate "soon"') }]);
  });
});

test('reads front-matter income in any case, as a step Income is read', () => {
  const result = parseRunbook('---\ntitle: Invoices\nincome: Direct\n---\n\n## Send\n');
  expect(result.ok && result.runbook.income).toBe('direct');
});
