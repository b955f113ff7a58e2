import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook } from '../helpers/factories';
import { expectError } from './api';
import { startRun } from '../../server/runs/start';

/** The refund example of the format, with people in each role. */
const REFUND = `---
title: Process a refund request
fields:
  - Order number (text, required)
  - Amount (money, required)
  - Reason (one of: Damaged | Late | Changed mind | Other)
run-title: "Refund for order {Order number}"
---

A refund goes back the way the money came.

## Check the order
Owner: Support VA
Field: Original payment method (one of: Card | PayPal | Cheque, required)
Field: Order date (date)

## Approve the refund
Owner: Support VA
When: Amount > 100
Approval: Owner

## Send the money back
Owner: Bookkeeper
Due: 2d after Order date
Field: Refund reference (text, required)
`;

describe('runs that record the work', () => {
  const t = testApp();
  afterAll(t.cleanup);
  afterEach(() => expect(t.errors).toEqual([]));

  const va = makePerson(t.db, { name: 'Val Assistant' });
  const books = makePerson(t.db, { name: 'Bea Books' });
  const boss = makePerson(t.db, { name: 'Otto Approver', level: 'editor' });
  const stranger = makePerson(t.db, { name: 'Sid Outsider', level: 'outsourcer' });
  makeRole(t.db, 'Support VA', [va]);
  makeRole(t.db, 'Bookkeeper', [books]);
  makeRole(t.db, 'Owner', [boss]);
  makeRunbook(t.db, 'refund', REFUND);

  const start = (fields: Record<string, unknown>, who = va) => t.asPerson(who).post('/api/runs').send({ runbook: 'refund', fields });

  test('starts a run with its fields, named by run-title, values stored typed', async () => {
    const res = await start({ 'Order number': '1042', Amount: '42.50', Reason: 'late' }).expect(201);
    expect(res.body.title).toBe('Refund for order 1042');
    expect(res.body.fields.map((f: { name: string; value: unknown }) => [f.name, f.value])).toEqual([
      ['Order number', '1042'],
      ['Amount', 4250],
      ['Reason', 'Late'],
    ]);
    expect(res.body.fields[0]).toMatchObject({ type: 'text', required: true, setBy: { id: va.id, name: 'Val Assistant' } });
    // 42.50 is not over 100: the approval step does not apply and holds nothing open.
    expect(res.body.steps.map((s: { status: string }) => s.status)).toEqual(['open', 'not-needed', 'open']);
    expect(res.body.steps[2]).toMatchObject({ dueAt: null, dueFrom: { field: 'Order date', minutes: 2880 } });
  });

  test('refuses a start without a required field, naming it, and stores nothing', async () => {
    const before = t.db.prepare('SELECT count(*) AS n FROM runs').get();
    expectError(await start({ 'Order number': '7' }), 422, 'field-required', 'fields.Amount');
    expect(t.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual(before);
  });

  test.each([
    [{ 'Order number': '7', Amount: '10.505' }, 'invalid-field', 'fields.Amount'],
    [{ 'Order number': '7', Amount: 'ten' }, 'invalid-field', 'fields.Amount'],
    [{ 'Order number': '7', Amount: '10', Reason: 'Bored' }, 'invalid-field', 'fields.Reason'],
    [{ 'Order number': '7', Amount: '10', Colour: 'red' }, 'unknown-field', 'fields.Colour'],
    [{ 'Order number': 'x'.repeat(100_000), Amount: '10' }, 'invalid-field', 'fields.Order number'],
  ])('refuses start fields %#, naming the field', async (fields, code, field) => {
    const res = await start(fields);
    expect([400, 413, 422]).toContain(res.status);
    if (res.status === 422) expectError(res, 422, code, field);
  });

  test('fills step fields; a required one must be filled before the step completes', async () => {
    const run = (await start({ 'Order number': '2001', Amount: '20' }).expect(201)).body;
    expectError(
      await t.asPerson(va).post(`/api/runs/${run.id}/steps/1/complete`).send({}),
      422,
      'fields-missing',
      'Original payment method',
    );
    expectError(
      await t.asPerson(va).put(`/api/runs/${run.id}/fields/Original payment method`).send({ value: 'Bitcoin' }),
      422,
      'invalid-field',
    );
    await t
      .asPerson(va)
      .put(`/api/runs/${run.id}/fields/Original payment method`)
      .send({ value: 'card' })
      .expect(200, { name: 'Original payment method', value: 'Card' });
    await t.asPerson(va).post(`/api/runs/${run.id}/steps/1/complete`).send({}).expect(200);
    const events = (await t.http().get(`/api/runs/${run.id}`).expect(200)).body.events;
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'field.set',
        actor: { id: va.id, name: 'Val Assistant' },
        step: 1,
        data: { name: 'Original payment method', type: 'one of', value: 'Card', was: null },
      }),
    );
  });

  test('a date field sets the due time of the step counted from it, and moves it when it changes', async () => {
    const run = (await start({ 'Order number': '2002', Amount: '20' }).expect(201)).body;
    await t.asPerson(va).put(`/api/runs/${run.id}/fields/Order date`).send({ value: '2026-12-10' }).expect(200);
    const due1 = (await t.http().get(`/api/runs/${run.id}`)).body.steps[2].dueAt as string;
    await t.asPerson(va).put(`/api/runs/${run.id}/fields/Order date`).send({ value: '2026-12-20' }).expect(200);
    const due2 = (await t.http().get(`/api/runs/${run.id}`)).body.steps[2].dueAt as string;
    expect(new Date(due2).getTime() - new Date(due1).getTime()).toBe(10 * 86_400_000);
    expectError(
      await t.asPerson(va).put(`/api/runs/${run.id}/fields/Order date`).send({ value: '2026-02-30' }),
      422,
      'invalid-field',
      'Order date',
    );
  });

  test('a condition switches its step on and off as the field changes; the run waits for approval', async () => {
    const run = (await start({ 'Order number': '3001', Amount: '50' }).expect(201)).body;
    await t.asPerson(boss).put(`/api/runs/${run.id}/fields/Amount`).send({ value: '150' }).expect(200);
    let detail = (await t.http().get(`/api/runs/${run.id}`)).body;
    expect(detail.steps[1].status).toBe('open');
    // The assignee of the step that is needed again is told.
    const told = t.db.prepare("SELECT subject FROM notifications WHERE person_id = ? AND subject LIKE '%is needed now'").all(va.id);
    expect(told).toHaveLength(1);

    await t.asPerson(va).put(`/api/runs/${run.id}/fields/Original payment method`).send({ value: 'PayPal' }).expect(200);
    await t.asPerson(va).post(`/api/runs/${run.id}/steps/1/complete`).send({}).expect(200);
    const waiting = await t.asPerson(va).post(`/api/runs/${run.id}/steps/2/complete`).send({}).expect(200);
    expect(waiting.body.step.status).toBe('awaiting-approval');
    // Nobody approves their own step; a stranger is not an approver at all.
    expectError(await t.asPerson(va).post(`/api/runs/${run.id}/steps/2/approve`).send({}), 403, 'forbidden');
    expectError(await t.asPerson(stranger).post(`/api/runs/${run.id}/steps/2/approve`).send({}), 404, 'not-found');
    expectError(await t.asPerson(boss).post(`/api/runs/${run.id}/steps/2/reject`).send({}), 400, 'invalid-input', 'reason');

    await t.asPerson(boss).post(`/api/runs/${run.id}/steps/2/reject`).send({ reason: 'Attach the photo of the damage' }).expect(200);
    detail = (await t.http().get(`/api/runs/${run.id}`)).body;
    expect(detail.steps[1].status).toBe('open');
    await t.asPerson(va).post(`/api/runs/${run.id}/steps/2/complete`).send({}).expect(200);
    const approved = await t.asPerson(boss).post(`/api/runs/${run.id}/steps/2/approve`).send({}).expect(200);
    expect(approved.body.step).toMatchObject({
      status: 'complete',
      approval: { by: 'Owner', approvedBy: { id: boss.id, name: 'Otto Approver' } },
    });

    await t.asPerson(books).put(`/api/runs/${run.id}/fields/Refund reference`).send({ value: 'RF-9' }).expect(200);
    const last = await t.asPerson(books).post(`/api/runs/${run.id}/steps/3/complete`).send({}).expect(200);
    expect(last.body.run.status).toBe('complete');
    expectError(await t.asPerson(va).put(`/api/runs/${run.id}/fields/Amount`).send({ value: '1' }), 409, 'run-complete', 'Amount');
  });

  test('the approver hears that a step waits, and the assignee hears why it came back', async () => {
    const run = (await start({ 'Order number': '3002', Amount: '500' }).expect(201)).body;
    await t.asPerson(va).post(`/api/runs/${run.id}/steps/2/complete`).send({}).expect(200);
    const asked = t.db
      .prepare("SELECT body FROM notifications WHERE person_id = ? AND subject LIKE '%waits for your approval'")
      .all(boss.id);
    expect(asked.length).toBeGreaterThan(0);
    await t.asPerson(boss).post(`/api/runs/${run.id}/steps/2/reject`).send({ reason: 'Wrong amount' }).expect(200);
    const back = t.db
      .prepare('SELECT body FROM notifications WHERE person_id = ? AND subject LIKE \'%sent "Approve the refund" back\' ORDER BY id DESC')
      .get(va.id) as { body: string };
    expect(back.body).toContain('Why: Wrong amount');
  });

  test('a field that does not exist is refused naming it; another person’s step field is theirs to fill', async () => {
    const run = (await start({ 'Order number': '4001', Amount: '20' }).expect(201)).body;
    expectError(await t.asPerson(books).put(`/api/runs/${run.id}/fields/Colour`).send({ value: 'x' }), 422, 'unknown-field', 'Colour');
    expectError(await t.asPerson(books).put(`/api/runs/${run.id}/fields/Order date`).send({ value: '2026-12-10' }), 403, 'forbidden');
    expectError(await t.asPerson(books).put(`/api/runs/${run.id}/fields/Order date`).send({ wrong: 1 }), 400, 'invalid-input');
    expectError(await t.asPerson(books).put('/api/runs/999999/fields/Order date').send({ value: 'x' }), 404, 'not-found');
  });
});

describe('who sees and fills which field', () => {
  const t = testApp();
  afterAll(t.cleanup);
  afterEach(() => expect(t.errors).toEqual([]));

  const otto = makePerson(t.db, { name: 'Otto Outsourcer', level: 'outsourcer' });
  const mia = makePerson(t.db, { name: 'Mia Member' });
  makeRunbook(
    t.db,
    'dupes',
    `---
title: Duplicate the CDs
fields:
  - Copies (number, required)
  - Customer note (text)
---

## Burn the discs
Owner: Otto Outsourcer
When: Copies > 10
Field: Batch number (text, required)

## Label the box
Owner: Mia Member
Field: Shelf (text)
`,
  );

  test('an outsourcer sees their step’s fields and the run fields their condition names, nothing else', async () => {
    const run = (
      await t
        .http()
        .post('/api/runs')
        .send({ runbook: 'dupes', fields: { Copies: 40, 'Customer note': 'gift wrap' } })
        .expect(201)
    ).body;
    const theirs = (await t.asPerson(otto).get(`/api/runs/${run.id}`).expect(200)).body;
    expect(theirs.fields.map((f: { name: string }) => f.name)).toEqual(['Copies']);
    expect(theirs.steps.map((s: { fields: { name: string }[] }) => s.fields.map((f) => f.name))).toEqual([['Batch number']]);
    await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Batch number`).send({ value: 'B-7' }).expect(200);
    await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Copies`).send({ value: 50 }).expect(200);
    // Someone else's field answers exactly like one that does not exist.
    const shelf = await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Shelf`).send({ value: 'A3' });
    const nothing = await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Nothing`).send({ value: 'A3' });
    expect([shelf.status, shelf.body.error.code]).toEqual([nothing.status, nothing.body.error.code]);
    const note = await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Customer note`).send({ value: 'x' });
    expect([note.status, note.body.error.code]).toEqual([422, 'unknown-field']);
    // A team member may see it but not fill another's step field.
    expectError(await t.asPerson(mia).put(`/api/runs/${run.id}/fields/Batch number`).send({ value: 'B-8' }), 403, 'forbidden');
  });

  test('the runs of a runbook download as CSV, one row per run, formulas made harmless', async () => {
    const run = (
      await t
        .http()
        .post('/api/runs')
        .send({
          runbook: 'dupes',
          title: '=HYPERLINK("http://evil")',
          fields: { Copies: 12, 'Customer note': '+1 <script>alert(1)</script>' },
        })
        .expect(201)
    ).body;
    await t.asPerson(otto).put(`/api/runs/${run.id}/fields/Batch number`).send({ value: '@SUM(A1)' }).expect(200);
    await t.asPerson(otto).post(`/api/runs/${run.id}/steps/1/complete`).send({}).expect(200);
    const res = await t.http().get('/api/runbooks/dupes/runs.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="dupes-runs.csv"');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Run,Title,Status,Started,Started by,Completed,Copies,Customer note,Batch number,Shelf,Burn the discs: done by,Label the box: done by',
    );
    const row = lines.find((l) => l.startsWith(`${run.id},`)) as string;
    expect(row).toContain(`'=HYPERLINK(""http://evil"")`);
    expect(row).toContain(",12,'+1 <script>alert(1)</script>,'@SUM(A1),,Otto Outsourcer ");
    expectError(await t.asPerson(otto).get('/api/runbooks/dupes/runs.csv'), 404, 'not-found');
  });
});

describe('runs the schedule starts', () => {
  const t = testApp();
  afterAll(t.cleanup);

  test('start with their run fields empty, named by the runbook and the date, the required ones left to fill on the run page', async () => {
    makeRunbook(
      t.db,
      'weekly',
      `---\ntitle: Weekly stock count\nfields:\n  - Week (text, required)\nrun-title: "Stock count {Week}"\n---\n\n## Count\n`,
    );
    const id = startRun(t.db, {
      runbook: 'weekly',
      startedBy: null,
      scheduledFor: '2026-12-07T09:00:00.000Z',
      now: new Date('2026-12-07T09:00:00Z'),
    });
    const run = (await t.http().get(`/api/runs/${id}`).expect(200)).body;
    expect(run.title).toBe('Weekly stock count (7 Dec 2026)');
    expect(run.fields).toEqual([expect.objectContaining({ name: 'Week', required: true, value: null })]);
  });
});
