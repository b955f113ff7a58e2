import { renderInlineMarkdown, renderMarkdown } from '../../server/markdown/render';

/** Every opening tag in the HTML, lowercased, e.g. ["p", "a", "img"]. */
const tagsOf = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase());

/** Every href and src value in the HTML. */
const urlsOf = (html: string) => [...html.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] as string);

const ALLOWED_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'del',
  's',
  'a',
  'img',
  'input',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'sup',
  'sub',
  'kbd',
]);

/** What no rendered HTML may hold, whatever the source. */
function expectHarmless(html: string) {
  expect(tagsOf(html).filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
  expect(html).not.toMatch(/\son\w+\s*=/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
  expect(html).not.toMatch(/<script/i);
  for (const url of urlsOf(html)) expect(url).toMatch(/^(https?:|mailto:|tel:|[^:]*$)/i);
}

const HOSTILE: [string, string][] = [
  ['a script element', 'Before <script>alert(1)</script> after'],
  ['a script element in a paragraph', '<p>hi<script src="https://evil.test/x.js"></script></p>'],
  ['an onerror attribute', '<img src="x.png" onerror="alert(1)">'],
  ['an onclick attribute', '<a href="https://example.com" onclick="alert(1)">x</a>'],
  ['an unquoted handler', '<div onmouseover=alert(1)>x</div>'],
  ['a javascript: link', '[click](javascript:alert(1))'],
  ['a mixed-case javascript: link', '[click](JaVaScRiPt:alert(1))'],
  ['a hex-entity javascript: link', '[click](jav&#x61;script:alert(1))'],
  ['a decimal-entity javascript: link', '[click](&#106;avascript:alert(1))'],
  ['a javascript&colon; link', '[click](javascript&colon;alert(1))'],
  ['an angle-bracket javascript: link', '[click](<javascript:alert(1)>)'],
  ['a reference javascript: link', '[click][x]\n\n[x]: javascript:alert(1)'],
  ['a raw HTML javascript: link with an entity', '<a href="jav&#x61;script:alert(1)">x</a>'],
  ['a raw HTML javascript: link with a tab', '<a href="java\tscript:alert(1)">x</a>'],
  ['a raw HTML javascript: link with leading spaces', '<a href="   javascript:alert(1)">x</a>'],
  ['a vbscript: link', '[x](vbscript:msgbox)'],
  ['a data: image', '![pic](data:image/png;base64,iVBORw0KGgo=)'],
  ['a data: svg image in HTML', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['a data: link', '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
  ['a javascript: image', '<img src="javascript:alert(1)">'],
  ['an iframe', '<iframe src="https://evil.test"></iframe>'],
  ['a style attribute', '<p style="position:fixed;top:0">cover</p>'],
  ['a style element', '<style>body { display: none }</style>text'],
  ['an svg with onload', '<svg onload="alert(1)"><circle r="5"/></svg>'],
  ['an svg with a script', '<svg><script>alert(1)</script></svg>'],
  ['math markup', '<math><mtext><img src=x onerror=alert(1)></mtext></math>'],
  ['a form', '<form action="https://evil.test"><input type="password" name="p"><button>Go</button></form>'],
  ['object and embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ['a base element', '<base href="https://evil.test/">'],
  ['a meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.test">'],
  ['a details ontoggle', '<details open ontoggle="alert(1)">x</details>'],
  ['a protocol-relative link', '<a href="//evil.test">x</a>'],
  ['a text input', '<input type="text" value="x" onfocus="alert(1)" autofocus>'],
];

describe('renderMarkdown', () => {
  test.each(HOSTILE)('removes %s', (_name, source) => {
    expectHarmless(renderMarkdown(source));
  });

  test('keeps the text around a removed script but not the script body', () => {
    const html = renderMarkdown('Before <script>alert("pwned")</script> after');
    expect(html).toContain('Before');
    expect(html).toContain('after');
    expect(html).not.toContain('pwned');
  });

  test('keeps the link text of a javascript: link but drops its href', () => {
    const html = renderMarkdown('[click me](jav&#x61;script:alert(1))');
    expect(html).toContain('click me');
    expect(html).not.toMatch(/href/i);
  });

  test('drops the src of a data: image but keeps its alt text', () => {
    const html = renderMarkdown('![a chart](data:image/png;base64,iVBORw0KGgo=)');
    expect(html).toContain('alt="a chart"');
    expect(html).not.toContain('data:');
  });

  test('drops a style attribute but keeps the element and its text', () => {
    expect(renderMarkdown('<p style="color:red">warning</p>')).toBe('<p>warning</p>');
  });

  test('keeps a GitHub-flavoured table with its alignment', () => {
    const html = renderMarkdown('| Item | Qty |\n| --- | ---: |\n| Binder | 1 |');
    expect(tagsOf(html)).toEqual(['table', 'thead', 'tr', 'th', 'th', 'tbody', 'tr', 'td', 'td']);
    expect(html).toContain('<td align="right">1</td>');
  });

  test('keeps a fenced code block with its language class and escapes its content', () => {
    const html = renderMarkdown('```js\nif (a < b) alert("<b>");\n```');
    expect(html).toContain('<pre><code class="language-js">');
    expect(html).toContain('if (a &lt; b) alert("&lt;b&gt;");');
    expect(html).not.toContain('<b>');
  });

  test('drops a code class that is not a language', () => {
    expect(renderMarkdown('<code class="language-js evil">x</code>')).toContain('<code class="language-js">x</code>');
  });

  test('renders task-list items as disabled checkboxes, ticked ones checked', () => {
    const html = renderMarkdown('- [ ] open item\n- [x] done item');
    const boxes = [...html.matchAll(/<input[^>]*>/g)].map((m) => m[0]);
    expect(boxes).toHaveLength(2);
    for (const box of boxes) {
      expect(box).toContain('type="checkbox"');
      expect(box).toMatch(/\sdisabled\b/);
    }
    expect(boxes[0]).not.toMatch(/\schecked\b/);
    expect(boxes[1]).toMatch(/\schecked\b/);
  });

  test('disables a checkbox written as raw HTML', () => {
    expect(renderMarkdown('<input type="checkbox" checked>')).toMatch(/<input type="checkbox" disabled[^>]*checked/);
  });

  test('keeps headings of every level', () => {
    const html = renderMarkdown('# One\n\n## Two\n\n### Three\n\n###### Six');
    expect(tagsOf(html)).toEqual(['h1', 'h2', 'h3', 'h6']);
  });

  test('keeps an https link and gives it rel="noopener noreferrer nofollow"', () => {
    expect(renderMarkdown('[guide](https://www.ftc.gov/guide?a=1&b=2)')).toBe(
      '<p><a href="https://www.ftc.gov/guide?a=1&amp;b=2" rel="noopener noreferrer nofollow">guide</a></p>\n',
    );
  });

  test('replaces a rel the author wrote and drops target', () => {
    const html = renderMarkdown('<a href="https://example.com" rel="opener" target="_blank">x</a>');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).not.toContain('opener"');
    expect(html).not.toContain('target');
  });

  test('keeps mailto and tel links', () => {
    const html = renderMarkdown('[mail](mailto:help@example.com) and [call](tel:+15551234567)');
    expect(urlsOf(html)).toEqual(['mailto:help@example.com', 'tel:+15551234567']);
  });

  test('keeps an https image with its alt text', () => {
    expect(renderMarkdown('![logo](https://example.com/logo.png)')).toBe('<p><img src="https://example.com/logo.png" alt="logo" /></p>\n');
  });

  test('gives the same HTML when the same text is rendered again', () => {
    const source = '**Bold** [link](https://example.com) <script>x</script>';
    expect(renderMarkdown(source)).toBe(renderMarkdown(source));
    expectHarmless(renderMarkdown(source));
  });
});

describe('renderInlineMarkdown', () => {
  test.each(HOSTILE)('removes %s', (_name, source) => {
    expectHarmless(renderInlineMarkdown(source));
  });

  test('renders inline Markdown without a wrapping paragraph', () => {
    expect(renderInlineMarkdown('**Binder** and `CD` inside')).toBe('<strong>Binder</strong> and <code>CD</code> inside');
  });

  test('keeps an https link and gives it rel="noopener noreferrer nofollow"', () => {
    expect(renderInlineMarkdown('see [slip](https://example.com/slip)')).toBe(
      'see <a href="https://example.com/slip" rel="noopener noreferrer nofollow">slip</a>',
    );
  });

  test('drops the href of a javascript: link written with an entity', () => {
    const html = renderInlineMarkdown('[x](jav&#x61;script:alert(1))');
    expect(html).toBe('<a rel="noopener noreferrer nofollow">x</a>');
  });

  test('does not take the block result for the same text from the cache', () => {
    const source = 'cached **text**';
    expect(renderMarkdown(source)).toBe('<p>cached <strong>text</strong></p>\n');
    expect(renderInlineMarkdown(source)).toBe('cached <strong>text</strong>');
  });
});

test('drops a non-checkbox input whole, leaving the HTML around it balanced', () => {
  const html = renderMarkdown('<input type="text"> [l](https://e.com) rest');
  expect(html).not.toContain('<input');
  expect(html).not.toContain('span');
  expect(html).toContain('<a href="https://e.com" rel="noopener noreferrer nofollow">l</a> rest');
});
