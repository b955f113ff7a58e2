import express from 'express';
import request from 'supertest';
import { groupCommit, type Committable } from '../../server/db/group-commit';
import { errorHandler, NotSavedError } from '../../server/http/errors';
import { testApp } from '../helpers/app';
import { makePerson, makeRole, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { openDatabase } from '../../server/db/open';
import path from 'node:path';

describe('with the real app', () => {
  const t = testApp();
  afterAll(t.cleanup);
  afterEach(() => expect(t.errors).toEqual([]));

  test('concurrent step completions are all answered, committed and visible to another connection', async () => {
    const vera = makePerson(t.db, { name: 'Vera' });
    makeRole(t.db, 'Packer', [vera]);
    makeRunbook(
      t.db,
      'pack',
      runbookMarkdown(
        'Pack',
        Array.from({ length: 12 }, (_, i) => ({ title: `Step ${i + 1}`, owner: 'Packer' })),
      ),
    );
    const run = await t.asPerson(vera).post('/api/runs').send({ runbook: 'pack', title: 'Order 1' }).expect(201);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.asPerson(vera).post(`/api/runs/${run.body.id}/steps/${i + 1}/complete`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(t.db.inTransaction).toBe(false);

    const other = openDatabase(path.join(t.dir, 'test.sqlite'));
    const row = other.prepare('SELECT status FROM runs WHERE id = ?').get(run.body.id) as { status: string };
    const done = other
      .prepare("SELECT count(*) AS n FROM run_steps WHERE run_id = ? AND status = 'complete' AND completed_by = ?")
      .get(run.body.id, vera.id);
    other.close();
    expect(row.status).toBe('complete');
    expect(done).toEqual({ n: 12 });
  });

  test('a refused action inside a shared batch leaves the others in it committed', async () => {
    const vera = makePerson(t.db, { name: 'Vera 2' });
    makeRunbook(
      t.db,
      'two',
      runbookMarkdown('Two', [
        { title: 'A', owner: 'Vera 2' },
        { title: 'B', owner: 'Vera 2', checks: ['Open check'] },
      ]),
    );
    const run = await t.asPerson(vera).post('/api/runs').send({ runbook: 'two', title: 'Order 2' }).expect(201);
    const [ok, refused] = await Promise.all([
      t.asPerson(vera).post(`/api/runs/${run.body.id}/steps/1/complete`),
      t.asPerson(vera).post(`/api/runs/${run.body.id}/steps/2/complete`),
    ]);
    expect(ok.status).toBe(200);
    expect(refused.status).toBe(422);
    const detail = await t.http().get(`/api/runs/${run.body.id}`).expect(200);
    expect(detail.body.steps.map((s: { status: string }) => s.status)).toEqual(['complete', 'open']);
  });
});

describe('with a database whose commit fails', () => {
  const handleError = errorHandler(() => {});
  const answerNotSaved = (req: express.Request, res: express.Response) => handleError(new NotSavedError(), req, res, () => {});

  function failingDb(): Committable & { log: string[] } {
    const log: string[] = [];
    let inTransaction = false;
    return {
      log,
      get inTransaction() {
        return inTransaction;
      },
      exec(statement: string) {
        log.push(statement);
        if (statement.startsWith('BEGIN')) inTransaction = true;
        if (statement === 'ROLLBACK') inTransaction = false;
        if (statement === 'COMMIT') throw new Error('disk I/O error');
      },
    };
  }

  test('every response held for that commit becomes a 500 that says nothing was saved', async () => {
    const db = failingDb();
    const app = express();
    const rolledBack: string[] = [];
    app.use(groupCommit(db, { onRollback: () => rolledBack.push('caches dropped'), onFailure: answerNotSaved }));
    app.post('/write', (_req, res) => {
      res.status(201).json({ saved: true });
    });
    const answer = await request(app).post('/write').expect(500);
    expect(answer.body.error.code).toBe('not-saved');
    expect(answer.body.saved).toBeUndefined();
    expect(db.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK']);
    expect(rolledBack).toEqual(['caches dropped']);
  });

  test('a form whose commit fails gets the error page from the one error handler, not its redirect', async () => {
    const db = failingDb();
    const app = express();
    const rendered: { view: string; status?: number }[] = [];
    const views = {
      render(res: express.Response, view: string, _data?: Record<string, unknown>, options?: { status?: number }) {
        rendered.push({ view, ...(options?.status ? { status: options.status } : {}) });
        res
          .status(options?.status ?? 200)
          .type('html')
          .send(`<p>${view}</p>`);
      },
    };
    const handle = errorHandler(() => {}, views);
    app.use(groupCommit(db, { onFailure: (req, res) => handle(new NotSavedError(), req, res, () => {}) }));
    app.post('/form', (_req, res) => {
      res.setHeader('Set-Cookie', 'rb_session=lost; Path=/');
      res.redirect(303, '/done');
    });
    const answer = await request(app).post('/form').set('Accept', 'text/html').expect(500);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.text).toBe('<p>errors/error</p>');
    expect(rendered).toEqual([{ view: 'errors/error', status: 500 }]);
  });

  test('reads outside a batch are answered at once and open no transaction', async () => {
    const db = failingDb();
    const app = express();
    app.use(groupCommit(db, { onFailure: answerNotSaved }));
    app.get('/read', (_req, res) => {
      res.json({ ok: true });
    });
    await request(app).get('/read').expect(200, { ok: true });
    expect(db.log).toEqual([]);
  });
});
