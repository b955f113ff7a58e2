import type { PrintDocument, PrintStep } from '../../server/print/model';
import { qrFor } from '../../server/print/qr';
import { writePdf } from '../../server/print/pdf/writer';
import { pdfInfo, pdfPageTexts, pdfText, squeeze } from '../helpers/pdf';

jest.setTimeout(60_000);

const step = (position: number, markdown: string, extra: Partial<PrintStep> = {}): PrintStep => ({
  position,
  title: `Step number ${position}`,
  optional: false,
  state: 'open',
  owner: 'Vera VA (Packer)',
  due: '22 Nov 2026, 14:00',
  overdue: false,
  estimate: '15 min',
  finished: null,
  note: null,
  waiting: null,
  notes: [],
  olderNotes: null,
  fields: [],
  approval: null,
  notNeeded: null,
  body: markdown ? { markdown, html: '' } : null,
  checks: [],
  checksInBody: false,
  ...extra,
});

const documentOf = (steps: PrintStep[], extra: Partial<PrintDocument> = {}): PrintDocument => ({
  kind: 'run',
  kindLabel: 'Run',
  title: 'Order #1042',
  header: 'Ship an order · version 3 · Order #1042 · printed 22 Nov 2026, 09:00',
  printedAt: '22 Nov 2026, 09:00',
  record: [],
  facts: [{ label: 'Runbook', value: 'Ship an order, version 3' }],
  fillIn: [],
  intro: null,
  link: { url: 'https://ops.example.com/runs/12', qr: qrFor('https://ops.example.com/runs/12') },
  groups: [{ heading: null, lines: [], intro: null, link: null, steps }],
  empty: 'Nothing.',
  filename: 'run-12',
  backHref: '/runs/12',
  backLabel: 'Back',
  ...extra,
});

const HOSTILE: [string, string][] = [
  ['blockquotes nested thousands deep', `${'> '.repeat(5000)}deep`],
  ['lists nested hundreds deep', Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')],
  ['a table of 300 columns', `${'| h '.repeat(300)}|\n${'| - '.repeat(300)}|\n${'| v '.repeat(300)}|`],
  ['a table cell of 20,000 characters', `| a | b |\n| - | - |\n| ${'word '.repeat(4000)} | x |`],
  ['a table with rows of different lengths', '| a | b | c |\n| - | - | - |\n| 1 |\n| 1 | 2 | 3 | 4 | 5 |'],
  ['one word of 100,000 characters', 'x'.repeat(100_000)],
  ['a code block longer than a page', `\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')}\n\`\`\``],
  ['a code line of 50,000 characters', `\`\`\`\n${'y'.repeat(50_000)}\n\`\`\``],
  ['control characters and lone surrogates', 'nul \u0000 bell \u0007 esc \u001b surrogate \ud800 end \ufffe'],
  ['characters without a glyph in DejaVu', 'emoji 📦🚚 CJK 梱包 Arabic تغليف Hebrew אריזה'],
  [
    'raw HTML with scripts, frames and forms',
    '<script>alert(1)</script><iframe src="https://evil.example"></iframe><form><input name=x></form><img src=x onerror=alert(1)>',
  ],
  ['empty and odd task items', '- [ ]\n- [x] \n- [ ] [](https://x)\n-  [ ]  spaced\n1. [ ] numbered'],
  ['links with odd schemes and empty words', '[](javascript:alert(1)) [a](data:text/html,x) [b]() <https://example.com/a_b>'],
  ['headings of every depth and setext', '# H1\n## H2\n### H3\n#### H4\n##### H5\n###### H6\nSetext\n===\n\nAlso\n---'],
  ['nothing but whitespace', '   \n\n\t\n'],
  ['many images', Array.from({ length: 200 }, (_, i) => `![pic ${i}](https://example.com/${i}.png)`).join(' ')],
];

describe('odd and hostile Markdown never breaks the PDF', () => {
  test.each(HOSTILE)('%s', async (_name, markdown) => {
    const pdf = await writePdf(documentOf([step(1, markdown), step(2, 'After it.')]), 'a4');
    const text = squeeze(pdfText(pdf));
    expect(text).toContain('Step number 1');
    expect(text).toContain('Step number 2');
    expect(text).toContain('After it.');
    const { pages } = pdfInfo(pdf);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  test('the content of a hostile body is printed as text, never run: no script survives', async () => {
    const text = pdfText(await writePdf(documentOf([step(1, HOSTILE[10]?.[1] as string)]), 'letter'));
    expect(text).not.toContain('alert(1)');
  });
});

describe('pages', () => {
  test('a step that fits on a page is never split; every page has the header and its number', async () => {
    // Steps of different heights, so that page ends fall everywhere.
    const steps = Array.from({ length: 40 }, (_, i) =>
      step(
        i + 1,
        Array.from(
          { length: (i * 7) % 9 },
          (_, n) => `Paragraph ${n} of step ${i + 1}, long enough to take a line or two of the page.`,
        ).join('\n\n'),
        {
          checks: [
            {
              text: `Last check of step ${i + 1}`,
              html: '',
              ticked: i % 3 === 0,
              tickedBy: i % 3 === 0 ? 'Vera VA, 22 Nov 2026, 10:00' : null,
            },
          ],
        },
      ),
    );
    for (const paper of ['a4', 'letter'] as const) {
      const pdf = await writePdf(documentOf(steps), paper);
      const pages = pdfPageTexts(pdf).map(squeeze);
      expect(pages.length).toBeGreaterThan(3);
      pages.forEach((page, i) => {
        expect(page).toContain('Ship an order · version 3 · Order #1042 · printed 22 Nov 2026, 09:00');
        expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      });
      for (const s of steps) {
        const start = pages.findIndex((p) => p.includes(`${s.title}\n`) || p.includes(`${s.title} `));
        const end = pages.findIndex((p) => p.includes(`Last check of step ${s.position}`));
        expect([s.position, start]).toEqual([s.position, end]);
      }
    }
  });

  test('a step longer than a page flows on to the next pages, all of it', async () => {
    const long = Array.from({ length: 150 }, (_, n) => `Paragraph ${n} of the very long step.`).join('\n\n');
    const pdf = await writePdf(documentOf([step(1, 'Short.'), step(2, long), step(3, 'After.')]), 'a4');
    const text = squeeze(pdfText(pdf));
    for (let n = 0; n < 150; n++) expect(text).toContain(`Paragraph ${n} of the very long step.`);
    expect(pdfInfo(pdf).pages).toBeGreaterThan(2);
  });

  test('no steps: the paper says why', async () => {
    const pdf = await writePdf(documentOf([], { empty: 'No open steps: nothing is waiting for Vera VA.' }), 'a4');
    expect(squeeze(pdfText(pdf))).toContain('No open steps: nothing is waiting for Vera VA.');
  });
});
