import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import type { PersonRow } from '../../server/people/repo';

/** The Markdown editor's preview of a text with problems: what reads is shown, each problem marked where it is. */

let t: ReturnType<typeof testApp>;
let editor: PersonRow;
beforeEach(() => {
  t = testApp();
  editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });
});
afterEach(() => {
  expect(t.errors).toEqual([]);
  t.cleanup();
});

const preview = (source: string) => {
  const session = browserSession(t.db, editor.id);
  return request(t.app)
    .post('/runbooks/new')
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ source, intent: 'preview', _csrf: session.csrf })
    .expect(422);
};
/** The preview's section of the page, as text. */
const previewText = (html: string) =>
  (/<section class="lib-editor__preview[\s\S]*?<\/section>/.exec(html)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
/** Each previewed step's text, in order. */
const stepsOf = (html: string) =>
  [...html.matchAll(/<li class="lib-step lib-step--preview[^"]*">([\s\S]*?)<\/li>\s*(?=<li class="lib-step|<\/ol>)/g)].map(
    (m) =>
      m[1]
        ?.replace(/<[^>]+>/g, ' ')
        .replace(/&quot;/g, '"')
        .replace(/\s+/g, ' ')
        .trim() ?? '',
  );

const text = (...lines: string[]) => `${lines.join('\n')}\n`;

test('one bad step setting marks that step and still shows every step', async () => {
  const res = await preview(
    text(
      '---',
      'title: Close the month',
      '---',
      '',
      'Intro words.',
      '',
      '## Reconcile',
      'Estimate: 30m',
      '',
      'Match **every** line.',
      '',
      '## Report',
      'Estimate: soon',
      '',
      'Send it.',
      '',
      '## File',
      '',
      'Put it away.',
    ),
  );
  const steps = stepsOf(res.text);
  expect(steps).toHaveLength(3);
  expect(steps[0]).toContain('Reconcile');
  expect(steps[0]).not.toContain('⚠ line');
  expect(steps[1]).toContain('line 13: Estimate "soon" is not a duration');
  expect(steps[1]).toContain('Send it.');
  expect(steps[2]).toContain('Put it away.');
  expect(res.text).toContain('<strong>every</strong>');
  expect(previewText(res.text)).toContain('Close the month');
});

test('a front matter that does not read is marked above the preview, and the steps still show', async () => {
  const res = await preview(
    text('---', 'title: Refunds: the policy', '---', '', '## Check the order', '', 'Look it up.', '', '## Refund', 'Estimate: 5m'),
  );
  const shown = previewText(res.text);
  expect(shown).toContain('line 2: front matter is not valid YAML');
  expect(stepsOf(res.text)).toEqual([expect.stringContaining('Check the order'), expect.stringContaining('Refund')]);
});

test('a step heading without a title is marked in its place', async () => {
  const res = await preview(text('---', 'title: T', '---', '', '## One', '', '##', 'Body of two.', '', '## Three'));
  const steps = stepsOf(res.text);
  expect(steps).toHaveLength(3);
  expect(steps[1]).toContain('line 7: step heading has no title');
  expect(steps[1]).toContain('Body of two.');
});

test('a text without front matter or steps has no preview yet, only its problems', async () => {
  const res = await preview('Just some words\n');
  expect(stepsOf(res.text)).toEqual([]);
  expect(previewText(res.text)).toContain('The preview shows once the text has a first line');
});
