import Ajv2020 from 'ajv/dist/2020';
import { testApp, BASE_URL } from '../helpers/app';
import { makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import { appRoutes } from './auth-helpers';
import { putRunbook, startRun } from './api';
import { WEBHOOK_EVENTS } from '../../server/webhooks/events';

/**
 * GET /api/openapi.json: every route the app serves is described (and nothing else), the
 * request schemas are those the routes validate with, and real answers match the described
 * answer schemas (checked with a JSON Schema 2020-12 validator, as a client's tools would).
 */

const t = testApp({ webhooksAllowPrivate: true });
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors).toEqual([]));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let doc: Json;
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

beforeAll(async () => {
  const res = await t.http().get('/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.body as Json;
  ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
});

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Checks an answer against the schema the description gives for that route and status. */
function expectDescribed(method: string, path: string, res: { status: number; body: unknown }) {
  const operation = doc.paths[openApiPath(path)]?.[method.toLowerCase()];
  expect({ route: `${method} ${path}`, described: Boolean(operation) }).toEqual({ route: `${method} ${path}`, described: true });
  const response = operation.responses[String(res.status)] ?? operation.responses.default;
  let schema = response.content['application/json'].schema;
  if (schema.$ref) schema = { $ref: `doc${schema.$ref}` };
  const check = ajv.compile(schema);
  const ok = check(res.body);
  expect({ route: `${method} ${path}`, status: res.status, errors: ok ? null : check.errors }).toEqual({
    route: `${method} ${path}`,
    status: res.status,
    errors: null,
  });
}

describe('the description', () => {
  it('is OpenAPI 3.1 with this server’s address, and every schema in it compiles as JSON Schema 2020-12', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: BASE_URL }]);
    let schemas = 0;
    const walk = (value: unknown) => {
      if (!value || typeof value !== 'object') return;
      const object = value as Json;
      if (object.schema && typeof object.schema === 'object' && !object.schema.$ref) {
        ajv.compile(object.schema);
        schemas++;
      }
      for (const child of Object.values(object)) walk(child);
    };
    walk(doc.paths);
    expect(schemas).toBeGreaterThan(60);
  });

  it('describes every API route the app serves (and the health check), and only those', () => {
    const served = appRoutes(t.app)
      .filter((r) => r.path.startsWith('/api/') || r.path === '/healthz')
      .map((r) => `${r.method} ${openApiPath(r.path)}`)
      .sort();
    const described = Object.entries(doc.paths as Json)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(described).toEqual(served);
  });

  it('gives each operation a summary, who may call it, its path parameters and an error answer', () => {
    for (const [path, operations] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(operations as Json)) {
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
        expect({ route: `${method} ${path}`, names: declared }).toEqual({ route: `${method} ${path}`, names });
        expect(op.summary.length).toBeGreaterThan(5);
        expect(op.description).toMatch(/^Who may: /);
        expect(op.responses.default.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('takes its request schemas from the validators: the webhook body, the runs filters, a person', () => {
    const webhook = doc.paths['/api/webhooks'].post.requestBody.content['application/json'].schema;
    expect(webhook.required.sort()).toEqual(['events', 'secret', 'url']);
    expect(webhook.properties.events.items.enum).toEqual([...WEBHOOK_EVENTS]);
    expect(webhook.properties.secret).toMatchObject({ minLength: 16, maxLength: 200 });
    const runs = doc.paths['/api/runs'].get.parameters.map((p: Json) => p.name);
    expect(runs).toEqual(expect.arrayContaining(['status', 'runbook', 'assignee', 'overdue', 'from', 'to', 'limit', 'cursor']));
    const status = doc.paths['/api/runs'].get.parameters.find((p: Json) => p.name === 'status');
    expect(status.schema.enum).toEqual(['open', 'complete']);
    const person = doc.paths['/api/people'].post.requestBody.content['application/json'].schema;
    expect(person.required).toEqual(expect.arrayContaining(['name', 'email']));
    expect(person.properties.level.enum).toEqual(['owner', 'editor', 'member', 'outsourcer']);
    expect(doc.paths['/api/runbooks/{slug}'].put.requestBody.content).toHaveProperty('text/markdown');
  });
});

describe('real answers match the described schemas', () => {
  beforeAll(async () => {
    const vera = makePerson(t.db, { name: 'Vera' });
    makeRole(t.db, 'Packer', [vera]);
    await putRunbook(
      t,
      'ship',
      runbookMarkdown('Ship an order', [{ title: 'Pack', owner: 'Packer', due: '2h', checks: ['Invoice'] }]),
    ).expect(201);
    await startRun(t, 'ship', vera, 'Order #1');
  });

  it.each([
    ['GET', '/healthz', '/healthz'],
    ['GET', '/api/me', '/api/me'],
    ['GET', '/api/people', '/api/people'],
    ['GET', '/api/people/:id', '/api/people/2'],
    ['GET', '/api/people/:id/assignments', '/api/people/2/assignments'],
    ['GET', '/api/roles', '/api/roles'],
    ['GET', '/api/runbooks', '/api/runbooks?archived=include'],
    ['GET', '/api/runs', '/api/runs'],
    ['GET', '/api/outbox', '/api/outbox'],
    ['GET', '/api/webhooks', '/api/webhooks'],
  ])('%s %s', async (method, route, url) => {
    const res = await t.http().get(url);
    expect(res.status).toBe(200);
    expectDescribed(method, route, res);
  });

  it('a run and step actions: started, a check ticked, the step completed, the run read, a refused reopen', async () => {
    const started = await t.http().post('/api/runs').send({ runbook: 'ship', title: 'Order #3' });
    expect(started.status).toBe(201);
    expectDescribed('POST', '/api/runs', started);
    const id = started.body.id as number;
    const tick = await t.http().post(`/api/runs/${id}/steps/1/checks/0/tick`).send({});
    expect(tick.status).toBe(200);
    expectDescribed('POST', '/api/runs/:id/steps/:position/checks/:index/tick', tick);
    const done = await t.http().post(`/api/runs/${id}/steps/1/complete`).send({ note: 'Sent' });
    expect(done.status).toBe(200);
    expectDescribed('POST', '/api/runs/:id/steps/:position/complete', done);
    expectDescribed('GET', '/api/runs/:id', await t.http().get(`/api/runs/${id}`));
    // The run is complete now: a step of it no longer changes (409, the described error answer).
    const conflict = await t.http().post(`/api/runs/${id}/steps/1/reopen`).send({});
    expect(conflict.status).toBe(409);
    expectDescribed('POST', '/api/runs/:id/steps/:position/reopen', conflict);
  });

  it('a step that is not needed, and one that waits for approval, match the described step', async () => {
    const approver = makePerson(t.db, { name: 'Otto Approver', level: 'editor' });
    makeRole(t.db, 'Approver', [approver]);
    const markdown = [
      '---',
      'title: Refund',
      'fields:',
      '  - Amount (money, required)',
      '---',
      '',
      '## Check the order',
      'Owner: Packer',
      '',
      '## Approve the refund',
      'Owner: Packer',
      'When: Amount > 100',
      'Approval: Approver',
      '',
    ].join('\n');
    await putRunbook(t, 'refund', markdown).expect(201);
    const small = await t
      .http()
      .post('/api/runs')
      .send({ runbook: 'refund', fields: { Amount: '50' } });
    expect(small.body.steps.map((s: { status: string }) => s.status)).toEqual(['open', 'not-needed']);
    expectDescribed('GET', '/api/runs/:id', await t.http().get(`/api/runs/${small.body.id}`));
    const large = await t
      .http()
      .post('/api/runs')
      .send({ runbook: 'refund', fields: { Amount: '150' } });
    await t.http().post(`/api/runs/${large.body.id}/steps/1/complete`).send({}).expect(200);
    const waiting = await t.http().post(`/api/runs/${large.body.id}/steps/2/complete`).send({});
    expect(waiting.body.step.status).toBe('awaiting-approval');
    expectDescribed('POST', '/api/runs/:id/steps/:position/complete', waiting);
    expectDescribed('GET', '/api/runs/:id', await t.http().get(`/api/runs/${large.body.id}`));
  });

  it('the webhook answers: registered, one, its deliveries, one sent again', async () => {
    const created = await t
      .http()
      .post('/api/webhooks')
      .send({ url: 'http://127.0.0.1:1/hook', events: ['run.started'], secret: 'sixteen-characters-at-least' });
    expect(created.status).toBe(201);
    expectDescribed('POST', '/api/webhooks', created);
    const id = created.body.webhook.id as number;
    await startRun(t, 'ship', t.owner, 'Order #2');
    expectDescribed('GET', '/api/webhooks/:id', await t.http().get(`/api/webhooks/${id}`));
    const deliveries = await t.http().get(`/api/webhooks/${id}/deliveries`);
    expect(deliveries.body.deliveries).toHaveLength(1);
    expectDescribed('GET', '/api/webhooks/:id/deliveries', deliveries);
    const retried = await t.http().post(`/api/webhooks/${id}/deliveries/${deliveries.body.deliveries[0].id}/retry`);
    expect(retried.status).toBe(200);
    expectDescribed('POST', '/api/webhooks/:id/deliveries/:deliveryId/retry', retried);
    const person = await t.http().post('/api/people').send({ name: 'Bo', email: 'bo@example.com' });
    expect(person.status).toBe(201);
    expectDescribed('POST', '/api/people', person);
  });

  it('errors (400, 401, 404, 422) match the described error answer', async () => {
    const answers = [
      [
        'POST',
        '/api/webhooks',
        await t
          .http()
          .post('/api/webhooks')
          .send({ url: 'not a url', events: ['run.started'], secret: 'sixteen-characters-at-least' }),
        422,
      ],
      ['POST', '/api/webhooks', await t.http().post('/api/webhooks').send({}), 400],
      ['GET', '/api/runs/:id', await t.http().get('/api/runs/999999'), 404],
      ['GET', '/api/me', await t.anonymous().get('/api/me'), 401],
      ['GET', '/api/runs', await t.http().get('/api/runs?status=maybe'), 400],
    ] as const;
    for (const [method, route, res, status] of answers) {
      expect(res.status).toBe(status);
      expectDescribed(method, route, res);
    }
  });
});
