import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { checkDirectory } from '../../server/runbooks/import';

/**
 * docs/runbook-format.md is the format's reference: its examples parse as it says, and each
 * message in its table is what the linter says for a file like the one its row describes.
 */

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbook-format.md'), 'utf8');
const FM = (lines: string) => `---\n${lines}\n---\n\n## Step\n`;

/** For each documented message (its start), a file that should produce it. */
const FILES: Record<string, string | Record<string, string>> = {
  'no front matter': '# Title\n\n## Step\n',
  'front matter is not closed': '---\ntitle: X\n\n## Step\n',
  'front matter is not valid YAML': FM('title: [unclosed'),
  'front matter must be YAML keys and values': FM('- just a list'),
  'front matter has no title': FM('category: x'),
  'title must be text': FM('title: [a, b]'),
  'income "lots"': FM('title: T\nincome: lots'),
  'tags must be a list of words': FM('title: T\ntags: {a: b}'),
  'schedule "…" must have five fields': FM('title: T\nschedule: "0 9 *"'),
  'schedule "…" never fires': FM('title: T\nschedule: "0 0 31 2 *"'),
  'schedule "…" is not a valid cron expression': FM('title: T\nschedule: "0 25 * * *"'),
  'review "soon"': FM('title: T\nreview: soon'),
  'no step': '---\ntitle: T\n---\n\nJust an introduction.\n',
  'step heading has no title': '---\ntitle: T\n---\n\n## \n',
  'Owner is given twice': '---\ntitle: T\n---\n\n## Pack\nOwner: A\nOwner: B\n',
  'Owner has no value': '---\ntitle: T\n---\n\n## Pack\nOwner:\n',
  'Estimate "soon"': '---\ntitle: T\n---\n\n## Pack\nEstimate: soon\n',
  'Due "later"': '---\ntitle: T\n---\n\n## Pack\nDue: later\n',
  'field "Order number" needs a type': '---\ntitle: T\n---\n\n## Pack\nField: Order number\n',
  'field "Tracking" has the unknown type': '---\ntitle: T\n---\n\n## Pack\nField: Tracking (barcode)\n',
  'field "…" is defined twice': '---\ntitle: T\n---\n\n## Pack\nField: Amount (money)\n\n## Ship\nField: amount (money)\n',
  'run-title names': '---\ntitle: T\nrun-title: "Refund {Order}"\n---\n\n## Pack\n',
  'When "…": "…" is not a field': '---\ntitle: T\n---\n\n## Pack\nWhen: Amount > 100\n',
  'When "…": "…" is filled in a later step': '---\ntitle: T\n---\n\n## Pack\nWhen: Amount > 100\n\n## Ship\nField: Amount (money)\n',
  'When "…": … does not fit': '---\ntitle: T\nfields:\n  - Reason (one of: Damaged | Late)\n---\n\n## Pack\nWhen: Reason > 3\n',
  'Income "lots"': '---\ntitle: T\n---\n\n## Pack\nIncome: lots\n',
  'Optional "maybe"': '---\ntitle: T\n---\n\n## Pack\nOptional: maybe\n',
  'file name "Not A Slug"': { 'Not A Slug.md': FM('title: T') },
  'file name "new"': { 'new.md': FM('title: T') },
  'slug "x" is already used': { 'a/x.md': FM('title: A'), 'b/x.md': FM('title: B') },
  'the text is nested too deeply': `---\ntitle: T\n---\n\n## Step\n\n${'>'.repeat(20000)} [link](https://example.com)\n`,
};

/** The documented messages: the first cell of each row of the table under "## Messages". */
const documented = DOC.slice(DOC.indexOf('## Messages'))
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => /^\| `(.+?)` \|/.exec(line)?.[1] as string);

const pattern = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*')}$`);

function messagesFor(input: string | Record<string, string>): string[] {
  if (typeof input === 'string') {
    const parsed = parseRunbook(input);
    return parsed.ok ? [] : parsed.problems.map((p) => p.message);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-doc-'));
  try {
    for (const [name, text] of Object.entries(input)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return checkDirectory(dir).problems.map((p) => p.message);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the table lists a message for every kind of file this test writes, and no other', () => {
  expect(documented.length).toBe(Object.keys(FILES).length);
  for (const start of Object.keys(FILES)) {
    expect({ start, documented: documented.some((m) => m.startsWith(start)) }).toEqual({ start, documented: true });
  }
});

test.each(Object.entries(FILES))('a file with %s… gets the documented message', (start, input) => {
  const message = documented.find((m) => m.startsWith(start)) as string;
  const said = messagesFor(input);
  expect({ message, said: said.some((s) => pattern(message).test(s)) }).toEqual({ message, said: true });
});

test('every Markdown example in the reference parses, and the complete one as described', () => {
  const examples = [...DOC.matchAll(/```markdown\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(examples.length).toBe(3);
  const [complete, step, fields] = examples as [string, string, string];
  expect(parseRunbook(`---\ntitle: T\n---\n\n${step}`).ok).toBe(true);
  const withFields = parseRunbook(fields);
  expect(withFields.ok ? [] : withFields.problems.map((p) => p.message)).toEqual([]);
  expect(parseRunbook(complete).ok).toBe(true);
  const parsed = parseRunbook(complete);
  if (!parsed.ok) throw new Error('the complete example does not parse');
  expect(parsed.runbook.steps.map((s) => [s.title, s.owner, s.estimateMinutes, s.optional ?? false, s.checks.length])).toEqual([
    ['Confirm payment', 'Bookkeeper', 5, false, 2],
    ['Pack the box', 'Fulfillment VA', 20, false, 2],
    ['Send the tracking email', 'Fulfillment VA', 5, true, 0],
  ]);
});

test('each example value in the attribute table is accepted', () => {
  const table = DOC.slice(DOC.indexOf('### Step attributes'), DOC.indexOf('### The body and its checks'));
  const values = [...table.matchAll(/`((?:Owner|Estimate|Due|Income|Optional): [^`]+)`/g)].map((m) => m[1] as string);
  expect(values.length).toBeGreaterThan(10);
  for (const line of values) {
    const parsed = parseRunbook(`---\ntitle: T\n---\n\n## Step\n${line}\n`);
    expect({ line, ok: parsed.ok }).toEqual({ line, ok: true });
  }
});
