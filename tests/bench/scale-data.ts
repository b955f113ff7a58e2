/**
 * A workspace as a small business grows one over a year, for `npm run bench:scale`: runbooks
 * of 10 steps with varied titles and text (some about invoices, for the search), ten roles of
 * which six are filled and four are empty, and a few steps nobody owns.
 */
import { mulberry32 } from '../helpers/runbook-generator';

export const FILLED_ROLES = ['Operations lead', 'Bookkeeper', 'Fulfillment VA', 'Content VA', 'Customer care', 'Warehouse'];
export const EMPTY_ROLES = ['Payroll clerk', 'Courier', 'Social media VA', 'Tax adviser'];
const ROLES = [...FILLED_ROLES, ...EMPTY_ROLES];

const VERBS = ['Ship', 'Send', 'Check', 'Publish', 'Reconcile', 'Restock', 'Onboard', 'Review', 'Prepare', 'Archive', 'Answer', 'Plan'];
const OBJECTS = [
  'the home-study orders',
  'the newsletter',
  'the supplier invoices',
  'the bank statements',
  'the returns',
  'a new client',
  'the weekly report',
  'the stock count',
  'the social posts',
  'the payroll',
  'the refunds',
  'the webinar',
];
const CATEGORIES = ['fulfillment', 'finance', 'marketing', 'operations', 'support', 'people'];
const TAGS = ['weekly', 'monthly', 'daily', 'clients', 'suppliers', 'money', 'shipping', 'content', 'urgent', 'quarterly'];

/** The Markdown of runbook `n` (1-based): the same text for the same n, every time. */
export function scaleRunbook(n: number): { slug: string; markdown: string } {
  const random = mulberry32(n * 7919);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const title = `${pick(VERBS)} ${pick(OBJECTS)} (${n})`;
  const aboutInvoices = random() < 0.08;
  const tags = [...new Set([pick(TAGS), pick(TAGS)])];
  // Every 40th runbook has no owner of its own and one step without an owner: a gap.
  const unowned = n % 40 === 0;
  const steps = Array.from({ length: 10 }, (_, i) => {
    const owner = unowned && i === 4 ? null : i === 0 ? 'Operations lead' : pick(ROLES);
    const head = [`## Step ${i + 1}: ${pick(VERBS).toLowerCase()} ${pick(OBJECTS)}`];
    if (owner) head.push(`Owner: ${owner}`);
    head.push(`Estimate: ${5 + (i % 4) * 5}m`);
    // The first step is due a minute after the run starts: a year of runs has overdue steps.
    head.push(`Due: ${i === 0 ? '+1m' : `+${1 + (i % 3)}d`}`);
    if (i === 9) head.push('Optional: yes');
    const body = [
      `Follow the house rules for this step of ${title.toLowerCase()}.${aboutInvoices && i === 3 ? ' Match every invoice to its payment before you go on.' : ''}`,
      `- [ ] First check of step ${i + 1}\n- [ ] Second check of step ${i + 1}`,
    ];
    return `${head.join('\n')}\n\n${body.join('\n\n')}`;
  });
  const front = [
    `title: ${title}${aboutInvoices ? ' and invoice follow-up' : ''}`,
    `category: ${pick(CATEGORIES)}`,
    ...(unowned ? [] : ['owner: Operations lead']),
    `tags: [${tags.join(', ')}]`,
    `income: ${pick(['direct', 'indirect', 'none'])}`,
  ];
  const intro = `How we ${title.toLowerCase()}, step by step.${aboutInvoices ? ' Every invoice is checked twice.' : ''}`;
  return { slug: `runbook-${n}`, markdown: `---\n${front.join('\n')}\n---\n\n${intro}\n\n${steps.join('\n\n')}\n` };
}
