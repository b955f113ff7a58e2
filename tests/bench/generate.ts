/** Generated runbooks for the benchmark: realistic length, every attribute used. */
const OWNERS = ['Fulfillment VA', 'Bookkeeper', 'Operations lead', 'Content VA'];

export function generateRunbook(
  n: number,
  steps: number,
  options: { checks?: boolean; optional?: boolean; fields?: boolean } = {},
): string {
  const withChecks = options.checks ?? true;
  const withOptional = options.optional ?? true;
  const blocks = Array.from({ length: steps }, (_, i) => {
    const head = [
      `## Step ${i + 1} of order handling ${n}`,
      `Owner: ${OWNERS[i % OWNERS.length]}`,
      `Estimate: ${5 + (i % 4) * 5}m`,
      `Due: +${1 + (i % 3)}d`,
    ];
    if (withOptional && i % 7 === 6) head.push('Optional: yes');
    // A step field for each step, to measure filling one against ticking a check.
    if (options.fields) head.push(`Field: Reference ${i + 1} (text)`);
    const body = [
      `Open the order screen and follow the house rules for item ${i + 1}. Keep the customer informed and write down anything unusual in the run note.`,
      '| Item | Qty |\n| --- | --- |\n| Binder | 1 |\n| Welcome letter | 1 |',
      ...(withChecks ? [`- [ ] First check for step ${i + 1}\n- [ ] Second check for step ${i + 1}`] : []),
    ];
    return `${head.join('\n')}\n\n${body.join('\n\n')}`;
  });
  return `---\ntitle: Generated runbook ${n}\ncategory: fulfillment\nowner: Operations lead\ntags: [generated, bench]\nincome: direct\nreview: 90d\n---\n\nA generated runbook for measuring the store.\n\n${blocks.join('\n\n')}\n`;
}
