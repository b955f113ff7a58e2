import { writeRunbook } from '../../server/runbooks/format/write';
import { effectiveOwner } from '../../server/runbooks/format/model';
import { file, withBody, parsed, stepAt } from './parse-helpers';

describe('front matter', () => {
  const full = file(
    '---',
    'title: Ship a home-study order',
    'category: fulfillment',
    'owner: Operations lead',
    'tags: [home-study, shipping]',
    'income: direct',
    'schedule: "0 9 * * 1-5"',
    'review: 180d',
    '---',
    '',
    '## Confirm payment',
  );

  test('reads every known key of the format', () => {
    const runbook = parsed(full);
    expect(runbook).toMatchObject({
      title: 'Ship a home-study order',
      category: 'fulfillment',
      owner: 'Operations lead',
      tags: ['home-study', 'shipping'],
      income: 'direct',
      schedule: '0 9 * * 1-5',
      review: '180d',
    });
  });

  test('keeps the YAML between the --- lines verbatim in frontMatter', () => {
    expect(parsed(full).frontMatter).toBe(full.split('\n').slice(1, 8).join('\n'));
  });

  test('leaves optional keys empty when the file does not give them', () => {
    const runbook = parsed(withBody('## Step'));
    expect(runbook).toMatchObject({ title: 'T', category: null, owner: null, tags: [], income: null, schedule: null, review: null });
  });

  test('reads tags given as a block list', () => {
    expect(parsed(file('---', 'title: T', 'tags:', '  - one', '  - two words', '---', '## S')).tags).toEqual(['one', 'two words']);
  });

  test('reads tags given as a single string as one tag', () => {
    expect(parsed(file('---', 'title: T', 'tags: shipping', '---', '## S')).tags).toEqual(['shipping']);
  });

  test.each(['direct', 'indirect', 'none'] as const)('accepts income %s', (income) => {
    expect(parsed(file('---', 'title: T', `income: ${income}`, '---', '## S')).income).toBe(income);
  });

  test('reads a numeric title as text', () => {
    expect(parsed(file('---', 'title: 2024', '---', '## S')).title).toBe('2024');
  });

  test('keeps unknown keys and comments in the raw front matter and writes them out again', () => {
    const source = file(
      '---',
      'title: T',
      '# reviewed by the Owner',
      'carrier_account: USPS via Pirate Ship',
      'extra:',
      '  nested: [1, 2]',
      '---',
      '',
      '## S',
    );
    const runbook = parsed(source);
    expect(runbook.frontMatter).toBe('title: T\n# reviewed by the Owner\ncarrier_account: USPS via Pirate Ship\nextra:\n  nested: [1, 2]');
    const written = writeRunbook(runbook);
    expect(written).toContain('carrier_account: USPS via Pirate Ship\n');
    expect(written).toContain('# reviewed by the Owner\n');
    expect(written).toContain('extra:\n  nested: [1, 2]\n');
  });
});

describe('introduction', () => {
  test('takes the text before the first step heading, without surrounding blank lines', () => {
    const runbook = parsed(withBody('', 'Every paid order ships in a day.', '', '**Warning.** Check payment first.', '', '', '## Step'));
    expect(runbook.intro).toBe('Every paid order ships in a day.\n\n**Warning.** Check payment first.');
  });

  test('is empty when the first step heading follows the front matter', () => {
    expect(parsed(file('---', 'title: T', '---', '## Step')).intro).toBe('');
  });

  test('keeps deeper headings and fenced "## " lines in the introduction', () => {
    const runbook = parsed(withBody('### Scope', '', '```', '## not a step', '```', '', '## Real step'));
    expect(runbook.intro).toBe('### Scope\n\n```\n## not a step\n```');
    expect(runbook.steps.map((s) => s.title)).toEqual(['Real step']);
  });
});

describe('step headings', () => {
  test('starts one step per "## " heading, in file order', () => {
    const runbook = parsed(withBody('## First', 'one', '', '## Second', 'two', '## Third'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['First', 'Second', 'Third']);
    expect(runbook.steps.map((s) => s.body)).toEqual(['one', 'two', '']);
  });

  test('keeps "### " and deeper headings in the step body', () => {
    const runbook = parsed(withBody('## Pack', '', '### What goes in', '#### Detail', 'text'));
    expect(runbook.steps).toHaveLength(1);
    expect(stepAt(runbook, 0).body).toBe('### What goes in\n#### Detail\ntext');
  });

  test('keeps an empty "###" heading in the body instead of reading an untitled step', () => {
    const runbook = parsed(withBody('## Pack', '', '###', '', 'text'));
    expect(runbook.steps).toHaveLength(1);
    expect(stepAt(runbook, 0).body).toBe('###\n\ntext');
  });

  test('does not start a step at "## " inside a ``` fence', () => {
    const runbook = parsed(withBody('## Send email', '', '```text', '## Subject line', '- [ ] not a check', '```', '', '## Next'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['Send email', 'Next']);
    expect(stepAt(runbook, 0).body).toBe('```text\n## Subject line\n- [ ] not a check\n```');
  });

  test('does not start a step at "## " inside a ~~~ fence', () => {
    const runbook = parsed(withBody('## Send email', '', '~~~', '## Subject line', '```', '## still code', '~~~', '## Next'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['Send email', 'Next']);
  });

  test('closes a fence only with at least as many of the same marker', () => {
    const runbook = parsed(withBody('## A', '', '````md', '```', '## inside', '```', '## still inside', '````', '', '## B'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['A', 'B']);
  });

  test('does not read a line of inline code in triple backticks as an opening fence', () => {
    const runbook = parsed(withBody('## Install', '', '```npm ci```', '', '## Run'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['Install', 'Run']);
    expect(stepAt(runbook, 0).body).toBe('```npm ci```');
  });

  test('does not start a step at a "## " line indented as code', () => {
    const runbook = parsed(withBody('## A', '', '    ## indented code', '', '## B'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['A', 'B']);
  });

  test('reads a heading indented by up to three spaces or followed by a tab', () => {
    const runbook = parsed(withBody('   ## Indented', '##\tTabbed'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['Indented', 'Tabbed']);
  });

  test('does not read "##" without a space before the text as a heading', () => {
    const runbook = parsed(withBody('## A', '##not-a-heading'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['A']);
    expect(stepAt(runbook, 0).body).toBe('##not-a-heading');
  });

  test.each([
    ['1. Pack the box', 'Pack the box'],
    ['12) Pack the box', 'Pack the box'],
    ['Step 1: Pack the box', 'Pack the box'],
    ['step 3 - Pack the box', 'Pack the box'],
    ['STEP 4. Pack the box', 'Pack the box'],
  ])('strips the leading numbering from "## %s"', (heading, title) => {
    expect(stepAt(parsed(withBody(`## ${heading}`)), 0).title).toBe(title);
  });

  test('strips only the first numbering when a title starts like numbering itself', () => {
    expect(stepAt(parsed(withBody('## 1. 2. Pack')), 0).title).toBe('2. Pack');
  });

  test.each([
    ['1.5 hours of calls', '1.5 hours of calls'],
    ['2024 tax return', '2024 tax return'],
    ['Stepping stones', 'Stepping stones'],
    ['Step 1 of the audit', 'Step 1 of the audit'],
  ])('keeps "%s" whole because it is not numbering', (heading, title) => {
    expect(stepAt(parsed(withBody(`## ${heading}`)), 0).title).toBe(title);
  });

  test('keeps a heading that is only a number as its title rather than leave it empty', () => {
    const runbook = parsed(withBody('## 3.', '## Step 2:'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['3.', 'Step 2:']);
  });

  test('drops a closing "#" sequence but keeps a "#" that is part of a word', () => {
    const runbook = parsed(withBody('## Pack ##', '## Learn C#', '## Ticket # #'));
    expect(runbook.steps.map((s) => s.title)).toEqual(['Pack', 'Learn C#', 'Ticket #']);
  });
});

describe('step attributes', () => {
  test('reads Owner, Estimate, Due, Income and Optional directly under the heading', () => {
    const step = stepAt(
      parsed(withBody('## Pack', 'Owner: Fulfillment VA', 'Estimate: 1h30m', 'Due: +1d', 'Income: indirect', 'Optional: yes', '', 'Body.')),
      0,
    );
    expect(step).toEqual({
      title: 'Pack',
      owner: 'Fulfillment VA',
      estimate: '1h30m',
      estimateMinutes: 90,
      due: '+1d',
      income: 'indirect',
      optional: true,
      body: 'Body.',
      checks: [],
      fields: [],
      when: null,
      approval: null,
    });
  });

  test('leaves attributes null when the step does not give them', () => {
    expect(stepAt(parsed(withBody('## Pack', '', 'Body.')), 0)).toMatchObject({
      owner: null,
      estimate: null,
      estimateMinutes: null,
      due: null,
      income: null,
      optional: null,
    });
  });

  test('reads attribute keys in any case and in any order', () => {
    const step = stepAt(
      parsed(withBody('## Pack', 'optional: No', 'ESTIMATE: 5m', 'dUe: same day', 'income: Direct', 'owner: Bookkeeper')),
      0,
    );
    expect(step).toMatchObject({
      owner: 'Bookkeeper',
      estimate: '5m',
      estimateMinutes: 5,
      due: 'same day',
      income: 'direct',
      optional: false,
    });
  });

  test('trims spaces around the colon and after the value', () => {
    const step = stepAt(parsed(withBody('## Pack', 'Owner :   Bookkeeper   ', 'Estimate:5m')), 0);
    expect(step).toMatchObject({ owner: 'Bookkeeper', estimate: '5m' });
  });

  test('ends the attribute block at the first blank line, so a later "Key: value" line is body', () => {
    const step = stepAt(parsed(withBody('## Pack', 'Owner: Bookkeeper', '', 'Estimate: 5m', 'Due: +1d')), 0);
    expect(step).toMatchObject({ owner: 'Bookkeeper', estimate: null, due: null, body: 'Estimate: 5m\nDue: +1d' });
  });

  test('reads nothing as attributes when a blank line follows the heading', () => {
    const step = stepAt(parsed(withBody('## Pack', '', 'Owner: Bookkeeper')), 0);
    expect(step).toMatchObject({ owner: null, body: 'Owner: Bookkeeper' });
  });

  test('ends the attribute block at the first other line, which starts the body', () => {
    const step = stepAt(parsed(withBody('## Pack', 'Owner: Bookkeeper', 'Open the store admin.', 'Estimate: 5m')), 0);
    expect(step).toMatchObject({ owner: 'Bookkeeper', estimate: null, body: 'Open the store admin.\nEstimate: 5m' });
  });

  test('starts the body at a "Key: value" line whose key is not an attribute', () => {
    const step = stepAt(parsed(withBody('## Pack', 'Note: fragile', 'Owner: Bookkeeper')), 0);
    expect(step).toMatchObject({ owner: null, body: 'Note: fragile\nOwner: Bookkeeper' });
  });

  test('reads an indented "Owner:" line as body', () => {
    const step = stepAt(parsed(withBody('## Pack', '  Owner: Bookkeeper')), 0);
    expect(step).toMatchObject({ owner: null, body: '  Owner: Bookkeeper' });
  });

  test('lets a step without Owner inherit the runbook owner', () => {
    const runbook = parsed(file('---', 'title: T', 'owner: Operations lead', '---', '## Own', 'Owner: Bookkeeper', '## Inherited'));
    expect(stepAt(runbook, 1).owner).toBeNull();
    expect(runbook.steps.map((s) => effectiveOwner(runbook, s))).toEqual(['Bookkeeper', 'Operations lead']);
  });

  test('leaves a step unowned when neither the step nor the runbook names an owner', () => {
    const runbook = parsed(withBody('## Orphan'));
    expect(effectiveOwner(runbook, stepAt(runbook, 0))).toBeNull();
  });
});

describe('checks', () => {
  test('collects the task items of a step in document order, nested ones included', () => {
    const step = stepAt(
      parsed(
        withBody(
          '## Pack',
          '',
          '- [ ] Binder inside',
          '  - [ ] Binder sleeve on',
          '- [x] Packing slip on top',
          '- plain list item',
          '',
          '1. [ ] Numbered task',
        ),
      ),
      0,
    );
    expect(step.checks).toEqual(['Binder inside', 'Binder sleeve on', 'Packing slip on top', 'Numbered task']);
  });

  test('reads the check text without its box when task items are apart by blank lines', () => {
    const step = stepAt(
      parsed(withBody('## Pack', '', '- [ ] Binder inside', '', '- [x] Packing slip on top', '', '  - [ ] Nested after a blank')),
      0,
    );
    expect(step.checks).toEqual(['Binder inside', 'Packing slip on top', 'Nested after a blank']);
  });

  test('reads the check text without its box when a task follows plain items of the same list', () => {
    const step = stepAt(parsed(withBody('## Label', '', '- Domestic: Ground Advantage.', '', '- [ ] Service chosen')), 0);
    expect(step.checks).toEqual(['Service chosen']);
  });

  test('ignores task items inside fenced code', () => {
    const step = stepAt(
      parsed(withBody('## Pack', '', '```md', '- [ ] shown, not a check', '```', '~~~', '- [x] nor this', '~~~', '- [ ] Real check')),
      0,
    );
    expect(step.checks).toEqual(['Real check']);
  });

  test('reads a ticked [x] item as check text only, the same as an open one', () => {
    const ticked = stepAt(parsed(withBody('## Pack', '', '- [x] Shipped')), 0);
    const open = stepAt(parsed(withBody('## Pack', '', '- [ ] Shipped')), 0);
    expect(ticked.checks).toEqual(['Shipped']);
    expect(ticked.checks).toEqual(open.checks);
    expect(ticked.body).toBe('- [x] Shipped');
  });

  test('keeps inline Markdown in a check and folds a wrapped item onto one line', () => {
    const step = stepAt(parsed(withBody('## Pack', '', '- [ ] **Binder** and', '  [slip](https://example.com)')), 0);
    expect(step.checks).toEqual(['**Binder** and [slip](https://example.com)']);
  });

  test('finds no checks in a body without task items', () => {
    expect(stepAt(parsed(withBody('## Pack', '', '- one', '- [link](x) two')), 0).checks).toEqual([]);
  });
});
