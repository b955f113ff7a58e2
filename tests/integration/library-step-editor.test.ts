import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import type { PersonRow } from '../../server/people/repo';
import { parseRunbook } from '../../server/runbooks/format/parse';

/** The step-by-step editor through plain form posts, as a browser without JavaScript sends them. */

const good = runbookMarkdown('Close the month', [
  { title: 'Reconcile the bank', owner: 'Bookkeeper', estimate: '30m', body: 'Match every line.' },
  { title: 'Send the report', owner: 'Bookkeeper', estimate: '10m' },
]);
const SHIPPED = fs.readFileSync(path.join(__dirname, '..', '..', 'runbooks', 'ship-physical-order.md'), 'utf8');

let t: ReturnType<typeof testApp>;
let editor: PersonRow, member: PersonRow, outsourcer: PersonRow;
beforeEach(() => {
  t = testApp();
  editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });
  member = makePerson(t.db, { name: 'Mia Member', level: 'member' });
  outsourcer = makePerson(t.db, { name: 'Otto Outsourcer', level: 'outsourcer' });
  makeRunbook(t.db, 'month-end', good);
  makeRunbook(t.db, 'ship', SHIPPED);
});
afterEach(() => {
  expect(t.errors).toEqual([]);
  t.cleanup();
});

const page = (url: string, who: { id: number } = editor) =>
  request(t.app).get(url).set(browserSession(t.db, who.id).headers).set('Accept', 'text/html');
const post = (url: string, body: Record<string, string>, who: { id: number } = editor) => {
  const session = browserSession(t.db, who.id);
  return request(t.app)
    .post(url)
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...body, _csrf: session.csrf });
};

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1] as string) : null;
};

/** What a browser would send for the page's form: inputs, ticked boxes, text areas, chosen options (no button). */
function formFields(html: string): Record<string, string> {
  const form = /<form class="sf"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || name === '_csrf' || (type === 'checkbox' && !/\schecked/.test(tag))) continue;
    fields[name] = attr(tag, 'value') ?? '';
  }
  // The HTML parser drops one newline right after <textarea>.
  for (const [, open, text] of form.matchAll(/(<textarea\b[^>]*>)\n?([\s\S]*?)<\/textarea>/g))
    fields[attr(open as string, 'name') as string] = decode(text as string);
  for (const [, open, options] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected>/.exec(options as string) ?? /<option value="([^"]*)"/.exec(options as string);
    fields[attr(open as string, 'name') as string] = decode(chosen?.[1] ?? '');
  }
  return fields;
}
const sourceOf = (slug: string) =>
  (
    t.db.prepare('SELECT v.source FROM runbooks r JOIN runbook_versions v ON v.id = r.current_version_id WHERE r.slug = ?').get(slug) as {
      source: string;
    }
  ).source;
const versionCount = (slug: string) =>
  (
    t.db.prepare('SELECT count(*) AS n FROM runbook_versions v JOIN runbooks r ON r.id = v.runbook_id WHERE r.slug = ?').get(slug) as {
      n: number;
    }
  ).n;
const parsedNow = (slug: string) => {
  const result = parseRunbook(sourceOf(slug));
  if (!result.ok) throw new Error('stored text does not parse');
  return result.runbook;
};
const loaded = async (slug: string) => formFields((await page(`/runbooks/${slug}/edit/steps`).expect(200)).text);

describe('the step-by-step form', () => {
  test('shows settings and steps in plain words: no cron, no Markdown labels', async () => {
    const res = await page('/runbooks/ship/edit/steps').expect(200);
    expect(res.text).toContain('Checks, one per line');
    expect(res.text).toContain('Instructions');
    expect(res.text).not.toMatch(/cron|Markdown|front matter/i);
    const fields = formFields(res.text);
    expect(fields['s0-title']).toBe('Confirm payment and check the risk flag');
    expect(fields['s0-checks']?.split('\n')).toHaveLength(3);
    expect(fields.review).toBe('6mo');
  });

  test('sent back unchanged, it saves nothing new: the text comes back byte for byte', async () => {
    const fields = await loaded('ship');
    const res = await post('/runbooks/ship/edit/steps', { ...fields, action: 'save' }).expect(303);
    expect(res.headers.location).toBe('/runbooks/ship?done=unchanged');
    expect(versionCount('ship')).toBe(1);
    expect(sourceOf('ship')).toBe(SHIPPED);
  });

  test.each(fs.readdirSync(path.join(__dirname, '..', '..', 'runbooks')).filter((name) => name.endsWith('.md')))(
    'the shipped %s, loaded into the form and sent back, is unchanged',
    async (name) => {
      const source = fs.readFileSync(path.join(__dirname, '..', '..', 'runbooks', name), 'utf8');
      makeRunbook(t.db, 'shipped', source);
      const res = await post('/runbooks/shipped/edit/steps', { ...(await loaded('shipped')), action: 'save' }).expect(303);
      expect(res.headers.location).toBe('/runbooks/shipped?done=unchanged');
      expect(sourceOf('shipped')).toBe(source);
    },
  );

  test('changing one estimate saves a version where only that changed, unknown settings kept', async () => {
    const fields = await loaded('ship');
    await post('/runbooks/ship/edit/steps', { ...fields, 's1-estimate': '7m', action: 'save' }).expect(303, /done=saved/);
    expect(sourceOf('ship')).toBe(
      SHIPPED.replace('## Verify the shipping address\nEstimate: 5m', '## Verify the shipping address\nEstimate: 7m'),
    );
    expect(sourceOf('ship')).toContain('carrier_account: USPS via Pirate Ship');
  });

  test('adds a step (shown again with the keyboard on its name), then saves it', async () => {
    const fields = await loaded('month-end');
    const added = await post('/runbooks/month-end/edit/steps', { ...fields, action: 'add' }).expect(200);
    expect(added.text).toMatch(/id="f-s2-title" name="s2-title" type="text" value=""[^>]*autofocus/);
    const next = formFields(added.text);
    expect(next.steps).toBe('3');
    await post('/runbooks/month-end/edit/steps', {
      ...next,
      's2-title': 'File the papers',
      's2-owner': 'Office VA',
      action: 'save',
    }).expect(303);
    const steps = parsedNow('month-end').steps;
    expect(steps.map((s) => [s.title, s.owner])).toEqual([
      ['Reconcile the bank', 'Bookkeeper'],
      ['Send the report', 'Bookkeeper'],
      ['File the papers', 'Office VA'],
    ]);
  });

  test('removes a step', async () => {
    const fields = await loaded('month-end');
    const shown = formFields((await post('/runbooks/month-end/edit/steps', { ...fields, action: 'remove:0' }).expect(200)).text);
    expect(shown.steps).toBe('1');
    expect(shown['s0-title']).toBe('Send the report');
    await post('/runbooks/month-end/edit/steps', { ...shown, action: 'save' }).expect(303);
    expect(parsedNow('month-end').steps.map((s) => s.title)).toEqual(['Send the report']);
  });

  test('moves a step up, everything typed moving with it, and keeps the keyboard on it', async () => {
    const fields = await loaded('month-end');
    const res = await post('/runbooks/month-end/edit/steps', { ...fields, 's1-checks': 'Sent to the owner', action: 'up:1' }).expect(200);
    expect(res.text).toMatch(/id="f-s0-down"[^>]*autofocus/);
    const shown = formFields(res.text);
    expect([shown['s0-title'], shown['s0-checks'], shown['s1-title']]).toEqual([
      'Send the report',
      'Sent to the owner',
      'Reconcile the bank',
    ]);
    await post('/runbooks/month-end/edit/steps', { ...shown, action: 'save' }).expect(303);
    const steps = parsedNow('month-end').steps;
    expect(steps.map((s) => s.title)).toEqual(['Send the report', 'Reconcile the bank']);
    expect(steps[0]?.checks).toEqual(['Sent to the owner']);
  });

  test('previews one step’s instructions through the renderer, sanitised', async () => {
    const fields = await loaded('month-end');
    const res = await post('/runbooks/month-end/edit/steps', {
      ...fields,
      's0-instructions': 'Match **every** line.<script>alert(1)</script>',
      action: 'preview:0',
    }).expect(200);
    expect(res.text).toContain('<strong>every</strong>');
    expect(res.text).not.toContain('<script>alert(1)</script>');
  });

  test('chooses a schedule in words and stores it as the format’s schedule', async () => {
    const fields = await loaded('month-end');
    await post('/runbooks/month-end/edit/steps', {
      ...fields,
      schedule: 'monthly',
      'schedule-date': '3',
      'schedule-time': '10:30',
      action: 'save',
    }).expect(303);
    expect(parsedNow('month-end').schedule).toBe('30 10 3 * *');
  });

  test('keeps a schedule the form cannot say, shown in words', async () => {
    makeRunbook(t.db, 'odd', runbookMarkdown('Odd', [{ title: 'One' }], { schedule: '"*/15 9-17 * * 1-5"' }));
    const res = await page('/runbooks/odd/edit/steps').expect(200);
    expect(res.text).toContain('As it is: every 15 minutes');
    const fields = formFields(res.text);
    await post('/runbooks/odd/edit/steps', { ...fields, title: 'Odd one', action: 'save' }).expect(303);
    expect(parsedNow('odd').schedule).toBe('*/15 9-17 * * 1-5');
  });
});

describe('mistakes in the form', () => {
  test('name the step and field, keep everything typed, and save nothing', async () => {
    const fields = await loaded('month-end');
    const res = await post('/runbooks/month-end/edit/steps', {
      ...fields,
      's1-estimate': 'soon',
      's0-checks': 'Typed and kept',
      action: 'save',
    }).expect(422);
    expect(res.text).toContain('Step 2 “Send the report”: How long it takes: &quot;soon&quot; is not a duration');
    expect(res.text).toMatch(/id="f-s1-estimate-error"/);
    const shown = formFields(res.text);
    expect([shown['s1-estimate'], shown['s0-checks']]).toEqual(['soon', 'Typed and kept']);
    expect(versionCount('month-end')).toBe(1);
  });

  test('a step without a name, and a runbook without steps, are said in the form’s words', async () => {
    const fields = await loaded('month-end');
    const nameless = await post('/runbooks/month-end/edit/steps', { ...fields, 's1-title': ' ', action: 'save' }).expect(422);
    expect(nameless.text).toContain('Step 2: Give the step a name.');
    const empty = await post('/runbooks/month-end/edit/steps', { ...fields, steps: '0', action: 'save' }).expect(422);
    expect(empty.text).toContain('Add at least one step.');
  });

  test('a line starting a step inside the instructions is refused rather than adding a step unseen', async () => {
    const fields = await loaded('month-end');
    const res = await post('/runbooks/month-end/edit/steps', { ...fields, 's0-instructions': 'First\n## Sneaky', action: 'save' }).expect(
      422,
    );
    expect(res.text).toContain('Step 1: A line starts with “##”');
    expect(versionCount('month-end')).toBe(1);
  });

  test('a save made by someone else meanwhile is named, and saving again replaces it knowingly', async () => {
    const fields = await loaded('month-end');
    makeRunbook(t.db, 'month-end', good.replace('Match every line.', 'Match every line twice.'));
    const res = await post('/runbooks/month-end/edit/steps', { ...fields, 's0-owner': 'Owner', action: 'save' }).expect(409);
    expect(res.text).toContain('Version 2 was saved while you were editing');
    expect(res.text).toContain('/runbooks/month-end/diff?from=1&amp;to=2');
    const again = formFields(res.text);
    expect(again.base).toBe('2');
    await post('/runbooks/month-end/edit/steps', { ...again, action: 'save' }).expect(303);
    expect(parsedNow('month-end').steps[0]?.owner).toBe('Owner');
  });
});

describe('a new runbook step by step', () => {
  test('is created from the form, its address made from the title', async () => {
    const fields = formFields((await page('/runbooks/new/steps').expect(200)).text);
    const res = await post('/runbooks/new/steps', {
      ...fields,
      title: 'Open the shop',
      's0-title': 'Unlock',
      's0-checks': 'Door\nAlarm',
      action: 'save',
    }).expect(303);
    expect(res.headers.location).toBe('/runbooks/open-the-shop?done=created');
    expect(parsedNow('open-the-shop').steps[0]?.checks).toEqual(['Door', 'Alarm']);
  });

  test('refuses a taken address beside its field, keeping the form', async () => {
    const fields = formFields((await page('/runbooks/new/steps').expect(200)).text);
    const res = await post('/runbooks/new/steps', { ...fields, slug: 'ship', 's0-title': 'Kept title', action: 'save' }).expect(422);
    expect(res.text).toContain('already taken');
    expect(formFields(res.text)['s0-title']).toBe('Kept title');
  });
});

describe('who may use it', () => {
  test('is refused to a member (403) and hidden from an outsourcer (404)', async () => {
    await page('/runbooks/ship/edit/steps', member).expect(403);
    await page('/runbooks/ship/edit/steps', outsourcer).expect(404);
    await post('/runbooks/ship/edit/steps', { action: 'save', title: 'x', steps: '1', 's0-title': 'x' }, member).expect(403);
    expect(versionCount('ship')).toBe(1);
  });

  test('refuses a post without the form’s token', async () => {
    const session = browserSession(t.db, editor.id);
    await request(t.app)
      .post('/runbooks/ship/edit/steps')
      .set(session.headers)
      .set('Accept', 'text/html')
      .type('form')
      .send({ action: 'save', title: 'x', steps: '1', 's0-title': 'x' })
      .expect(403);
    expect(versionCount('ship')).toBe(1);
  });
});
