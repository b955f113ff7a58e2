import fs from 'node:fs';
import path from 'node:path';
import { Marked } from 'marked';
import { cleanHtml, htmlToMarkdown } from '../../server/imports/html';
import { htmlTree } from '../../server/imports/html-tree';
import { handbook } from '../bench/documents';
import { HTML_CORNERS } from './html-corners';

/**
 * Imports read clean HTML into html-tree's small DOM rather than letting turndown parse it
 * with domino (a whole HTML5 DOM, twice the time on a 1 MB page), unless HTML5 would repair
 * the page's structure. These tests hold the Markdown of both the same, over the import
 * fixtures, every shipped runbook as a web page, pages written to reach the corners where an
 * HTML5 parser and htmlparser2 part, and generated pages; and they hold real documents to the
 * fast path.
 */

const asHtml = (markdown: string) => new Marked({ gfm: true, async: false }).parse(markdown) as string;
const root = path.join(__dirname, '..', '..');

const TRICKY: Record<string, string> = {
  'entities and non-breaking spaces': '<p>Fish &amp; chips&nbsp;&nbsp;for &lt;two&gt; &quot;now&quot; &#169; &euro;5</p>',
  'text split around entities': '<ul><li>A &amp; B &amp; C</li><li>x&lt;y&gt;z</li></ul>',
  'pre with a leading newline':
    '<pre>\nfirst line\n  second\n</pre><pre><code>\ncode line\n</code></pre><pre>\n<code>fenced\n</code></pre>',
  'fenced code with a language': '<pre><code class="language-bash">batch close 1\n</code></pre>',
  'inline whitespace at element edges': '<p>Press<strong> Save </strong>then <em>wait </em> and<a href="https://x.test"> open </a>it</p>',
  'inline code beside text': '<p>Run <code>make</code>, then <code>make test</code>.</p>',
  'unclosed items and paragraphs': '<ul><li>one<li>two<p>para<p>next</ul><p>after',
  'paragraph closed by a block': '<p>intro<ul><li>item</li></ul>tail</p>',
  'stray closing tags': '</div><p>kept</p></span></li><h2>Title</h2></p>',
  'line breaks': '<p>line one<br>line two<br/>line three</p>',
  'tables without tbody': '<table><tr><th>Who</th><th>What</th></tr><tr><td>Manager</td><td>Approve | sign</td></tr></table>',
  'tables with sections': '<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table>',
  'check boxes': '<ul><li><input type="checkbox" checked> done</li><li><input type="checkbox"> to do</li></ul>',
  'nested lists': '<ol start="3"><li>Three<ul><li>a</li><li>b<ol><li>deep</li></ol></li></ul></li><li>Four</li></ol>',
  'Google Docs lists and title':
    '<p class="c1 title">Supplier onboarding</p><h1>Checks</h1><ul class="lst-kix_abc-0"><li>Top</li></ul><ul class="lst-kix_abc-1"><li>Under</li></ul>',
  'links and images':
    '<p><a href="https://www.google.com/url?q=https://example.com/a&amp;sa=D">Docs link</a> <img src="https://x.test/a.png" alt="A *b*"></p>',
  'hostile parts': '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">bad</a><iframe src="x"></iframe></p>',
  'comments and unknown tags': '<!-- note --><section><article><p>In a section</p></article></section><custom-tag>text</custom-tag>',
  'blank elements': '<p> </p><p><strong> </strong></p><li></li><h3></h3><p>real</p>',
  'headings with inline parts': '<h2>Step <em>1</em>: <code>open</code> the shop</h2><h4>Payroll tasks</h4><p>Do it.</p>',
  'blockquotes and rules': '<blockquote><p>Quoted</p><blockquote><p>deeper</p></blockquote></blockquote><hr><p>after</p>',
  'deep nesting': `${'<div>'.repeat(80)}deep text${'</div>'.repeat(80)}`,
  'markdown characters in text': '<p>1. not a list * star _under_ [link] # hash `tick` \\ back</p><p>- dash start</p>',
  'whole document': '<!doctype html><html><head><title>T</title><style>p{}</style></head><body><h1>Doc</h1><p>Body</p></body></html>',
};

describe('the small DOM gives the Markdown turndown gives from its own parse', () => {
  test.each(Object.entries(TRICKY))('%s', (_name, html) => {
    expect(htmlToMarkdown(html, 'tree')).toBe(htmlToMarkdown(html, 'domino'));
  });

  test('every import fixture and every shipped runbook as a web page', () => {
    const pages: string[] = [];
    for (const dir of ['tests/fixtures/imports', 'runbooks']) {
      for (const file of fs.readdirSync(path.join(root, dir))) {
        if (!/\.(md|txt|html)$/.test(file)) continue;
        const text = fs.readFileSync(path.join(root, dir, file), 'utf8');
        pages.push(file.endsWith('.html') ? text : asHtml(text));
      }
    }
    expect(pages.length).toBeGreaterThan(15);
    for (const page of pages) expect(htmlToMarkdown(page, 'tree')).toBe(htmlToMarkdown(page, 'domino'));
  });

  test('a long handbook page', () => {
    const page = asHtml(handbook(200_000).markdown);
    expect(htmlToMarkdown(page, 'tree')).toBe(htmlToMarkdown(page, 'domino'));
  });

  test.each(Object.entries(HTML_CORNERS))('corner: %s', (_name, html) => {
    expect(htmlToMarkdown(html, 'tree')).toBe(htmlToMarkdown(html, 'domino'));
  });

  test('two thousand generated pages of misnested blocks, links, lists and tables', () => {
    let seed = 20261206;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const tags = [
      'p',
      'div',
      'span',
      'b',
      'em',
      'a',
      'h2',
      'h3',
      'ul',
      'ol',
      'li',
      'pre',
      'code',
      'blockquote',
      'br',
      'hr',
      'img',
      'input',
    ];
    const tableTags = ['table', 'tbody', 'tr', 'td', 'th', 'p', 'b', 'li'];
    const texts = ['x', ' y ', 'Step one', '\n', ' ', '1. num', '* star', 'a&amp;b', '&nbsp;', '\r\nz'];
    const page = (depth: number, from: readonly string[]): string => {
      let out = '';
      for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
        if (depth > 4 || random() < 0.35) {
          out += pick(texts);
          continue;
        }
        const tag = pick(from);
        const attributes =
          tag === 'a'
            ? ' href="https://x.test/"'
            : tag === 'img'
              ? ' src="https://x.test/i.png" alt="i"'
              : tag === 'input'
                ? ' type="checkbox"'
                : '';
        if (['br', 'hr', 'img', 'input'].includes(tag)) out += `<${tag}${attributes}>`;
        else out += `<${tag}${attributes}>${page(depth + 1, from)}${random() < 0.9 ? `</${tag}>` : ''}`;
      }
      return out;
    };
    const differ: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const html = page(0, i % 4 === 3 ? tableTags : tags);
      if (htmlToMarkdown(html, 'tree') !== htmlToMarkdown(html, 'domino')) differ.push(html);
    }
    expect(differ.slice(0, 5)).toEqual([]);
  });
});

describe('real documents take the fast path', () => {
  test('the import fixtures, the shipped runbooks as pages and the handbook need no repair', () => {
    const pages = [asHtml(handbook(100_000).markdown)];
    for (const dir of ['tests/fixtures/imports', 'runbooks']) {
      for (const file of fs.readdirSync(path.join(root, dir))) {
        if (!/\.(md|txt|html)$/.test(file)) continue;
        const text = fs.readFileSync(path.join(root, dir, file), 'utf8');
        pages.push(file.endsWith('.html') ? text : asHtml(text));
      }
    }
    expect(pages.filter((page) => htmlTree(cleanHtml(page)) === null)).toEqual([]);
  });

  test('a page HTML5 would repair goes to turndown’s own parse', () => {
    for (const html of [
      '<p><em>intro<ul><li>x</li></ul></em></p>',
      '<p><a href="https://a.test">x<a href="https://b.test">y</a></a></p>',
    ]) {
      expect(htmlTree(cleanHtml(html))).toBeNull();
    }
  });

  test('a table of 4,000 rows has its header line once, under its first row', () => {
    const table = `<table>${'<tr><td>a</td><td>b</td></tr>'.repeat(4000)}</table>`;
    const lines = htmlToMarkdown(table).split('\n');
    expect(lines).toHaveLength(4001);
    expect(lines.slice(0, 3)).toEqual(['| a | b |', '| --- | --- |', '| a | b |']);
    expect(lines.filter((line) => line.includes('---'))).toHaveLength(1);
  });

  test('a numbered list of 40,000 items converts in one pass over its items', () => {
    const list = `<ol>${'<li>x</li>'.repeat(40_000)}</ol>`;
    const markdown = htmlToMarkdown(list);
    expect(markdown.split('\n')).toHaveLength(40_000);
    expect(markdown.split('\n').at(-1)).toBe('40000.  x');
  });
});

/** The tree of clean HTML, which these pages need no repair to be. */
function built(html: string) {
  const tree = htmlTree(html);
  if (!tree) throw new Error(`needs repair: ${html}`);
  return tree;
}

describe('the tree', () => {
  test('keeps text whole around entities, and walks siblings both ways', () => {
    const tree = built('<p>A &amp; B</p><ul><li>one</li><li>two</li></ul>');
    const [p, ul] = tree.childNodes as unknown as [{ childNodes: { data: string }[] }, { children: { textContent: string }[] }];
    expect(p.childNodes.map((n) => n.data)).toEqual(['A & B']);
    expect(ul.children.map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(tree.lastChild?.previousSibling?.nodeName).toBe('P');
  });

  test('removing a child updates the list of children and the siblings', () => {
    const tree = built('<p>a</p> <p>b</p>');
    expect(tree.childNodes).toHaveLength(3);
    const blank = tree.childNodes[1];
    if (!blank) throw new Error('no middle node');
    tree.removeChild(blank);
    expect(tree.childNodes.map((n) => n.textContent)).toEqual(['a', 'b']);
    expect(tree.firstChild?.nextSibling?.textContent).toBe('b');
    expect(tree.lastChild?.previousSibling?.textContent).toBe('a');
  });

  test('attributes and elements by name', () => {
    const tree = built('<ol start="2"><li><input type="checkbox" checked>x</li></ol>');
    const [ol] = tree.getElementsByTagName('ol');
    expect(ol?.getAttribute('start')).toBe('2');
    expect(ol?.getAttribute('type')).toBeNull();
    const [input] = tree.getElementsByTagName('INPUT');
    expect(input?.hasAttribute('checked')).toBe(true);
    expect(input?.firstChild).toBeNull();
    expect(input?.nextSibling?.textContent).toBe('x');
  });
});
