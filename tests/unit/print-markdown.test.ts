import { extractChecks } from '../../server/runbooks/format/checks';
import { renderMarkdown } from '../../server/markdown/render';
import { markdownBlocks, type Block } from '../../server/print/pdf/markdown';
import { checksMatchBody } from '../../server/print/model';
import { withBreakableWords, withLinkTargets } from '../../server/print/html';

const texts = (blocks: Block[]) =>
  blocks.map((b) => (b.kind === 'text' || b.kind === 'check' ? b.runs.map((r) => r.text).join('') : b.kind === 'code' ? b.text : b.kind));

describe('Markdown as blocks for the PDF', () => {
  test('keeps emphasis, code and links as styled runs, a link followed by its address', () => {
    const [para] = markdownBlocks('Use **the small** box, *gently*, with `tape` and [the guide](https://example.com/g).', {
      checks: false,
    });
    expect(para).toMatchObject({ kind: 'text', heading: 0, marker: null });
    const runs = para?.kind === 'text' ? para.runs : [];
    expect(runs).toEqual(
      expect.arrayContaining([
        { text: 'the small', bold: true },
        { text: 'gently', italic: true },
        { text: 'tape', code: true },
        { text: 'the guide', link: 'https://example.com/g' },
        { text: ' (https://example.com/g)', muted: true },
      ]),
    );
  });

  test('never fetches an image: it prints as its description', () => {
    expect(texts(markdownBlocks('See ![the label](https://example.com/l.png) and ![](x.png).', { checks: false }))).toEqual([
      'See [image: the label] and [image: no description].',
    ]);
  });

  test('reduces raw HTML to its text, without script or style, and decodes character references', () => {
    expect(
      texts(
        markdownBlocks('<div onclick="x()">Hi <script>alert(1)</script><style>p{}</style>there</div>\n\nR&amp;D &lt;3 &#x263A; &bogus;', {
          checks: false,
        }),
      ),
    ).toEqual(['Hi there', 'R&D <3 ☺ &bogus;']);
  });

  test('a link to anything but http(s), mailto or tel is text, never a live link', () => {
    const [para] = markdownBlocks('[click](javascript:alert(1))', { checks: false });
    expect(para?.kind === 'text' && para.runs.some((r) => r.link)).toBe(false);
    expect(texts([para as Block])).toEqual(['click (javascript:alert(1))']);
  });

  test('lists carry their markers and nesting; quotes their depth; tables their cells; code its text as written', () => {
    const blocks = markdownBlocks(
      '3. three\n4. four\n   - inner\n\n> quoted\n> > twice\n\n| A | B |\n| - | -: |\n| **1** | [x](https://x.y) |\n\n```\n  keep\tindent\n```\n\n---',
      { checks: false },
    );
    expect(blocks.map((b) => [b.kind, b.indent, b.quote, b.kind === 'text' ? b.marker : null])).toEqual([
      ['text', 1, 0, '3.'],
      ['text', 1, 0, '4.'],
      ['text', 2, 0, '•'],
      ['text', 0, 1, null],
      ['text', 0, 2, null],
      ['table', 0, 0, null],
      ['code', 0, 0, null],
      ['rule', 0, 0, null],
    ]);
    expect(blocks[5]).toMatchObject({ header: ['A', 'B'], rows: [['1', 'x (https://x.y)']], align: ['left', 'right'] });
    expect(blocks[6]).toMatchObject({ text: '  keep    indent' });
  });

  test("task items are the step's checks in the order extractChecks reads them, nested ones included", () => {
    const body = 'Intro.\n\n- [ ] First\n  - [x] Nested\n- plain\n- [ ] Third\n\n> - [ ] Quoted';
    const blocks = markdownBlocks(body, { checks: true }).filter((b) => b.kind === 'check');
    expect(blocks.map((b) => (b.kind === 'check' ? [b.index, b.runs[0]?.text] : null))).toEqual(
      extractChecks(body).map((text, i) => [i, text]),
    );
    expect(
      markdownBlocks(body, { checks: false })
        .filter((b) => b.kind === 'check')
        .every((b) => b.kind === 'check' && b.index === null),
    ).toBe(true);
  });

  test('Markdown nested too deep for the lexer prints as written instead of failing', () => {
    const deep = `${'> '.repeat(5000)}deep`;
    expect(() => markdownBlocks(deep, { checks: true })).not.toThrow();
    const list = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const blocks = markdownBlocks(list, { checks: false });
    expect(Math.max(...blocks.map((b) => b.indent))).toBeLessThanOrEqual(5);
  });
});

describe('checks drawn in place', () => {
  const body = (markdown: string) => ({ markdown, html: renderMarkdown(markdown) });

  test("when the body's task items are the checks, in both the Markdown and the stored HTML", () => {
    expect(checksMatchBody(body('Do it.\n\n- [ ] One\n- [ ] Two'), [{ text: 'One' }, { text: 'Two' }])).toBe(true);
  });

  test('not when they differ, in words or in number, or when the stored HTML has other boxes', () => {
    expect(checksMatchBody(body('- [ ] One\n- [ ] Two'), [{ text: 'One' }])).toBe(false);
    expect(checksMatchBody(body('- [ ] One\n- [ ] Two'), [{ text: 'One' }, { text: 'Three' }])).toBe(false);
    expect(
      checksMatchBody({ markdown: '- [ ] One\n- [ ] Two', html: renderMarkdown('- [ ] One') }, [{ text: 'One' }, { text: 'Two' }]),
    ).toBe(false);
    expect(checksMatchBody(body('No checks here.'), [])).toBe(false);
  });
});

describe('HTML on paper', () => {
  test('show their address after their words, escaped, unless the words are the address', () => {
    const html = renderMarkdown('[guide](https://example.com/a?b=1&c=<x>) and https://example.com and <me@example.com>');
    expect(withLinkTargets(html)).toContain('guide</a><span class="pr-href"> (https://example.com/a?b&#x3D;1&amp;c&#x3D;%3Cx%3E)</span>');
    expect(withLinkTargets(html).match(/pr-href/g)).toHaveLength(1);
  });

  test('long words get break opportunities between characters, never inside a tag or a character reference', () => {
    const html =
      '<td><a href="https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">x</a> short words stay &amp; aaaaaaaaaaa&amp;bbbbbbbbbbbbbbbbbbbb</td>';
    expect(withBreakableWords(html)).toBe(
      '<td><a href="https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">x</a> short words stay &amp; aaaaaaaaaaa&amp;<wbr>bbbbbbbbbbbb<wbr>bbbbbbbb</td>',
    );
  });
});
