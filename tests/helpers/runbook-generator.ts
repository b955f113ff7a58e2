import type { Income, Runbook } from '../../server/runbooks/format/model';

/** Seeded random runbooks for property tests: every valid shape the format allows, tricky ones included. */
export function mulberry32(seed: number) {
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
      case 0:
        return word[0]?.toUpperCase() + word.slice(1);
      case 1:
        return word.toLowerCase();
      case 2:
        return word.toUpperCase();
      default:
        return [...word].map((c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
    }
  }
}

export const WORDS = [
  'pack',
  'the',
  'box',
  'order',
  'invoice',
  'client',
  'label',
  'send',
  'check',
  'stock',
  'refund',
  'Owner',
  'VA',
  'café',
  'Ünïcode',
];
export const TITLE_TOKENS = [
  ...WORDS,
  'C#',
  'R&D',
  '(VAT)',
  'e-mail',
  'what?',
  'now!',
  '50%',
  "customer's",
  '"quoted"',
  'a/b',
  'x:y',
  '*star*',
  '`code`',
  '#tag',
  '[link](https://example.com)',
  '—',
  'v2.1',
  '<b>',
  '\\',
];
export const OWNERS = ['Bookkeeper', 'Fulfillment VA', 'Operations lead', 'Ana Pérez', 'Content VA (part-time)', "O'Brien & Co"];
export const ESTIMATES = ['5m', '1h', '1h30m', '90 min', '2 hours', '1 hour 30 minutes', '45 mins', '1.5h'];
export const DUES = ['same day', '+1d', '+2h', '3 days', '+1w', 'end of day', '+1d12h'];
export const SCHEDULES = ['0 9 * * 1-5', '0 9 1 * *', '*/15 * * * *', '30 8 * * MON', '0 0 1 1 *'];
export const REVIEWS = ['90d', '6mo', '1y', '2w', '180 days'];
export const ESCALATES = ['4h', '1 working day', '2 working days', '2d', '90 min'];
export const INCOME_VALUES: Income[] = ['direct', 'indirect', 'none'];

export interface ExpectedStep {
  title: string;
  owner: string | null;
  estimate: string | null;
  due: string | null;
  income: Income | null;
  optional: boolean | null;
  checks: string[];
}

export interface Generated {
  source: string;
  expected: Omit<Runbook, 'frontMatter' | 'intro' | 'steps'> & { steps: ExpectedStep[]; unknownKey: string | null };
  features: Set<string>;
}

export function title(g: Gen, features: Set<string>): { text: string; heading: string } {
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

export function words(g: Gen, min: number, max: number): string {
  return g.some(WORDS, min, max).join(' ');
}

/** A body block and the checks it holds (task items outside code). */
export function block(g: Gen, features: Set<string>): { lines: string[]; checks: string[] } {
  switch (g.int(0, 8)) {
    case 0:
      return {
        lines: [
          `${words(g, 1, 8)}.`,
          ...(g.chance(0.3) ? [`${words(g, 1, 5)}, **${words(g, 1, 2)}** and [a link](https://example.com/${g.int(1, 99)}).`] : []),
        ],
        checks: [],
      };
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
      const inside = g.some(
        ['## Not a step', '- [ ] not a check', 'Owner: nobody', '', '    indented', `### ${g.pick(WORDS)}`, '```js'],
        1,
        5,
      );
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

export function separator(g: Gen): string[] {
  return g.chance(0.2) ? ['', ''] : [''];
}

export function generate(seed: number): Generated {
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
  const escalate = g.chance(0.3) ? g.pick(ESCALATES) : null;
  if (escalate) out.push(`escalate: ${escalate}`);
  let unknownKey: string | null = null;
  if (g.chance(0.4)) {
    unknownKey = `x_${g
      .pick(WORDS)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}: ${g.int(0, 999)}`;
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
    const attributes = g
      .some(['owner', 'estimate', 'due', 'income', 'optional'] as const, 0, 5)
      .filter((k, i, all) => all.indexOf(k) === i);
    for (const key of attributes) {
      let value: string;
      switch (key) {
        case 'owner':
          value = step.owner = g.pick(OWNERS);
          break;
        case 'estimate':
          value = step.estimate = g.pick(ESTIMATES);
          break;
        case 'due':
          value = step.due = g.pick(DUES);
          break;
        case 'income':
          step.income = g.pick(INCOME_VALUES);
          value = g.anyCase(step.income);
          break;
        default:
          step.optional = g.chance(0.5);
          value = g.anyCase(step.optional ? 'yes' : 'no');
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
  return {
    source,
    expected: {
      title: runbookTitle,
      category,
      owner,
      tags,
      income,
      schedule,
      review,
      escalate,
      fields: [],
      runTitle: null,
      steps,
      unknownKey,
    },
    features,
  };
}
