import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import { expectError, putRunbook } from './api';
import { notifyReviewsDue } from '../../server/notify/sweep';
import { backfillReviewDates, endOfMonth, reviewDueAt, reviewState } from '../../server/runbooks/reviews';

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

const editor = makePerson(t.db, { name: 'Eddie Editor', level: 'editor' });
const member = makePerson(t.db, { name: 'Mia Member', level: 'member' });
const keeper = makePerson(t.db, { name: 'Kim Keeper', level: 'member' });
makeRole(t.db, 'Office Manager', [keeper]);

const DAY = 24 * 3600_000;
const md = (title: string, fm: Record<string, string> = {}) => runbookMarkdown(title, [{ title: 'Do it' }], fm);
makeRunbook(t.db, 'payroll', md('Payroll', { review: '6mo', owner: 'Office Manager' }));
makeRunbook(t.db, 'no-review', md('No review'));

/** Moves a runbook's history back in time: its creation, last review and due date. */
function age(slug: string, days: number) {
  const at = new Date(Date.now() - days * DAY).toISOString();
  t.db.prepare('UPDATE runbooks SET created_at = ?, reviewed_at = ?, review_due_at = NULL WHERE slug = ?').run(at, at, slug);
  backfillReviewDates(t.db);
}

const page = (url: string, who = t.owner) => request(t.app).get(url).set(browserSession(t.db, who.id).headers).set('Accept', 'text/html');
const post = (url: string, body: Record<string, string>, who = t.owner) => {
  const session = browserSession(t.db, who.id);
  return request(t.app)
    .post(url)
    .set(session.headers)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...body, _csrf: session.csrf });
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('due dates', () => {
  test('counts calendar months from the last review, and days as days', () => {
    expect(reviewDueAt('6mo', '2026-01-31T10:00:00.000Z')).toBe('2026-07-31T10:00:00.000Z');
    expect(reviewDueAt('1mo', '2026-01-31T10:00:00.000Z')).toBe('2026-02-28T10:00:00.000Z');
    expect(reviewDueAt('90d', '2026-01-01T00:00:00.000Z')).toBe('2026-04-01T00:00:00.000Z');
    expect(reviewDueAt(null, '2026-01-01T00:00:00.000Z')).toBeNull();
  });

  test('is overdue once passed, due when it falls before the end of this month, else nothing', () => {
    const now = new Date();
    expect(reviewState(new Date(now.getTime() - 1000).toISOString(), now)).toBe('overdue');
    const laterThisMonth = new Date(Math.min(now.getTime() + 1000, new Date(endOfMonth(now)).getTime() - 1));
    expect(reviewState(laterThisMonth.toISOString(), now)).toBe('due');
    expect(reviewState(new Date(now.getTime() + 60 * DAY).toISOString(), now)).toBeNull();
    expect(reviewState(null, now)).toBeNull();
  });
});

describe('the runbook JSON', () => {
  test('gives review { every, lastReviewedAt, dueAt } counted from the first version', async () => {
    const res = await t.http().get('/api/runbooks/payroll').expect(200);
    const { every, lastReviewedAt, dueAt } = res.body.review;
    expect(every).toBe('6mo');
    expect(dueAt).toBe(reviewDueAt('6mo', lastReviewedAt));
    expect((await t.http().get('/api/runbooks/no-review')).body.review).toEqual({
      every: null,
      lastReviewedAt: expect.any(String),
      dueAt: null,
    });
  });

  test('a new version counts as a review: the due date moves on from it', async () => {
    makeRunbook(t.db, 'ops-review', md('Ops', { review: '90d' }));
    age('ops-review', 100);
    const before = (await t.http().get('/api/runbooks/ops-review')).body.review;
    expect(before.dueAt < new Date().toISOString()).toBe(true);
    await putRunbook(t, 'ops-review', md('Ops, second edition', { review: '90d' })).expect(200);
    const after = (await t.http().get('/api/runbooks/ops-review')).body.review;
    expect(after.lastReviewedAt > before.lastReviewedAt).toBe(true);
    expect(after.dueAt).toBe(reviewDueAt('90d', after.lastReviewedAt));
  });
});

describe('POST /api/runbooks/:slug/reviews', () => {
  test('marks the runbook reviewed with a note: the due date moves on and the audit log says so', async () => {
    age('payroll', 200);
    const res = await t.asPerson(editor).post('/api/runbooks/payroll/reviews').send({ note: 'Checked the new tax table' }).expect(201);
    expect(res.body.review.every).toBe('6mo');
    expect(res.body.review.dueAt).toBe(reviewDueAt('6mo', res.body.review.lastReviewedAt));
    expect(res.body.reviewed).toMatchObject({ by: { id: editor.id, name: 'Eddie Editor' }, note: 'Checked the new tax table', version: 1 });
    const audit = await t.http().get('/api/audit').expect(200);
    expect(audit.body.entries[0]).toMatchObject({
      action: 'runbook.reviewed',
      actor: { id: editor.id },
      detail: '“Payroll” · note: Checked the new tax table',
    });
  });

  test('takes no body at all (the note is optional)', async () => {
    await t.http().post('/api/runbooks/payroll/reviews').expect(201);
  });

  test('refuses a note that is too long, naming the field', async () => {
    expectError(
      await t
        .http()
        .post('/api/runbooks/payroll/reviews')
        .send({ note: 'x'.repeat(2001) }),
      400,
      'invalid-input',
      'note',
    );
  });

  test('refuses members (403) and hides the runbook from outsourcers (404)', async () => {
    const outsourcer = makePerson(t.db, { name: 'Otto', level: 'outsourcer' });
    expectError(await t.asPerson(member).post('/api/runbooks/payroll/reviews').send({}), 403, 'forbidden');
    expectError(await t.asPerson(outsourcer).post('/api/runbooks/payroll/reviews').send({}), 404, 'not-found');
    expectError(await t.http().post('/api/runbooks/nothing-here/reviews').send({}), 404, 'not-found');
  });
});

describe('the library', () => {
  test('filters by review due, overdue and unused, and says so on each card', async () => {
    makeRunbook(t.db, 'late', md('Late one', { review: '30d' }));
    age('late', 40);
    makeRunbook(t.db, 'idle', md('Idle one'));
    age('idle', 200);
    const overdue = await t.http().get('/api/runbooks?review=overdue').expect(200);
    expect(overdue.body.runbooks.map((r: { slug: string }) => r.slug)).toEqual(['late']);
    const unused = await t.http().get('/api/runbooks?review=unused').expect(200);
    expect(unused.body.runbooks.map((r: { slug: string }) => r.slug)).toContain('idle');
    expect(unused.body.runbooks.map((r: { slug: string }) => r.slug)).not.toContain('no-review');
    const html = text((await page('/runbooks?review=overdue')).text);
    expect(html).toContain('Late one Overdue for review');
    expect(html).not.toContain('Payroll');
    expect(text((await page('/runbooks?review=unused')).text)).toContain('Idle one Unused');
  });

  test('refuses an unknown review filter through the API, naming it', async () => {
    expectError(await t.http().get('/api/runbooks?review=soon'), 400, 'invalid-input', 'review');
  });
});

describe('the runbook page', () => {
  test('marks it reviewed with a note, and shows the history newest first', async () => {
    const res = await post('/runbooks/payroll/reviews', { note: 'All still true' }, editor);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/runbooks/payroll?done=reviewed#lib-reviews-h');
    const html = text((await page('/runbooks/payroll?done=reviewed')).text);
    expect(html).toContain('Marked reviewed.');
    expect(html).toContain('Review every 6 months');
    expect(html).toMatch(/Reviewed every 6 months\. Next review due \d+ \w+ \d{4}/);
    expect(html).toMatch(/History Reviewed .* Eddie Editor · version 1 All still true/);
    expect(html).toContain('Version 1 saved (counts as a review)');
  });

  test('shows the form again with the error beside the note when it is too long', async () => {
    const res = await post('/runbooks/payroll/reviews', { note: 'y'.repeat(2001) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="f-note-error"');
  });

  test('says in words where to ask for reviews when none is asked for, to those who may edit', async () => {
    const html = text((await page('/runbooks/no-review', editor)).text);
    expect(html).toMatch(
      /This runbook asks for no regular review\. To be reminded, choose how often under “Remind us to review it” in Edit step by step ?\./,
    );
    expect(html).not.toContain('review:');
    expect((await page('/runbooks/no-review', member)).text).not.toContain('Remind us to review it');
  });

  test('offers no Mark reviewed to a member', async () => {
    const html = (await page('/runbooks/payroll', member)).text;
    expect(html).not.toContain('Mark reviewed');
    expect((await post('/runbooks/payroll/reviews', {}, member)).status).toBe(403);
  });

  test('an unused runbook offers Keep and Archive; keeping takes it off the unused list', async () => {
    makeRunbook(t.db, 'dusty', md('Dusty'));
    age('dusty', 365);
    expect(text((await page('/runbooks/dusty')).text)).toContain('Nobody has run this runbook in 180 days');
    const res = await post('/runbooks/dusty/keep', {});
    expect(res.headers.location).toBe('/runbooks/dusty?done=kept');
    expect(text((await page('/runbooks/dusty')).text)).not.toContain('Nobody has run this runbook in 180 days');
    const unused = await t.http().get('/api/runbooks?review=unused').expect(200);
    expect(unused.body.runbooks.map((r: { slug: string }) => r.slug)).not.toContain('dusty');
  });
});

describe('Home', () => {
  test('shows owners and editors the reviews due this month and the unused runbooks, members neither', async () => {
    makeRunbook(t.db, 'home-late', md('Home late', { review: '7d' }));
    age('home-late', 10);
    makeRunbook(t.db, 'home-idle', md('Home idle'));
    age('home-idle', 400);
    const html = text((await page('/', editor)).text);
    expect(html).toContain('Reviews due this month');
    expect(html).toMatch(/Home late · overdue since/);
    expect(html).toContain('Unused runbooks');
    expect(html).toMatch(/Home idle · never run/);
    const mine = text((await page('/', member)).text);
    expect(mine).not.toContain('Reviews due this month');
    expect(mine).not.toContain('Unused runbooks');
  });
});

describe('the reminder email', () => {
  test('goes once to whoever holds the owner role when a review falls due, and again only after the next review', async () => {
    makeRunbook(t.db, 'mail-me', md('Mail me', { review: '1mo', owner: 'Office Manager' }));
    age('mail-me', 40);
    const reminders = () =>
      t.db
        .prepare("SELECT person_id, subject, body, link_path FROM notifications WHERE kind = 'review-due' AND subject LIKE '%Mail me%'")
        .all() as {
        person_id: number;
        subject: string;
        body: string;
        link_path: string;
      }[];
    notifyReviewsDue(t.db);
    notifyReviewsDue(t.db);
    expect(reminders()).toEqual([
      {
        person_id: keeper.id,
        subject: 'Review due: "Mail me"',
        body: expect.stringContaining('asks to be reviewed every month, and its review was due'),
        link_path: '/runbooks/mail-me#lib-reviews-h',
      },
    ]);
    // Reviewed, then due again: one more.
    await t.http().post('/api/runbooks/mail-me/reviews').send({}).expect(201);
    age('mail-me', 40);
    notifyReviewsDue(t.db);
    expect(reminders()).toHaveLength(2);
  });
});
