import { testApp } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { expectError, expectUnauthenticated, putRunbook, unauthenticated, type TestApp } from './api';

/** Each test has an app of its own, and builds the library it needs (see `library`). */
let app: TestApp;
beforeEach(() => {
  app = testApp();
});
afterEach(() => {
  expect(app.errors).toEqual([]);
  app.cleanup();
});

const shipping = runbookMarkdown(
  'Ship a home-study order',
  [
    {
      title: 'Confirm payment',
      owner: 'Bookkeeper',
      estimate: '5m',
      due: 'same day',
      body: '- [ ] Payment captured\n- [ ] Address complete',
    },
    { title: 'Pack the box', owner: 'Fulfillment VA', estimate: '20m', due: '+1d', body: 'Binder, CDs and letter.' },
    { title: 'Send the tracking email', estimate: '5m', optional: true },
  ],
  { category: 'fulfillment', owner: 'Operations lead', tags: '[home-study, shipping]', income: 'direct' },
);
const invoicing = runbookMarkdown(
  'Send monthly invoices',
  [{ title: 'Export hours', owner: 'Bookkeeper', body: 'Discount: 100% for partners.' }],
  {
    category: 'invoicing',
    tags: '[money]',
  },
);
const newsletter = runbookMarkdown('Publish the newsletter', [{ title: 'Write it', owner: 'Editor' }], { category: 'content' });

/** Three runbooks, ship-order at version 2 ("Pack the parcel"), all put by the owner. */
async function library() {
  await putRunbook(app, 'ship-order', shipping).expect(201);
  await putRunbook(app, 'ship-order', shipping.replace('Pack the box', 'Pack the parcel')).expect(200);
  await putRunbook(app, 'invoices', invoicing).expect(201);
  await putRunbook(app, 'newsletter', newsletter).expect(201);
}

describe('PUT /api/runbooks/:slug', () => {
  test('creates a runbook from Markdown and answers 201 with its steps', async () => {
    const res = await putRunbook(app, 'ship-order', shipping);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      outcome: 'created',
      slug: 'ship-order',
      title: 'Ship a home-study order',
      category: 'fulfillment',
      owner: 'Operations lead',
      tags: ['home-study', 'shipping'],
      income: 'direct',
      version: 1,
      archived: false,
      intro: 'Intro for Ship a home-study order.',
      estimateMinutes: 30,
    });
    expect(res.body.steps.map((s: { title: string }) => s.title)).toEqual(['Confirm payment', 'Pack the box', 'Send the tracking email']);
    expect(res.body.steps[0]).toMatchObject({ position: 1, estimate: '5m', estimateMinutes: 5, due: 'same day', optional: false });
    expect(res.body.steps[0].checks).toEqual([
      { index: 0, text: 'Payment captured', html: 'Payment captured' },
      { index: 1, text: 'Address complete', html: 'Address complete' },
    ]);
    expect(res.body.steps[2]).toMatchObject({ optional: true, owner: { name: 'Operations lead', source: 'runbook' } });
  });

  test('adds a version with 200 when the text changes', async () => {
    await putRunbook(app, 'ship-order', shipping).expect(201);
    const res = await putRunbook(app, 'ship-order', shipping.replace('Pack the box', 'Pack the parcel'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'updated', version: 2 });
    expect(res.body.steps[1].title).toBe('Pack the parcel');
  });

  test('adds no version when the text is unchanged', async () => {
    await library();
    const res = await putRunbook(app, 'ship-order', shipping.replace('Pack the box', 'Pack the parcel'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'unchanged', version: 2 });
    const versions = await app.http().get('/api/runbooks/ship-order/versions');
    expect(versions.body.versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
  });

  test("records the editor who PUT it as the version's author, ignoring a ?by=", async () => {
    const author = makePerson(app.db, { name: 'Ada Author', level: 'editor' });
    const res = await app.asPerson(author).put(`/api/runbooks/newsletter?by=${app.owner.id}`).type('text/markdown').send(newsletter);
    expect(res.status).toBe(201);
    const versions = await app.http().get('/api/runbooks/newsletter/versions');
    expect(versions.body.versions[0]).toMatchObject({ number: 1, origin: 'api', createdBy: { id: author.id, name: 'Ada Author' } });
  });

  test('refuses a PUT by someone not signed in with 401 and stores nothing', async () => {
    await putRunbook(app, 'newsletter', newsletter).expect(201);
    const gone = makePerson(app.db, { name: 'Gone Author', level: 'editor', active: false });
    for (const [name, headers, code] of await unauthenticated(app, gone)) {
      const res = await app.anonymous().put('/api/runbooks/newsletter').set(headers).type('text/markdown').send(`${newsletter}\nMore.\n`);
      expectUnauthenticated(res, name, code);
    }
    expect((await app.http().get('/api/runbooks/newsletter')).body.version).toBe(1);
  });

  test('refuses a PUT by a member or an outsourcer with 403 and stores nothing', async () => {
    await putRunbook(app, 'newsletter', newsletter).expect(201);
    for (const level of ['member', 'outsourcer'] as const) {
      const writer = makePerson(app.db, { level });
      expectError(await putRunbook(app, 'newsletter', `${newsletter}\nMore.\n`, writer), 403, 'forbidden');
      expectError(await putRunbook(app, 'member-made', newsletter, writer), 403, 'forbidden');
    }
    expect((await app.http().get('/api/runbooks/newsletter')).body.version).toBe(1);
    expectError(await app.http().get('/api/runbooks/member-made'), 404, 'not-found');
  });

  test('creates an empty role for an owner name that matches nobody, shown as a gap', async () => {
    await putRunbook(app, 'newsletter', newsletter).expect(201);
    const runbook = await app.http().get('/api/runbooks/newsletter');
    expect(runbook.body.steps[0].owner).toMatchObject({
      name: 'Editor',
      source: 'step',
      role: { name: 'Editor' },
      assignee: null,
      gap: true,
    });
  });

  test('shows the assignee a step would get once its role has a primary person', async () => {
    await putRunbook(app, 'newsletter', newsletter).expect(201);
    const editor = makePerson(app.db, { name: 'Erin Editor' });
    const roles = await app.http().get('/api/roles');
    const role = roles.body.roles.find((r: { name: string }) => r.name === 'Editor');
    await app.http().post(`/api/roles/${role.id}/members`).send({ person: editor.id }).expect(201);
    const runbook = await app.http().get('/api/runbooks/newsletter');
    expect(runbook.body.steps[0].owner).toMatchObject({ assignee: { id: editor.id, name: 'Erin Editor' }, gap: false });
  });
});

describe('GET /api/runbooks', () => {
  beforeEach(async () => {
    await library();
    makeRole(app.db, 'Ops Helper');
  });

  const slugs = async (query: string) => {
    const res = await app.http().get(`/api/runbooks${query}`);
    expect(res.status).toBe(200);
    return res.body.runbooks.map((r: { slug: string }) => r.slug);
  };

  test('lists every current runbook ordered by title, with summaries', async () => {
    const res = await app.http().get('/api/runbooks');
    expect(res.body.runbooks.map((r: { slug: string }) => r.slug)).toEqual(['newsletter', 'invoices', 'ship-order']);
    expect(res.body.runbooks[2]).toMatchObject({
      slug: 'ship-order',
      title: 'Ship a home-study order',
      version: 2,
      stepCount: 3,
      estimateMinutes: 30,
      archived: false,
      tags: ['home-study', 'shipping'],
    });
  });

  test('filters by category, case-insensitively', async () => {
    expect(await slugs('?category=invoicing')).toEqual(['invoices']);
    expect(await slugs('?category=FULFILLMENT')).toEqual(['ship-order']);
    expect(await slugs('?category=unknown')).toEqual([]);
  });

  test('filters by tag', async () => {
    expect(await slugs('?tag=shipping')).toEqual(['ship-order']);
    expect(await slugs('?tag=money')).toEqual(['invoices']);
    expect(await slugs('?tag=ship')).toEqual([]);
  });

  test('filters by owner role, named by the runbook or by any step', async () => {
    expect(await slugs('?owner=Bookkeeper')).toEqual(['invoices', 'ship-order']);
    expect(await slugs('?owner=operations%20lead')).toEqual(['ship-order']);
    expect(await slugs('?owner=Editor')).toEqual(['newsletter']);
    expect(await slugs('?owner=Ops%20Helper')).toEqual([]);
  });

  test('searches titles, intros and step bodies with q, refusing a q with nothing to search for', async () => {
    expect(await slugs('?q=newsletter')).toEqual(['newsletter']);
    expect(await slugs('?q=Binder')).toEqual(['ship-order']);
    expect(await slugs('?q=100%25')).toEqual(['invoices']);
    expect(await slugs('?q=zzz-no-match')).toEqual([]);
    const res = await app.http().get('/api/runbooks?q=%25');
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 400,
      error: { code: 'invalid-search', field: 'q', message: 'q: has no letters or digits to search for' },
    });
  });

  test('combines filters and treats empty filter values as no filter', async () => {
    expect(await slugs('?category=fulfillment&owner=Bookkeeper&q=parcel')).toEqual(['ship-order']);
    expect(await slugs('?category=invoicing&tag=shipping')).toEqual([]);
    expect(await slugs('?category=&tag=&owner=&q=&archived=')).toEqual(['newsletter', 'invoices', 'ship-order']);
  });
});

describe('GET /api/runbooks/:slug and its versions', () => {
  beforeEach(library);

  test('answers the current version with intro HTML and step bodies', async () => {
    const res = await app.http().get('/api/runbooks/ship-order');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'ship-order', version: 2, introHtml: '<p>Intro for Ship a home-study order.</p>\n' });
    expect(res.body.steps[1]).toMatchObject({
      title: 'Pack the parcel',
      body: 'Binder, CDs and letter.',
      bodyHtml: '<p>Binder, CDs and letter.</p>\n',
    });
  });

  test('answers 404 without data for an unknown or malformed slug', async () => {
    for (const slug of ['no-such-runbook', 'Ship-Order', 'a%2Fb', '..']) {
      const res = await app.http().get(`/api/runbooks/${slug}`);
      expectError(res, 404, 'not-found');
      expect(Object.keys(res.body)).toEqual(['error']);
    }
    expectError(await app.http().get('/api/runbooks/no-such-runbook/versions'), 404, 'not-found');
    expectError(await app.http().get('/api/runbooks/no-such-runbook/export'), 404, 'not-found');
  });

  test('lists versions newest first with their origin, step count and author', async () => {
    const owner = { id: app.owner.id, name: 'Olive Owner' };
    const res = await app.http().get('/api/runbooks/ship-order/versions');
    expect(res.status).toBe(200);
    expect(res.body.slug).toBe('ship-order');
    expect(res.body.versions).toEqual([
      expect.objectContaining({ number: 2, title: 'Ship a home-study order', origin: 'api', stepCount: 3, createdBy: owner }),
      expect.objectContaining({ number: 1, origin: 'api', stepCount: 3, createdBy: owner }),
    ]);
  });

  test('answers an earlier version with its own steps and source', async () => {
    const res = await app.http().get('/api/runbooks/ship-order/versions/1');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.source).toBe(shipping);
    expect(res.body.steps[1].title).toBe('Pack the box');
  });

  test('answers 404 for a version number that does not exist or is not a number', async () => {
    for (const number of ['0', '3', 'abc', '-1', '1.5', '99999999999']) {
      expectError(await app.http().get(`/api/runbooks/ship-order/versions/${number}`), 404, 'not-found');
    }
  });
});

describe('GET /api/runbooks/:slug/export', () => {
  beforeEach(library);

  test('answers the Markdown as text/markdown, byte for byte for a file in the canonical layout', async () => {
    const res = await app.http().get('/api/runbooks/invoices/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="invoices.md"');
    expect(res.text).toBe(invoicing);
  });

  test('exports Markdown that PUT back adds no version', async () => {
    const exported = await app.http().get('/api/runbooks/ship-order/export');
    const res = await putRunbook(app, 'ship-order', exported.text);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('unchanged');
  });
});

describe('POST /api/runbooks/:slug/archive', () => {
  beforeEach(library);

  test('archives a runbook: it leaves the default list and runs cannot start', async () => {
    const member = makePerson(app.db);
    const res = await app.http().post('/api/runbooks/newsletter/archive').send({ archived: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ slug: 'newsletter', archived: true });
    const list = await app.http().get('/api/runbooks');
    expect(list.body.runbooks.map((r: { slug: string }) => r.slug)).toEqual(['invoices', 'ship-order']);
    const only = await app.http().get('/api/runbooks?archived=only');
    expect(only.body.runbooks.map((r: { slug: string }) => r.slug)).toEqual(['newsletter']);
    expect((await app.http().get('/api/runbooks/newsletter')).body.archived).toBe(true);
    const run = await app.asPerson(member).post('/api/runs').send({ runbook: 'newsletter', title: 'Issue 1' });
    expectError(run, 409, 'runbook-archived');
  });

  test('restores an archived runbook with archived false', async () => {
    await app.http().post('/api/runbooks/newsletter/archive').send({ archived: true }).expect(200);
    const res = await app.http().post('/api/runbooks/newsletter/archive').send({ archived: false });
    expect(res.body).toEqual({ slug: 'newsletter', archived: false });
    const list = await app.http().get('/api/runbooks?archived=include');
    expect(list.body.runbooks).toHaveLength(3);
    expect((await app.http().get('/api/runbooks?archived=only')).body.runbooks).toEqual([]);
  });

  test('archives when the body is empty or an empty object', async () => {
    expect((await app.http().post('/api/runbooks/invoices/archive')).body).toEqual({ slug: 'invoices', archived: true });
    await app.http().post('/api/runbooks/invoices/archive').send({ archived: false }).expect(200);
    expect((await app.http().post('/api/runbooks/invoices/archive').send({})).body).toEqual({ slug: 'invoices', archived: true });
    await app.http().post('/api/runbooks/invoices/archive').send({ archived: false }).expect(200);
  });

  test('refuses a non-boolean archived with 400 and an unknown slug with 404', async () => {
    expectError(await app.http().post('/api/runbooks/invoices/archive').send({ archived: 'yes' }), 400, 'invalid-input', 'archived');
    expect((await app.http().get('/api/runbooks/invoices')).body.archived).toBe(false);
    expectError(await app.http().post('/api/runbooks/nothing-here/archive').send({ archived: true }), 404, 'not-found');
  });
});

describe('checks in a step body', () => {
  test('reads the checks of a task list whose items are apart by blank lines, without their boxes', async () => {
    const loose = runbookMarkdown('Loose list', [{ title: 'Check', body: 'Before.', checks: ['First box', 'Second box'] }]);
    const res = await putRunbook(app, 'loose-list', loose);
    expect(res.status).toBe(201);
    expect(res.body.steps[0].checks.map((c: { text: string }) => c.text)).toEqual(['First box', 'Second box']);
  });
});
