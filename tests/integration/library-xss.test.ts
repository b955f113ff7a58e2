import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRunbook } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import { highlight } from '../../server/views/helpers/highlight';

/**
 * Runbook text is written by the team and shown to the team: whatever it holds, no library
 * page may carry a script, an event handler or a javascript: link out of it.
 */
const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });

const hostile = `---
title: <script>alert("title")</script> Zebrafish <img src=x onerror=alert(1)>
category: x"><svg onload=alert(2)>
owner: <i onclick=alert(3)>boss</i>
tags: [a"><b onmouseover=alert(4)>, <script>t</script>]
---

<script>alert("intro")</script> zebrafish intro <b onmouseover=alert(5)>bold</b> \u0003 \u0002

## Step <script>alert("step")</script> zebrafish
Owner: <img src=x onerror=alert(6)>
Estimate: 5m

zebrafish body <img src=x onerror=alert(7)> [click](javascript:alert(8)) <iframe src="https://evil.example"></iframe>
\u0002 marker soup \u0003\u0003 zebrafish

- [ ] <script>alert("check")</script> tick
`;
makeRunbook(t.db, 'evil', hostile);
makeRunbook(t.db, 'evil', hostile.replace('zebrafish body', 'zebrafish body changed <script>alert(9)</script>'));

/** Every tag of a page, with what makes it dangerous if present. */
function dangers(html: string): string[] {
  const found: string[] = [];
  for (const [tag, name, attributes] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const lower = (name as string).toLowerCase();
    if (lower === 'script' && !/^ src="\/assets\/[a-z]+\.js" defer$/.test(attributes as string)) found.push(tag);
    if (['svg', 'iframe', 'object', 'embed', 'math', 'b', 'i'].includes(lower) && /on\w+=/.test(tag)) found.push(tag);
    if (['svg', 'iframe', 'object', 'embed'].includes(lower)) found.push(tag);
    if (/\son\w+\s*=/i.test(attributes as string)) found.push(tag);
    if (/(href|src)\s*=\s*["']?\s*javascript:/i.test(attributes as string)) found.push(tag);
  }
  return found;
}

const page = (url: string) => request(t.app).get(url).set(browserSession(t.db, editor.id).headers).set('Accept', 'text/html');
const post = (url: string, body: Record<string, string>) => {
  const session = browserSession(t.db, editor.id);
  return request(t.app)
    .post(url)
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...body, _csrf: session.csrf });
};

describe('stored script in a runbook is shown as text on every library page', () => {
  const TITLE = '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;';
  test.each([
    ['the library', '/runbooks', TITLE],
    ['search results with snippets', '/runbooks?q=zebrafish', TITLE],
    ['search results matching the markup', '/runbooks?q=script+alert', '&lt;<mark>script</mark>&gt;<mark>alert</mark>(&quot;title&quot;)'],
    ['the library filtered by the hostile category', `/runbooks?category=${encodeURIComponent('x"><svg onload=alert(2)>')}`, TITLE],
    ['the runbook page', '/runbooks/evil', TITLE],
    ['the diff', '/runbooks/evil/diff?from=1&to=2', TITLE],
    ['the editor', '/runbooks/evil/edit', TITLE],
  ])('%s', async (_name, url, title) => {
    const res = await page(url);
    expect(res.status).toBe(200);
    expect(dangers(res.text)).toEqual([]);
    expect(res.text).toContain(title);
  });

  test('snippets of text holding the match markers themselves keep their <mark> tags paired', async () => {
    const res = await page('/runbooks?q=zebrafish+marker');
    expect(res.text).toContain('<mark>zebrafish</mark>');
    expect(res.text.split('<mark>').length).toBe(res.text.split('</mark>').length);
    // eslint-disable-next-line no-control-regex -- the match markers must never reach the page
    expect(res.text).not.toMatch(/[\u0002\u0003]/);
  });

  test('the editor preview, before anything is saved', async () => {
    const res = await post('/runbooks/evil/edit', { source: hostile, intent: 'preview', base: '2' });
    expect(res.status).toBe(200);
    expect(dangers(res.text)).toEqual([]);
    expect(res.text).toContain('zebrafish body');
  });

  test('a rejected new runbook, its text and slug echoed back', async () => {
    const res = await post('/runbooks/new', { slug: '"><script>alert(1)</script>', source: hostile, intent: 'save' });
    expect(res.status).toBe(422);
    expect(dangers(res.text)).toEqual([]);
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('the search box echoing a hostile query', async () => {
    const res = await page(`/runbooks?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(dangers(res.text)).toEqual([]);
  });
});

describe('the highlight helper', () => {
  test('escapes the text before turning the markers into <mark>', () => {
    expect(highlight('a <b>\u0002c&d\u0003</b>').toString()).toBe('a &lt;b&gt;<mark>c&amp;d</mark>&lt;/b&gt;');
  });

  test('drops markers that do not pair up and closes an open mark', () => {
    expect(highlight('\u0003a\u0002b\u0002c').toString()).toBe('a<mark>bc</mark>');
    expect(highlight(undefined).toString()).toBe('');
  });
});
