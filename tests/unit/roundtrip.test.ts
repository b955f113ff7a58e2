import fs from 'node:fs';
import path from 'node:path';
import { parseRunbook } from '../../server/runbooks/parse';
import { writeRunbook } from '../../server/runbooks/write';
import type { Income, Runbook } from '../../server/runbooks/model';

const RUNBOOKS = path.join(__dirname, '..', '..', 'runbooks');
const file = (...lines: string[]) => `${lines.join('\n')}\n`;

function parsed(source: string): Runbook {
  const result = parseRunbook(source);
  if (!result.ok) throw new Error(`expected the file to parse, got ${JSON.stringify(result.problems)}\n${source}`);
  return result.runbook;
}

/** Export then import gives the same runbook, and exporting that again changes nothing. */
function expectRoundTrip(source: string) {
  const original = parsed(source);
  const exported = writeRunbook(original);
  const reimported = parsed(exported);
  expect(reimported).toEqual(original);
  expect(writeRunbook(reimported)).toBe(exported);
  return { original, exported };
}

describe('shipped runbooks', () => {
  const names = fs.readdirSync(RUNBOOKS).filter((name) => name.endsWith('.md')).sort();

  test('the runbooks folder holds the shipped runbooks', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  test.each(names)('%s is written back byte for byte', (name) => {
    const text = fs.readFileSync(path.join(RUNBOOKS, name), 'utf8');
    expect(writeRunbook(parsed(text))).toBe(text);
  });
});

describe('valid files not in the canonical layout', () => {
  const cases: [string, string][] = [
    ['numbered headings', file('---', 'title: T', '---', '', '## 1. Pack', '## 2) Ship', '## Step 3: Email', '## STEP 4 - Archive')],
    ['lowercase and uppercase attribute keys', file('---', 'title: T', '---', '## Pack', 'owner: VA', 'ESTIMATE: 5m', 'due: +1d', 'INCOME: Direct', 'optional: YES')],
    ['attributes in another order', file('---', 'title: T', '---', '## Pack', 'Optional: no', 'Due: same day', 'Income: none', 'Estimate: 1 hour 30 minutes', 'Owner: Bookkeeper', '', 'Body.')],
    ['doubled blank lines', file('---', 'title: T', '---', '', '', 'Intro.', '', '', '', '## Pack', 'Owner: VA', '', '', 'Para one.', '', '', 'Para two.', '', '', '## Ship', '', '')],
    ['trailing spaces', file('--- ', 'title: T  ', '---  ', '', 'Intro.  ', '', '## Pack  ', 'Owner: VA   ', 'Estimate: 5m\t', '', 'Line with break  ', 'next  ', '  ')],
    ['body directly after the attributes', file('---', 'title: T', '---', '## Pack', 'Owner: VA', 'Open the box.', '- [ ] Box open', '## Ship', 'Estimate: 5m', '| a | b |', '| --- | --- |', '| 1 | 2 |')],
    ['no introduction', file('---', 'title: T', '---', '## Only step', '', 'Body.')],
    ['a step with no body', file('---', 'title: T', '---', '', 'Intro.', '', '## Empty', '## Attributes only', 'Owner: VA', 'Due: +2h', '## Last')],
    ['titles that start like numbering', file('---', 'title: T', '---', '', '## 1. 2. Pack', '', '## 2. Step 3: Weigh', '## 3) 10) Label', 'Owner: VA')],
    ['a "Key: value" body line after the blank line', file('---', 'title: T', '---', '## Pack', 'Owner: VA', '', 'Estimate: this is prose, not an attribute', '## Ship', '', 'Owner: also prose')],
    ['CRLF line ends', file('---', 'title: T', 'owner: VA', '---', '', 'Intro.', '', '## 1. Pack', 'estimate: 5m', 'Body', '- [x] Done').replace(/\n/g, '\r\n')],
    ['a byte order mark', `\uFEFF${file('---', 'title: T', '---', '## Pack')}`],
    ['closing "#" sequences and titles ending in "#"', file('---', 'title: T', '---', '## Pack ##', '## Ticket # #', '## # #', '## Learn C#')],
    ['fenced code with headings and attributes inside', file('---', 'title: T', '---', '## Pack', '```', '## Not a step', 'Owner: nobody', '- [ ] not a check', '```', '', '~~~~', '```', '## still code', '~~~~', '```npm ci```', '## Ship')],
    ['deeper and empty deeper headings', file('---', 'title: T', '---', '## Pack', '', '###', '### What goes in', '#### Detail', '## Ship')],
    ['a front matter with comments, unknown keys and a block list', file('---', '# a comment', 'title: "Quoted: title"', 'tags:', '  - a', '  - b', 'x_custom:', '  nested: true', '---', '## Pack')],
    ['headings indented or separated by a tab', file('---', 'title: T', '---', '   ## Indented', '##\tTabbed')],
    ['nested task items and a ticked one', file('---', 'title: T', '---', '## Pack', '', '- [ ] Outer', '  - [x] Inner', '    1. [ ] Deeper', '- not a task')],
    ['a heading that is only a number', file('---', 'title: T', '---', '## 3.', '## Step 2:')],
  ];

  test.each(cases)('%s: export then import gives the same runbook, and export is idempotent', (_name, source) => {
    expectRoundTrip(source);
  });

  test.each(cases)('%s: the source is not already canonical, so the check above is not trivial', (_name, source) => {
    // Guards the table: a case written canonically would only repeat the byte-for-byte test.
    expect(writeRunbook(parsed(source))).not.toBe(source);
  });

  test('writes numbered headings without the writer numbering', () => {
    const { exported } = expectRoundTrip(file('---', 'title: T', '---', '## 1. Pack', '## 2) Ship'));
    expect(exported).toBe(file('---', 'title: T', '---', '', '## Pack', '', '## Ship'));
  });

  test('writes attributes in the canonical order and case, then a blank line before the body', () => {
    const { exported } = expectRoundTrip(file('---', 'title: T', '---', '## Pack', 'optional: YES', 'income: Direct', 'due: +1d', 'ESTIMATE: 5m', 'owner: VA', 'Body.'));
    expect(exported).toBe(file('---', 'title: T', '---', '', '## Pack', 'Owner: VA', 'Estimate: 5m', 'Due: +1d', 'Income: direct', 'Optional: yes', '', 'Body.'));
  });

  test('numbers a title that starts like numbering so the number survives import', () => {
    const { original, exported } = expectRoundTrip(file('---', 'title: T', '---', '## Intro step', '## 7. 2. Pack'));
    expect(original.steps.map((s) => s.title)).toEqual(['Intro step', '2. Pack']);
    expect(exported).toContain('\n## 2. 2. Pack\n');
  });

  test('closes a title that ends in "#" so the "#" survives import', () => {
    const { original, exported } = expectRoundTrip(file('---', 'title: T', '---', '## Ticket # #', '## # #'));
    expect(original.steps.map((s) => s.title)).toEqual(['Ticket #', '#']);
    expect(exported).toContain('\n## Ticket # #\n');
    expect(exported).toContain('\n## # #\n');
  });

  test('writes a CRLF file with LF line ends', () => {
    const { exported } = expectRoundTrip(file('---', 'title: T', '---', '## Pack').replace(/\n/g, '\r\n'));
    expect(exported).not.toContain('\r');
  });
});

// ---------------------------------------------------------------------------------------------
// Generated runbooks: a seeded generator (mulberry32) so a failure names a reproducible seed.

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  some<T>(items: readonly T[], min: number, max: number): T[] {
    return Array.from({ length: this.int(min, max) }, () => this.pick(items));
  }
  /** A key written in a random case: "Owner", "owner", "OWNER", "oWnEr". */
  anyCase(word: string): string {
    switch (this.int(0, 3)) {
      case 0: return word[0]?.toUpperCase() + word.slice(1);
      case 1: return word.toLowerCase();
      case 2: return word.toUpperCase();
      default: return [...word].map((c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
    }
  }
}

const WORDS = ['pack', 'the', 'box', 'order', 'invoice', 'client', 'label', 'send', 'check', 'stock', 'refund', 'Owner', 'VA', 'café', 'Ünïcode'];
const TITLE_TOKENS = [...WORDS, 'C#', 'R&D', '(VAT)', 'e-mail', 'what?', 'now!', '50%', "customer's", '"quoted"', 'a/b', 'x:y', '*star*', '`code`', '#tag', '[link](https://example.com)', '—', 'v2.1', '<b>', '\\'];
const OWNERS = ['Bookkeeper', 'Fulfillment VA', 'Operations lead', 'Ana Pérez', 'Content VA (part-time)', 'O\'Brien & Co'];
const ESTIMATES = ['5m', '1h', '1h30m', '90 min', '2 hours', '1 hour 30 minutes', '45 mins', '1.5h'];
const DUES = ['same day', '+1d', '+2h', '3 days', '+1w', 'end of day', '+1d12h'];
const SCHEDULES = ['0 9 * * 1-5', '0 9 1 * *', '*/15 * * * *', '30 8 * * MON', '0 0 1 1 *'];
const REVIEWS = ['90d', '6mo', '1y', '2w', '180 days'];
const INCOME_VALUES: Income[] = ['direct', 'indirect', 'none'];

interface ExpectedStep {
  title: string;
  owner: string | null;
  estimate: string | null;
  due: string | null;
  income: Income | null;
  optional: boolean | null;
  checks: string[];
}

interface Generated {
  source: string;
  expected: Omit<Runbook, 'frontMatter' | 'intro' | 'steps'> & { steps: ExpectedStep[]; unknownKey: string | null };
  features: Set<string>;
}

function title(g: Gen, features: Set<string>): { text: string; heading: string } {
  const words = [g.pick(WORDS), ...g.some(TITLE_TOKENS, 0, 4)];
  if (g.chance(0.15)) words.push(g.pick(['#', '##']));
  const text = g.chance(0.5) ? words.join(' ') : [...words.slice(1), words[0]].join(' ');
  let heading = text;
  // A title ending in a lone "#" run needs a closing sequence, as any CommonMark writer adds.
  if (/(^| )#+$/.test(text)) {
    heading += ' #';
    features.add('title ending in #');
  } else if (g.chance(0.1)) {
    heading += ` ${'#'.repeat(g.int(1, 3))}`;
    features.add('closing sequence');
  }
  // A title that itself starts like numbering ("5) the VA") is always numbered by the writer.
  const looksNumbered = g.chance(0.15);
  const ownNumber = `${g.int(1, 20)}${g.pick(['.', ')'])} `;
  const titleText = looksNumbered ? `${ownNumber}${text}` : text;
  if (looksNumbered) heading = `${ownNumber}${heading}`;
  if (looksNumbered || g.chance(0.4)) {
    heading = `${g.pick([`${g.int(1, 30)}. `, `${g.int(1, 30)}) `, `Step ${g.int(1, 30)}: `, `step ${g.int(1, 9)} - `])}${heading}`;
    features.add('numbered heading');
  }
  return { text: titleText, heading };
}

function words(g: Gen, min: number, max: number): string {
  return g.some(WORDS, min, max).join(' ');
}

/** A body block and the checks it holds (task items outside code). */
function block(g: Gen, features: Set<string>): { lines: string[]; checks: string[] } {
  switch (g.int(0, 8)) {
    case 0:
      return { lines: [`${words(g, 1, 8)}.`, ...(g.chance(0.3) ? [`${words(g, 1, 5)}, **${words(g, 1, 2)}** and [a link](https://example.com/${g.int(1, 99)}).`] : [])], checks: [] };
    case 1: {
      features.add('task items');
      const checks: string[] = [];
      const lines: string[] = [];
      for (let i = g.int(1, 4); i > 0; i--) {
        const text = words(g, 1, 5);
        checks.push(text);
        lines.push(`- [${g.pick([' ', 'x', 'X'])}] ${text}`);
        if (g.chance(0.3)) {
          features.add('nested task items');
          const nested = words(g, 1, 4);
          checks.push(nested);
          lines.push(`  - [ ] ${nested}`);
        }
      }
      return { lines, checks };
    }
    case 2:
      return { lines: g.some(WORDS, 1, 4).map((w) => `${g.pick(['-', '*', '1.'])} ${w} item`), checks: [] };
    case 3: {
      features.add('table');
      const rows = Array.from({ length: g.int(1, 3) }, () => `| ${g.pick(WORDS)} | ${g.int(1, 9)} |`);
      return { lines: ['| Item | Qty |', '| --- | ---: |', ...rows], checks: [] };
    }
    case 4: {
      features.add('fence with step-like lines');
      const marker = g.pick(['```', '~~~', '````']);
      const inside = g.some(['## Not a step', '- [ ] not a check', 'Owner: nobody', '', '    indented', `### ${g.pick(WORDS)}`, '```js'], 1, 5);
      return { lines: [`${marker}${g.pick(['', 'text', 'md', ' yaml'])}`, ...inside, marker], checks: [] };
    }
    case 5:
      features.add('deeper heading');
      return { lines: [`${'#'.repeat(g.int(3, 6))} ${words(g, 1, 3)}`], checks: [] };
    case 6:
      features.add('key-value body line');
      return { lines: [`${g.anyCase(g.pick(['owner', 'estimate', 'due', 'note']))}: ${words(g, 1, 3)}`], checks: [] };
    case 7:
      return { lines: [`> ${words(g, 1, 6)}`, '> more quoted text'], checks: [] };
    default:
      features.add('inline triple backticks');
      return { lines: [`\`\`\`${g.pick(WORDS)}\`\`\``], checks: [] };
  }
}

function separator(g: Gen): string[] {
  return g.chance(0.2) ? ['', ''] : [''];
}

function generate(seed: number): Generated {
  const g = new Gen(seed);
  const features = new Set<string>();
  const out: string[] = ['---'];

  const runbookTitle = `${g.pick(['Ship', 'Invoice', 'Refund', 'Onboard'])} ${words(g, 1, 4)}${g.pick(['', ': part 2', ' (draft)', ' & more', ' #1', ' — v2'])}`;
  out.push(`title: ${JSON.stringify(runbookTitle)}`);
  const category = g.chance(0.6) ? g.pick(['fulfillment', 'invoicing', 'content', 'operations']) : null;
  if (category) out.push(`category: ${category}`);
  const owner = g.chance(0.6) ? g.pick(OWNERS) : null;
  if (owner) out.push(`owner: ${JSON.stringify(owner)}`);
  let tags: string[] = [];
  if (g.chance(0.6)) {
    tags = g.some(['shipping', 'home-study', 'cash-flow', 'two words', 'x'], 1, 3);
    if (tags.length === 1 && g.chance(0.5)) out.push(`tags: ${tags[0]}`);
    else if (g.chance(0.5)) out.push(`tags: [${tags.join(', ')}]`);
    else out.push('tags:', ...tags.map((t) => `  - ${t}`));
  }
  const income = g.chance(0.5) ? g.pick(INCOME_VALUES) : null;
  if (income) out.push(`income: ${income}`);
  const schedule = g.chance(0.3) ? g.pick(SCHEDULES) : null;
  if (schedule) out.push(`schedule: "${schedule}"`);
  const review = g.chance(0.5) ? g.pick(REVIEWS) : null;
  if (review) out.push(`review: ${review}`);
  let unknownKey: string | null = null;
  if (g.chance(0.4)) {
    unknownKey = `x_${g.pick(WORDS).toLowerCase().replace(/[^a-z]/g, '')}: ${g.int(0, 999)}`;
    out.push(unknownKey);
    features.add('unknown front-matter key');
  }
  if (g.chance(0.2)) out.push(`# ${words(g, 1, 4)}`);
  out.push('---');

  if (g.chance(0.7)) {
    features.add('intro');
    out.push(...separator(g));
    for (let i = g.int(1, 3); i > 0; i--) out.push(...block(g, features).lines, ...separator(g));
  } else if (g.chance(0.5)) {
    out.push('');
  }

  const steps: ExpectedStep[] = [];
  for (let s = g.int(1, 6); s > 0; s--) {
    const t = title(g, features);
    out.push(`${g.pick(['', '', ' ', '   '])}##${g.pick([' ', '  ', '\t'])}${t.heading}${g.chance(0.1) ? '  ' : ''}`);
    const step: ExpectedStep = { title: t.text, owner: null, estimate: null, due: null, income: null, optional: null, checks: [] };
    const attributes = g.some(['owner', 'estimate', 'due', 'income', 'optional'] as const, 0, 5).filter((k, i, all) => all.indexOf(k) === i);
    for (const key of attributes) {
      let value: string;
      switch (key) {
        case 'owner': value = step.owner = g.pick(OWNERS); break;
        case 'estimate': value = step.estimate = g.pick(ESTIMATES); break;
        case 'due': value = step.due = g.pick(DUES); break;
        case 'income': step.income = g.pick(INCOME_VALUES); value = g.anyCase(step.income); break;
        default: step.optional = g.chance(0.5); value = g.anyCase(step.optional ? 'yes' : 'no');
      }
      out.push(`${g.anyCase(key)}${g.pick([': ', ':', ' : ', ':\t'])}${value}${g.chance(0.1) ? '   ' : ''}`);
    }
    if (attributes.length > 0) features.add('attributes');

    const blocks = g.int(0, 4);
    if (blocks > 0 && attributes.length > 0 && g.chance(0.3)) {
      // A body that starts right under the attributes, with no blank line.
      features.add('body directly after attributes');
      out.push(`${words(g, 2, 6)}.`);
    } else if (blocks > 0 || g.chance(0.5)) {
      out.push(...separator(g));
    }
    for (let b = 0; b < blocks; b++) {
      const { lines, checks } = block(g, features);
      out.push(...lines, ...separator(g));
      step.checks.push(...checks);
    }
    steps.push(step);
  }

  let source = `${out.join('\n')}\n`;
  if (g.chance(0.15)) {
    source = source.replace(/\n/g, '\r\n');
    features.add('CRLF');
  }
  if (g.chance(0.05)) source = `\uFEFF${source}`;
  if (g.chance(0.1)) source = source.replace(/\r?\n$/, '');
  return { source, expected: { title: runbookTitle, category, owner, tags, income, schedule, review, steps, unknownKey }, features };
}

describe('generated runbooks', () => {
  const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i);
  const generated = SEEDS.map((seed) => ({ seed, ...generate(seed) }));

  test('each generated file parses into the runbook it was built from', () => {
    for (const { seed, source, expected } of generated) {
      const result = parseRunbook(source);
      if (!result.ok) throw new Error(`seed ${seed}: ${JSON.stringify(result.problems)}\n${source}`);
      const { runbook } = result;
      const context = `seed ${seed}:\n${source}`;
      expect({ context, title: runbook.title, category: runbook.category, owner: runbook.owner, tags: runbook.tags, income: runbook.income, schedule: runbook.schedule, review: runbook.review })
        .toEqual({ context, title: expected.title, category: expected.category, owner: expected.owner, tags: expected.tags, income: expected.income, schedule: expected.schedule, review: expected.review });
      expect({ context, steps: runbook.steps.map(({ title, owner, estimate, due, income, optional, checks }) => ({ title, owner, estimate, due, income, optional, checks })) })
        .toEqual({ context, steps: expected.steps });
      if (expected.unknownKey !== null) expect(runbook.frontMatter).toContain(expected.unknownKey);
    }
  });

  test('export then import gives the same runbook for each generated file, and export is idempotent', () => {
    for (const { seed, source } of generated) {
      const original = parsed(source);
      const exported = writeRunbook(original);
      const reimported = parseRunbook(exported);
      if (!reimported.ok) throw new Error(`seed ${seed}: export does not import: ${JSON.stringify(reimported.problems)}\n${exported}`);
      expect({ seed, runbook: reimported.runbook }).toEqual({ seed, runbook: original });
      expect({ seed, again: writeRunbook(reimported.runbook) }).toEqual({ seed, again: exported });
    }
  });

  test('the generator covers every feature the round trip has to survive, and mostly non-canonical files', () => {
    const seen = new Map<string, number>();
    for (const { features } of generated) for (const f of features) seen.set(f, (seen.get(f) ?? 0) + 1);
    const wanted = [
      'numbered heading', 'closing sequence', 'title ending in #', 'attributes', 'body directly after attributes', 'task items',
      'nested task items', 'table', 'fence with step-like lines', 'deeper heading', 'key-value body line', 'inline triple backticks',
      'intro', 'unknown front-matter key', 'CRLF',
    ];
    expect(wanted.filter((feature) => (seen.get(feature) ?? 0) < 3)).toEqual([]);
    const canonical = generated.filter(({ source }) => writeRunbook(parsed(source)) === source).length;
    expect(canonical).toBeLessThan(generated.length / 2);
  });
});
