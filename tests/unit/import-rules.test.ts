import { makeDraft, type ImportOptions } from '../../server/imports/draft';
import { readDocument } from '../../server/imports/source';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { makeDocx } from '../helpers/docx';

/** The import rules, each on a small document written for it. */

const draft = (document: string, options: { filename?: string; known?: string[]; choose?: ImportOptions } = {}) =>
  makeDraft({ document, filename: options.filename ?? null, known: options.known ?? [], options: options.choose });
const outline = (d: ReturnType<typeof draft>) => d.steps.map((s) => [s.title, s.owner, s.checks]);

describe('the title', () => {
  test('comes from the front matter first', () => {
    expect(draft('---\ntitle: From the front matter\n---\n# A heading\n\n## Step\n- one\n').title).toBe('From the front matter');
  });

  test('else from a heading above all others', () => {
    const d = draft('# Close the till\n\n## Count\n- notes\n', { filename: 'till.md' });
    expect(d.title).toBe('Close the till');
    expect(d.notes).toContain('The title came from the first heading, “Close the till”.');
  });

  test('else from the file name, when the first heading has equals beside it', () => {
    const d = draft('# Pick\n- one\n\n# Pack\n- two\n', { filename: 'SHIPPING_GUIDE.md' });
    expect(d.title).toBe('Shipping guide');
    expect(d.slug).toBe('shipping-guide');
    expect(outline(d)).toEqual([
      ['Pick', null, ['one']],
      ['Pack', null, ['two']],
    ]);
  });

  test('names a README or index after its title, and never takes a word the library uses', () => {
    expect(draft('# Payroll run\n\n## Pay\n- run payroll\n', { filename: 'README.md' }).slug).toBe('payroll-run');
    expect(draft('# New\n\n## Go\n- go\n').slug).toBe('new-runbook');
  });
});

describe('the steps', () => {
  test('are the headings of the level that holds the actions, below a wrapping level', () => {
    const d = draft('# Morning\n\n## Shop\n\n### Unlock\n- door\n- lights\n\n### Till\n- float\n\n## Boat\n\n### Fuel\n- at least half\n');
    expect(outline(d)).toEqual([
      ['Unlock', null, ['door', 'lights']],
      ['Till', null, ['float']],
      ['Fuel', null, ['at least half']],
    ]);
    expect(d.notes[1]).toMatch(/^Steps were made from the level-3 headings/);
  });

  test('are "Step N:" and bold lines when those hold the actions, without the numbering', () => {
    const d = draft('# Newsletter\n\n**Step 1: Collect**\n\n- stories\n\n**Step 2: Send**\n\n1. schedule\n2. share\n');
    expect(outline(d)).toEqual([
      ['Collect', null, ['stories']],
      ['Send', null, ['schedule', 'share']],
    ]);
  });

  test('can be taken from another heading level, as the person chooses', () => {
    const d = draft('# T\n\n## Shop\n\n### Unlock\n- door\n\n### Till\n- float\n', { choose: { level: 2 } });
    expect(outline(d)).toEqual([['Shop', null, ['door', 'float']]]);
    expect(d.markdown).toContain('### Unlock');
  });

  test('keep text-only sections that are not reference as steps without checks', () => {
    expect(outline(draft('# T\n\n## Unlock the door\nUse the brass key.\n\n## Count\n- float\n'))).toEqual([
      ['Unlock the door', null, []],
      ['Count', null, ['float']],
    ]);
  });

  test('are one step with its text when the document has no headings and no lists, and a note says so', () => {
    const d = draft('Lock the door when you leave. The key is under the mat.', { filename: 'lock-up.txt' });
    expect(outline(d)).toEqual([['Lock up', null, []]]);
    expect(d.steps[0]?.text).toBe('Lock the door when you leave. The key is under the mat.');
    expect(d.notes).toContain(
      'The document has no headings and no lists: it became one step with its text. Split it or add checks in the editor.',
    );
  });

  test('are one step of numbered actions for a flat procedure, its lead paragraph the introduction', () => {
    const d = draft('# Till\n\nDo this every evening.\n\n1. Print the Z report\n2. Count the notes\n3. Sign the sheet\n');
    expect(d.introduction).toBe('Do this every evening.');
    expect(outline(d)).toEqual([['Till', null, ['Print the Z report', 'Count the notes', 'Sign the sheet']]]);
    expect(d.notes).toContain('3 numbered actions became checks of step 1 (“Till”).');
  });
});

describe('sections with no actions', () => {
  test('go to the introduction when they are purpose, scope, links, tips, troubleshooting or FAQ', () => {
    const d = draft(
      '# T\n\n## Purpose\nWhy.\n\n## Scope\nWhat.\n\n## Do it\n- one\n\n## Tips\nBe kind.\n\n## Troubleshooting\n- If stuck, call.\n\n## FAQ\nQ and A.\n',
    );
    expect(outline(d)).toEqual([['Do it', null, ['one']]]);
    expect(d.introduction).toContain('### Purpose\n\nWhy.');
    expect(d.introduction).toContain('### Troubleshooting\n\n- If stuck, call.');
    expect(d.notes).toContain('“Purpose”, “Scope”, “Tips”, “Troubleshooting” and “FAQ” went into the introduction.');
  });

  test('go to the introduction when their heading ends in such a word and they hold no list of actions', () => {
    expect(outline(draft('# T\n\n## Safety notes\nNever alone.\n\n## Do it\n- one\n'))).toEqual([['Do it', null, ['one']]]);
  });

  test('move to the introduction, or back to the steps, as the person chooses', () => {
    const first = draft('# T\n\n## Context\nWhy.\n\n## Safety\nGloves on.\n\n## Do it\n- one\n');
    expect(first.steps.map((s) => s.title)).toEqual(['Safety', 'Do it']);
    const safety = first.sections[0] as number;
    const context = first.introSections[0]?.id as number;
    const moved = draft('# T\n\n## Context\nWhy.\n\n## Safety\nGloves on.\n\n## Do it\n- one\n', {
      choose: { toIntro: [safety], toStep: [context] },
    });
    expect(moved.steps.map((s) => s.title)).toEqual(['Context', 'Do it']);
    expect(moved.introduction).toContain('Gloves on.');
  });
});

describe('checks', () => {
  test('are task-list items, numbered actions and plain bullets under a step', () => {
    const d = draft('# T\n\n## Step\n- [ ] task\n- [x] done task\n\n1. numbered\n\n* bullet\n');
    expect(outline(d)).toEqual([['Step', null, ['task', 'done task', 'numbered', 'bullet']]]);
    expect(d.markdown).not.toContain('[x]');
  });

  test('fold a nested list into its parent, which keeps it as text under the check', () => {
    const d = draft('# T\n\n## Reconcile\n- Match each transaction\n  - Current account\n  - Savings\n- Investigate the rest\n');
    expect(d.steps[0]?.checks).toEqual(['Match each transaction', 'Investigate the rest']);
    expect(d.steps[0]?.text).toContain('  - Current account');
  });

  test('leave a list of links as text', () => {
    const d = draft(
      '# T\n\n## Deploy\n- Run the deploy\n\n### Links\n- [Dashboard](https://example.com/d)\n- [Logs](https://example.com/l) for the API\n',
    );
    expect(d.steps[0]?.checks).toEqual(['Run the deploy']);
    expect(d.steps[0]?.text).toContain('- [Dashboard](https://example.com/d)');
  });

  test('keep code, tables and paragraphs inside and around them', () => {
    const d = draft(
      '# T\n\n## Scale\n1. Scale out:\n\n   ```\n   kubectl scale --replicas=12\n   ```\n\n2. Tell the team\n\n| a | b |\n| - | - |\n| 1 | 2 |\n',
    );
    expect(d.steps[0]?.checks).toEqual(['Scale out:', 'Tell the team']);
    expect(d.steps[0]?.text).toContain('kubectl scale --replicas=12');
    expect(d.steps[0]?.text).toContain('| 1 | 2 |');
  });

  test('split a step in two, or merge it into the one above, as the person chooses', () => {
    const doc = '# T\n\n## A\n- one\n- two\n- three\n\n## B\n- four\n';
    const first = draft(doc);
    const [a, b] = first.keys;
    expect(outline(draft(doc, { choose: { split: { [a as string]: 3 } } }))).toEqual([
      ['A', null, ['one', 'two']],
      ['A (continued)', null, ['three']],
      ['B', null, ['four']],
    ]);
    expect(outline(draft(doc, { choose: { merge: [b as string] } }))).toEqual([['A', null, ['one', 'two', 'three', 'four']]]);
  });
});

describe('owners', () => {
  test('come from "Role:" prefixes, one step per owner in order', () => {
    const d = draft(
      '# T\n\n## First day\n- Manager: Give a tour\n- Manager: Introduce the team\n- New hire: Read the handbook\n- Manager: Lunch\n',
    );
    expect(outline(d)).toEqual([
      ['First day (Manager)', 'Manager', ['Give a tour', 'Introduce the team']],
      ['First day (New hire)', 'New hire', ['Read the handbook']],
      ['First day (Manager)', 'Manager', ['Lunch']],
    ]);
    expect(d.notes).toContain('“First day” has items for Manager and New hire: it became 3 steps, one for each owner in turn.');
  });

  test('leave a check that reads as a sentence: its first word takes a capital once the prefix is gone, unless it has one inside', () => {
    const d = draft('# T\n\n## Close\n- Manager: approve any write-off over £50\n- Manager: iPhone backup\n- Manager: e-mail the bank\n');
    expect(outline(d)).toEqual([['Close', 'Manager', ['Approve any write-off over £50', 'iPhone backup', 'E-mail the bank']]]);
  });

  test('come from role sub-headings', () => {
    const d = draft('# T\n\n## Last day\n\n#### IT tasks\n- Collect the laptop\n\n#### Payroll tasks\n- Final pay\n');
    expect(outline(d)).toEqual([
      ['Last day (IT)', 'IT', ['Collect the laptop']],
      ['Last day (Payroll)', 'Payroll', ['Final pay']],
    ]);
  });

  test('come from "X is responsible for" in a step, or for every step from the introduction', () => {
    expect(outline(draft('# T\n\n## Reconcile\nThe bookkeeper is responsible for this.\n\n- Match\n'))).toEqual([
      ['Reconcile', 'Bookkeeper', ['Match']],
    ]);
    const d = draft('# T\n\nThe shift supervisor is responsible for this checklist.\n\n## Open\n- Unlock\n\n## Close\n- Lock\n');
    expect(d.steps.map((s) => s.owner)).toEqual(['Shift supervisor', 'Shift supervisor']);
  });

  test('come from an "Owner:" line, which leaves the text', () => {
    const d = draft('# T\n\n## Pay\nOwner: Bookkeeper\n\nPay the bills.\n\n- Run the payment batch\n');
    expect(outline(d)).toEqual([['Pay', 'Bookkeeper', ['Run the payment batch']]]);
    expect(d.steps[0]?.text).not.toContain('Owner:');
  });

  test('keep the business spelling of a known role, and are offered as new roles otherwise', () => {
    const d = draft('# T\n\n## Open\n- shift lead: Unlock\n- Cleaner: Mop\n- Cleaner: Bins out\n', { known: ['Shift Lead'] });
    expect(d.steps.map((s) => s.owner)).toEqual(['Shift Lead', 'Cleaner']);
    expect(d.newOwners).toEqual(['Cleaner']);
    expect(d.notes).toContain('Owner “Cleaner” is not a role yet: it will be created.');
  });

  test('ignore labels that name no one ("Note:", "Tip:")', () => {
    expect(outline(draft('# T\n\n## Do\n- Note: bring gloves\n- Tip: go early\n'))).toEqual([
      ['Do', null, ['Note: bring gloves', 'Tip: go early']],
    ]);
  });

  test('are what the person picks, or nobody', () => {
    const doc = '# T\n\n## Open\n- Manager: Unlock\n';
    const key = draft(doc).keys[0] as string;
    expect(draft(doc, { choose: { owners: { [key]: 'Shift lead' } } }).steps[0]?.owner).toBe('Shift lead');
    expect(draft(doc, { choose: { owners: { [key]: '' } } }).steps[0]?.owner).toBeNull();
  });
});

describe('front matter', () => {
  test('of other tools is kept; a known key holding something else is kept under another name', () => {
    const d = draft('---\ntitle: Post\nlayout: page\ndate: 2024-03-04\ncategories: [a, b]\nschedule: weekly\n---\n\n## Do\n- it\n');
    expect(d.markdown).toMatch(
      /^---\ntitle: Post\nlayout: page\ndate: 2024-03-04\ncategories: \[ a, b \]\nimported-schedule: weekly\n---\n/,
    );
    expect(d.notes).toContain('Front matter kept as it was: layout, date, categories.');
    expect(outline(d)).toEqual([['Do', null, ['it']]]);
  });

  test('of an issue template gives its name as the title', () => {
    const d = draft(
      "---\nname: Release checklist\nabout: Steps for a release\ntitle: ''\nlabels: release\n---\n\n### Prep\n- [ ] CI green\n",
    );
    expect(d.title).toBe('Release checklist');
    expect(d.markdown).toContain('labels: release');
  });

  test('with a colon in the title is read, the title put in quotes', () => {
    const d = draft('---\ntitle: Newsletter: weekly checklist\n---\n\n## Send\n- it\n');
    expect(d.title).toBe('Newsletter: weekly checklist');
    expect(d.markdown).toContain('title: "Newsletter: weekly checklist"');
  });

  test("in Hugo's TOML form gives its title and is kept", () => {
    const d = draft('+++\ntitle = "Publish a post"\ndraft = false\n+++\n\n## Check\n- links\n');
    expect(d.title).toBe('Publish a post');
    expect(d.markdown).toContain('imported-toml: draft = false');
  });
});

describe('the draft', () => {
  test('is valid in the runbook format and reads back as exactly itself', () => {
    const d = draft('# T\n\nIntro.\n\n## 1. One\n- Manager: a\n\n## 2) Two #\n- [ ] b\n  - [ ] nested box\n\n> - [ ] quoted box\n');
    const parsed = parseRunbook(d.markdown);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.runbook.steps.map((s) => ({ title: s.title, owner: s.owner, checks: s.checks, text: s.body }))).toEqual(d.steps);
    expect(d.steps.map((s) => s.title)).toEqual(['One', 'Two']);
    expect(d.steps[1]?.checks).toEqual(['b']);
  });

  test('reads back as itself for any mix of headings, lists, code, quotes, tables and HTML', () => {
    const parts = [
      '# Title',
      '## Step',
      '### Sub',
      '#### IT tasks',
      '**Bold line**',
      'Step 2: Do',
      'Text.',
      '- item',
      '  - nested',
      '1. one',
      '2) two',
      '- [ ] task',
      '- [x] done',
      '* star',
      '```\ncode\n## not a step\n```',
      '    indented code',
      '> quote',
      '> - [ ] quoted task',
      '| a | b |\n| - | - |\n| 1 | 2 |',
      '---',
      '<div>html</div>',
      '[ref]: https://example.com',
      'See [ref].',
      '- Manager: do it',
      'Owner: Bob',
      'The lead is responsible for it.',
      '## Purpose',
      '## Links',
      '- [a](https://a.example)',
      '## 1.',
      '## #',
      '##',
      'Title\n====',
      '- ',
      'Due: tomorrow',
      '## 2. Pack #',
    ];
    let seed = 17;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const doc = Array.from({ length: 1 + next(30) }, () => parts[next(parts.length)]).join(next(2) ? '\n' : '\n\n');
      const d = draft(doc);
      const parsed = parseRunbook(d.markdown);
      expect({ doc, ok: parsed.ok }).toEqual({ doc, ok: true });
    }
  });

  test('never holds HTML: raw HTML in Markdown is converted and its scripts dropped', () => {
    const d = draft('# T\n\n## Do\n<script>alert(1)</script>\n\n- <b onclick="x()">Bold</b> item\n- [link](javascript:alert(1))\n');
    expect(d.markdown).not.toMatch(/<script|onclick|<b>|javascript:/);
    expect(d.steps[0]?.checks[0]).toBe('**Bold** item');
  });
});

describe('reading files', () => {
  test('reads a Word document made in Word styles: Title, headings, numbered and bulleted lists', async () => {
    const bytes = await makeDocx([
      { title: 'Customer returns' },
      { text: 'The warehouse lead is responsible for returns.' },
      { heading: 'Receive' },
      { numbered: 'Scan the label' },
      { numbered: 'Check the order number' },
      { heading: 'Inspect' },
      { bullet: 'Unused: back to stock' },
      { bullet: 'Damaged: set aside', level: 0 },
      { bullet: 'Photograph it', level: 1 },
    ]);
    const read = await readDocument(bytes, { filename: 'returns.docx', contentType: null });
    expect(read.kind).toBe('docx');
    const d = makeDraft({ document: read.markdown, filename: 'returns.docx', known: [] });
    expect(d.title).toBe('Customer returns');
    expect(outline(d)).toEqual([
      ['Receive', 'Warehouse lead', ['Scan the label', 'Check the order number']],
      ['Inspect', 'Warehouse lead', ['Unused: back to stock', 'Damaged: set aside']],
    ]);
  });

  test('reads a Google Docs web page: its title, nested lists as Google writes them, real link targets, no script', async () => {
    const html =
      '<html><head><style>.c1{font-weight:700}</style><script>alert(1)</script></head><body>' +
      '<p class="c3 title"><span>Supplier checks</span></p><h1><span>Before the first order</span></h1>' +
      '<ul class="lst-kix_a-0 start"><li><span>Ask for insurance</span></li></ul><ul class="lst-kix_a-1 start"><li>Public liability</li></ul>' +
      '<ul class="lst-kix_a-0"><li><a href="https://www.google.com/url?q=https://example.com/terms&amp;sa=D">Agree terms</a> in writing</li></ul>' +
      '<p><a href="javascript:alert(1)" onmouseover="x()">Click</a><img src="x" onerror="alert(1)"></p></body></html>';
    const read = await readDocument(Buffer.from(html), { filename: 'Supplier checks.html', contentType: 'text/html' });
    const d = makeDraft({ document: read.markdown, filename: 'Supplier checks.html', known: [], notes: read.notes });
    expect(d.title).toBe('Supplier checks');
    expect(outline(d)).toEqual([
      ['Before the first order', null, ['Ask for insurance', '[Agree terms](https://example.com/terms) in writing']],
    ]);
    expect(d.markdown).not.toMatch(/script|javascript:|onmouseover|onerror|<img|alert/);
    expect(d.notes).toContain('Scripts, event handlers and javascript: links in the document were dropped.');
  });

  test('reads plain text: a title and headings in capitals, bullets written as characters', async () => {
    const text =
      'SHOP OPENING\n\nThe keyholder is responsible for opening.\n\nBEFORE 9:00\n\n• Disarm the alarm\n• Lights on\n\nAT 9:00\n\n☐ Unlock the door\n';
    const read = await readDocument(Buffer.from(text), { filename: 'opening.txt', contentType: 'text/plain' });
    const d = makeDraft({ document: read.markdown, filename: 'opening.txt', known: [] });
    expect(d.title).toBe('Shop opening');
    expect(outline(d)).toEqual([
      ['Before 9:00', 'Keyholder', ['Disarm the alarm', 'Lights on']],
      ['At 9:00', 'Keyholder', ['Unlock the door']],
    ]);
  });

  test.each([
    ['an empty document', Buffer.from('  \n'), 'text/plain', 'empty-document'],
    ['a binary', Buffer.from([0, 1, 2, 3, 0, 255]), 'text/plain', 'unreadable-document'],
    ['a broken .docx', Buffer.from('PK\u0003\u0004 not really a zip'), 'application/octet-stream', 'unreadable-document'],
    ['a text file named .docx', Buffer.from('# Hello'), 'application/octet-stream', 'unreadable-document'],
    ['a PDF', Buffer.from('%PDF-1.7 …'), 'application/octet-stream', 'unreadable-document'],
    ['an image type', Buffer.from('GIF89a'), 'image/gif', 'unsupported-media-type'],
    ['more than the limit', Buffer.alloc(5 * 1024 * 1024, 'a'), 'text/plain', 'document-too-large'],
  ])('refuses %s with a plain message', async (_what, bytes, contentType, code) => {
    const filename =
      code === 'unreadable-document' && contentType === 'application/octet-stream' && !bytes.toString().startsWith('%PDF')
        ? 'file.docx'
        : 'file.txt';
    await expect(readDocument(bytes, { filename, contentType })).rejects.toMatchObject({ code });
  });
});
