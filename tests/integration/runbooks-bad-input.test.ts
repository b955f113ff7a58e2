import { testApp } from '../helpers/app';
import { runbookMarkdown } from '../helpers/factories';
import { expectError, expectUnauthenticated, putRunbook, type TestApp } from './api';

const good = runbookMarkdown('Reconcile the bank', [{ title: 'Download statement', owner: 'Bookkeeper', estimate: '10m' }]);

/** Each test has an app of its own holding one runbook, `bank`, at version 1. */
let app: TestApp;
beforeEach(async () => {
  app = testApp();
  await putRunbook(app, 'bank', good).expect(201);
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const versionNumbers = async (slug: string) => {
  const res = await app.http().get(`/api/runbooks/${slug}/versions`);
  return res.status === 404 ? null : res.body.versions.map((v: { number: number }) => v.number);
};

describe('PUT /api/runbooks/:slug with Markdown that does not parse', () => {
  test('answers 422 naming slug.md:line and listing every problem, and stores nothing', async () => {
    const bad = ['---', 'title: Reconcile the bank', 'income: lots', '---', '', '## Download statement', 'Estimate: soon', ''].join('\n');
    const res = await putRunbook(app, 'bank', bad);
    const error = expectError(res, 422, 'invalid-runbook', 'bank.md:3');
    expect(error.message).toMatch(/^bank\.md:3: income "lots"/);
    expect(error.problems).toEqual([
      { line: 3, message: expect.stringContaining('income "lots" must be one of') },
      { line: 7, message: expect.stringContaining('Estimate "soon" is not a duration') },
    ]);
    expect(await versionNumbers('bank')).toEqual([1]);
    expect((await app.http().get('/api/runbooks/bank')).body.steps[0].estimate).toBe('10m');
  });

  test('answers 422 at line 1 for a file with no front matter, and creates no runbook', async () => {
    const res = await putRunbook(app, 'no-front', '## Just a step\n');
    expectError(res, 422, 'invalid-runbook', 'no-front.md:1');
    expect(await versionNumbers('no-front')).toBeNull();
    expectError(await app.http().get('/api/runbooks/no-front'), 404, 'not-found');
  });

  test.each([
    ['no title', '---\ncategory: x\n---\n\n## Step\n', 'front matter has no title'],
    ['YAML that does not parse', '---\ntitle: [unclosed\n---\n\n## Step\n', 'not valid YAML'],
    ['no step', '---\ntitle: Empty\n---\n\nJust words.\n', 'no step'],
    ['a bad cron schedule', '---\ntitle: T\nschedule: every day\n---\n\n## Step\n', 'must have five fields'],
    ['an impossible cron schedule', '---\ntitle: T\nschedule: "61 * * * *"\n---\n\n## Step\n', 'not a valid cron expression'],
    ['a bad due offset', '---\ntitle: T\n---\n\n## Step\nDue: whenever\n', 'Due "whenever"'],
    ['an empty step heading', '---\ntitle: T\n---\n\n##\n', 'no title'],
  ])('answers 422 with the line and reason for %s', async (_name, markdown, reason) => {
    const res = await putRunbook(app, 'bad-one', markdown);
    const error = expectError(res, 422, 'invalid-runbook');
    expect(error.field).toMatch(/^bad-one\.md:\d+$/);
    const problems = error.problems as { line: number; message: string }[];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toContain(reason);
    expect(error.field).toBe(`bad-one.md:${problems[0]!.line}`);
    expect(await versionNumbers('bad-one')).toBeNull();
  });

  test('answers 422 for an empty body sent as Markdown', async () => {
    expectError(await putRunbook(app, 'bank', ''), 422, 'invalid-runbook', 'bank.md:1');
    expect(await versionNumbers('bank')).toEqual([1]);
  });
});

describe('PUT /api/runbooks/:slug with the wrong kind of request', () => {
  test('refuses JSON, form data and a missing content type with 415', async () => {
    const json = await app.http().put('/api/runbooks/bank').send({ markdown: good });
    expectError(json, 415, 'unsupported-media-type', 'content-type');
    const form = await app.http().put('/api/runbooks/bank').type('form').send('a=b');
    expectError(form, 415, 'unsupported-media-type');
    const html = await app.http().put('/api/runbooks/bank').set('Content-Type', 'text/html').send(good);
    expectError(html, 415, 'unsupported-media-type');
    const untyped = await app.http().put('/api/runbooks/bank').set('Content-Type', '').send(Buffer.from(good));
    expectError(untyped, 415, 'unsupported-media-type');
    expect(await versionNumbers('bank')).toEqual([1]);
  });

  test('accepts text/plain and text/x-markdown as Markdown', async () => {
    const plain = await app.http().put('/api/runbooks/plain').set('Content-Type', 'text/plain; charset=utf-8').send(good);
    expect(plain.status).toBe(201);
    const x = await app.http().put('/api/runbooks/plain').set('Content-Type', 'text/x-markdown').send(`${good}\nMore.\n`);
    expect(x.status).toBe(200);
    expect(await versionNumbers('plain')).toEqual([2, 1]);
  });

  test('refuses a charset it cannot decode with 415', async () => {
    const res = await app.http().put('/api/runbooks/bank').set('Content-Type', 'text/markdown; charset=klingon').send(good);
    expectError(res, 415, 'unsupported-encoding');
  });

  test('refuses a slug that is not lowercase letters, digits and dashes with 400', async () => {
    for (const slug of ['Bank', 'bank_two', '-bank', 'bank-', 'ba--nk', 'b%20ank', 'x'.repeat(101)]) {
      expectError(await putRunbook(app, slug, good), 400, 'invalid-slug', 'slug');
    }
    expect((await app.http().get('/api/runbooks')).body.runbooks.map((r: { slug: string }) => r.slug).sort()).toEqual(['bank']);
  });

  test('refuses a PUT with a malformed Authorization header with 401, whatever ?by= says, and stores nothing', async () => {
    for (const authorization of ['Bearer', 'Bearer two tokens', 'Token abc', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await app
        .anonymous()
        .put('/api/runbooks/bank?by=1')
        .set('Authorization', authorization)
        .type('text/markdown')
        .send(`${good}\nX\n`);
      expectUnauthenticated(res, authorization.slice(0, 20), 'invalid-token');
    }
    expect(await versionNumbers('bank')).toEqual([1]);
  });
});

describe('bodies over the limit', () => {
  test('refuses Markdown over 512kb with 413 and stores nothing', async () => {
    const huge = `${good}\n${'x'.repeat(600 * 1024)}\n`;
    const res = await putRunbook(app, 'huge', huge);
    expectError(res, 413, 'body-too-large');
    expect(await versionNumbers('huge')).toBeNull();
  });

  test('accepts Markdown just under 512kb', async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `Line ${i} ${'y'.repeat(100)}`).join('\n\n');
    const big = `${good}\n${lines}\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(400 * 1024);
    expect(Buffer.byteLength(big)).toBeLessThan(512 * 1024);
    const res = await putRunbook(app, 'big', big);
    expect(res.status).toBe(201);
  });

  test('refuses JSON over 100kb with 413 and creates nobody', async () => {
    const res = await app
      .http()
      .post('/api/people')
      .send({ name: 'n'.repeat(110 * 1024), email: 'big@example.com' });
    expectError(res, 413, 'body-too-large');
    const people = await app.http().get('/api/people');
    expect(people.body.people.map((p: { id: number }) => p.id)).toEqual([app.owner.id]);
  });
});

describe('requests the server cannot read', () => {
  test('answers 400 invalid-json for malformed JSON on every JSON route', async () => {
    for (const [method, url] of [
      ['post', '/api/people'],
      ['patch', '/api/people/1'],
      ['post', '/api/roles'],
      ['post', '/api/roles/1/members'],
      ['post', '/api/runs'],
      ['post', '/api/runs/1/steps/1/complete'],
      ['post', '/api/runbooks/bank/archive'],
    ] as const) {
      const res = await app.http()[method](url).set('Content-Type', 'application/json').send('{"name": "broken",');
      expectError(res, 400, 'invalid-json', 'body');
    }
  });

  test('answers 400 for a JSON body that is not an object', async () => {
    for (const body of ['"text"', 'null', '42']) {
      const res = await app.http().post('/api/people').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
    }
    expectError(await app.http().post('/api/people').send([1, 2]), 400, 'invalid-input', 'body');
  });

  test('answers 400 for a URL that is not valid percent-encoding', async () => {
    expectError(await app.http().get('/api/runbooks/%E0%A4%A'), 400, 'invalid-url');
    expectError(await app.http().get('/api/runs/%zz'), 400, 'invalid-url');
    expectError(await app.http().post('/api/runs/1/steps/%/complete').send({}), 400, 'invalid-url');
  });

  test('answers 400 for a compressed body that does not inflate', async () => {
    const res = await app
      .http()
      .post('/api/people')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('not gzip');
    expectError(res, 400, 'invalid-request');
  });

  test('answers 415 for a content encoding it does not know', async () => {
    const res = await app
      .http()
      .post('/api/people')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'zip-o-matic')
      .send('{}');
    expectError(res, 415, 'unsupported-encoding');
  });

  test('answers 404 with the API error shape for an unknown API path', async () => {
    const res = await app.http().get('/api/nothing-here');
    expectError(res, 404, 'not-found');
    expectError(await app.http().delete('/api/runbooks/bank'), 404, 'not-found');
  });
});

describe('Markdown nested too deep for the Markdown parser', () => {
  test('a step body with thousands of nested lists is refused with its line, not a 500', async () => {
    const deep = `---\ntitle: Deep\n---\n\n## Nest\n\n${'- '.repeat(4000)}[ ] check\n`;
    const res = await putRunbook(app, 'deep-step', deep);
    expectError(res, 422, 'invalid-runbook');
    expect(res.body.error.message).toBe('deep-step.md:5: the text is nested too deeply to read (quotes or lists thousands of levels deep)');
    await app.http().get('/api/runbooks/deep-step').expect(404);
  });

  test('an intro of thousands of nested quotes is stored and shown as plain text, not a 500', async () => {
    const deep = `---\ntitle: Deep quotes\n---\n\n${'>'.repeat(3000)} hello\n\n## Step\n`;
    const res = await putRunbook(app, 'deep-quotes', deep);
    expect(res.status).toBe(201);
    expect(res.body.introHtml).toBe(`<pre>${'&gt;'.repeat(3000)} hello</pre>`);
  });
});

test('refuses the reserved slug "new", which names the page for creating runbooks', async () => {
  const res = await putRunbook(app, 'new', good);
  expectError(res, 400, 'invalid-slug', 'slug');
  expect(res.body.error.message).toBe('"new" is a reserved word; choose another name');
});
