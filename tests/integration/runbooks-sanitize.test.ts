import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';
import { putRunbook, startRun, type TestApp } from './api';

let app: TestApp;
beforeAll(() => {
  app = testApp();
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));

/** A runbook whose every part a hostile writer could reach holds script, handlers or javascript: links. */
const hostile = `---
title: <script>alert('title')</script> Evil
---

Intro <script>alert('intro')</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>
<a href="jav&#x09;ascript:alert(1)">tab</a> <a href="&#106;avascript:alert(1)">entity</a> [d](data:text/html;base64,PHNjcmlwdD4=)
<svg onload=alert(1)></svg><iframe src="javascript:alert(1)"></iframe><style>body{display:none}</style>
<JAVASCRIPT:alert(1)> [v](vbscript:msgbox) <div onclick="x()">div</div> <form action="javascript:alert(1)"><button>go</button></form>

## <img src=x onerror=alert(2)> Step

Body <script>alert(3)</script> [link](javascript:alert(4)) <a href=" javascript:alert(5)" onmouseover="y()">m</a>
[safe](https://example.com/ok) ![pic](javascript:alert(12)) <input type="text" onfocus="alert(11)" autofocus>

- [ ] <script>alert(6)</script> tick
- [ ] [check link](javascript:alert(7))
- [ ] <img src="javascript:alert(8)" onerror="alert(9)">
- [ ] <a href="JaVaScRiPt:alert(10)">caps</a>
`;

const ATTRIBUTE = /\s([a-z][a-z0-9:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/gi;

/**
 * The HTML carries nothing that runs: no script, iframe, svg, style or form element, no on*
 * attribute, and every URL attribute is http(s), mailto, tel or a plain relative path.
 */
function expectInert(html: string) {
  expect(html).not.toMatch(/<\s*(script|iframe|svg|style|form|object|embed|button)/i);
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    for (const [, name, ...values] of tag.matchAll(ATTRIBUTE)) {
      expect(name!.toLowerCase()).not.toMatch(/^on/);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(name!)) {
        expect(values.find((v) => v !== undefined)).toMatch(/^(https?:|mailto:|tel:|[^:]*$)/i);
      }
    }
  }
  expect(html).not.toMatch(/=\s*["']?\s*(javascript|vbscript|data):/i);
}

describe('hostile Markdown', () => {
  let runbook: {
    title: string;
    introHtml: string;
    steps: { title: string; bodyHtml: string; checks: { text: string; html: string }[] }[];
  };

  beforeAll(async () => {
    const res = await putRunbook(app, 'evil', hostile);
    expect(res.status).toBe(201);
    runbook = res.body;
  });

  test('is stored as written: titles and check texts stay plain text for the client to escape', () => {
    expect(runbook.title).toBe("<script>alert('title')</script> Evil");
    expect(runbook.steps[0]!.title).toBe('<img src=x onerror=alert(2)> Step');
    expect(runbook.steps[0]!.checks.map((c) => c.text)).toEqual([
      '<script>alert(6)</script> tick',
      '[check link](javascript:alert(7))',
      '<img src="javascript:alert(8)" onerror="alert(9)">',
      '<a href="JaVaScRiPt:alert(10)">caps</a>',
    ]);
  });

  test('renders an intro HTML with no script, handler or javascript: link', () => {
    expectInert(runbook.introHtml);
    expect(runbook.introHtml).toContain('Intro');
    expect(runbook.introHtml).toContain('div');
  });

  test('renders a step body HTML with no script, handler or javascript: link, keeping safe links', () => {
    const html = runbook.steps[0]!.bodyHtml;
    expectInert(html);
    expect(html).toContain('<a href="https://example.com/ok" rel="noopener noreferrer nofollow">safe</a>');
    expect(html).toMatch(/<input type="checkbox" disabled \/>/);
    expect(html).not.toMatch(/type="text"|autofocus/);
  });

  test('renders every check HTML with no script, handler or javascript: link', () => {
    const htmls = runbook.steps[0]!.checks.map((c) => c.html);
    htmls.forEach(expectInert);
    expect(htmls[0]).toBe(' tick');
    expect(htmls[1]).toBe('<a rel="noopener noreferrer nofollow">check link</a>');
    expect(htmls[3]).toBe('<a rel="noopener noreferrer nofollow">caps</a>');
  });

  test('serves the same inert HTML from the version endpoint', async () => {
    const res = await app.http().get('/api/runbooks/evil/versions/1');
    expectInert(res.body.introHtml);
    expectInert(res.body.steps[0].bodyHtml);
    res.body.steps[0].checks.forEach((c: { html: string }) => expectInert(c.html));
  });

  test('serves inert HTML in a run of the runbook', async () => {
    const member = makePerson(app.db);
    const run = await startRun(app, 'evil', member, '<script>alert("run")</script>');
    expect(run.title).toBe('<script>alert("run")</script>');
    expectInert(run.steps[0]!.bodyHtml);
    expect(run.steps[0]!.checks).toHaveLength(4);
    run.steps[0]!.checks.forEach((c) => expectInert(c.html));
    const read = await app.http().get(`/api/runs/${run.id}`);
    expectInert(read.body.steps[0].bodyHtml);
    read.body.steps[0].checks.forEach((c: { html: string }) => expectInert(c.html));
  });
});
