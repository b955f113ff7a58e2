import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { testApp } from '../helpers/app';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { browserSession } from './auth-helpers';
import { startRun } from '../../server/runs/start';
import { safeCell, sendCsv } from '../../server/http/csv';

/**
 * CSV exports: the runs list (the filters and scoping of GET /api/runs, every run, streamed),
 * a person's completed work between two days with estimate and cost, and the one helper they
 * share (formulas made harmless, backpressure).
 */

const t = testApp();
afterAll(() => t.cleanup());
afterEach(() => expect(t.errors.splice(0)).toEqual([]));

const vera = makePerson(t.db, { name: 'Vera Assistant', email: 'vera@example.com', level: 'outsourcer', hourlyCostCents: 3000 });
const mia = makePerson(t.db, { name: 'Mia Member', email: 'mia@example.com', level: 'member' });

makeRunbook(
  t.db,
  'orders',
  runbookMarkdown('Ship an order', [
    { title: 'Pack the order', owner: 'Vera Assistant', estimate: '30m' },
    { title: 'Label it', owner: 'Vera Assistant' },
    { title: 'Mia checks', owner: 'Mia Member', estimate: '10m' },
  ]),
);
makeRunbook(t.db, 'internal', runbookMarkdown('Internal', [{ title: 'Mia alone', owner: 'Mia Member' }]));

/** The rows of a CSV answer (without the byte order mark), each split naively: the tests' cells have no commas. */
const linesOf = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);

describe('GET /api/runs.csv', () => {
  const formulas = ['=HYPERLINK("http://evil.test","Click")', '+1+2', '-3', '@SUM(A1)', '\tTabbed'];
  const ids: number[] = [];
  beforeAll(() => {
    for (const title of formulas) ids.push(startRun(t.db, { runbook: 'orders', title, startedBy: t.owner.id }));
    ids.push(startRun(t.db, { runbook: 'internal', title: 'Internal 1', startedBy: t.owner.id }));
  });

  test('answers UTF-8 CSV with a header row, CRLF line ends and formulas made harmless', async () => {
    const res = await t.http().get('/api/runs.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="runs-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.startsWith('\uFEFFRun,Title,Runbook,Status,Started,Completed,Steps,Steps done,Next due,Overdue\r\n')).toBe(true);
    expect(res.text).toContain(`${ids[0]},"'=HYPERLINK(""http://evil.test"",""Click"")",Ship an order,in progress,`);
    for (const cell of ["'+1+2", "'-3", "'@SUM(A1)", "'\tTabbed"]) expect(res.text).toContain(`,${cell},`);
    // A number the app counted stays a number.
    expect(res.text).toMatch(new RegExp(`\\r\\n${ids[0]},.*,3,0,,no\\r\\n`));
  });

  test('takes the filters of GET /api/runs and lists the same runs, in the same order', async () => {
    for (const query of [
      'runbook=internal',
      'status=open&runbook=orders',
      `assignee=${mia.id}`,
      'status=complete',
      'from=2000-01-01&to=2099-12-31',
    ]) {
      const json = await t.http().get(`/api/runs?${query}&limit=200`).expect(200);
      const csv = await t.http().get(`/api/runs.csv?${query}`).expect(200);
      const csvIds = linesOf(csv.text)
        .slice(1)
        .map((line) => Number(line.split(',')[0]));
      expect({ query, ids: csvIds }).toEqual({ query, ids: (json.body.runs as { id: number }[]).map((r) => r.id) });
    }
  });

  test('refuses a day that is not a date with a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['status=maybe', 'status'],
    ]) {
      const res = await t.http().get(`/api/runs.csv?${query}`).expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid-input', field });
    }
  });

  test('gives an outsourcer only the runs with a step of theirs, as their runs list does', async () => {
    const res = await t.asPerson(vera).get('/api/runs.csv').expect(200);
    const runbooks = linesOf(res.text)
      .slice(1)
      .map((line) => line.split(',').at(-8));
    expect(runbooks.length).toBe(formulas.length);
    expect(new Set(runbooks)).toEqual(new Set(['Ship an order']));
    // Counting only their steps: 2 of the run's 3.
    expect(linesOf(res.text)[1]).toMatch(/,2,0,,no$/);
  });

  test('streams every run of a long history (more than two chunks of 500), each once, in the list’s order', async () => {
    const insert = t.db.transaction(() => {
      for (let i = 0; i < 1234; i++) startRun(t.db, { runbook: 'internal', title: `Bulk ${i}`, startedBy: t.owner.id });
    });
    insert();
    const res = await t.http().get('/api/runs.csv?runbook=internal').expect(200);
    const rows = linesOf(res.text).slice(1);
    expect(rows).toHaveLength(1235);
    expect(new Set(rows.map((line) => line.split(',')[0])).size).toBe(1235);
  });
});

describe('sendCsv (server/http/csv.ts)', () => {
  test('escapes a cell that a spreadsheet would run, and leaves numbers and plain text alone', () => {
    expect(['=1+1', '+1', '-1', '@A1', '\tx', '\rx', 'plain', 'a=b', -5, 12.5, null].map(safeCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@A1",
      "'\tx",
      "'\rx",
      'plain',
      'a=b',
      '-5',
      '12.5',
      '',
    ]);
  });

  test('reads the next chunk only once the client has taken the one before (backpressure)', async () => {
    const written: string[] = [];
    const res = Object.assign(new EventEmitter(), {
      destroyed: false,
      status: () => res,
      setHeader: () => res,
      // Every chunk fills the buffer: the writer must wait for 'drain'.
      write: (chunk: string) => (written.push(chunk), false),
      end: () => undefined,
    });
    const asked: (number | null)[] = [];
    const sending = sendCsv<number>(res as unknown as Response, 'x.csv', ['n'], (after) => {
      asked.push(after);
      const start = (after ?? 0) + 1;
      return { rows: [[start]], last: start < 3 ? start : null };
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([null]);
    res.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([null, 1]);
    res.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    res.emit('drain');
    await sending;
    expect(asked).toEqual([null, 1, 2]);
    expect(written.join('')).toBe('\uFEFFn\r\n1\r\n2\r\n3\r\n');
  });

  test('stops reading when the client goes away', async () => {
    const res = Object.assign(new EventEmitter(), {
      destroyed: false,
      status: () => res,
      setHeader: () => res,
      write: () => false,
      end: () => undefined,
    });
    let chunks = 0;
    const sending = sendCsv<number>(res as unknown as Response, 'x.csv', ['n'], (after) => {
      chunks++;
      return { rows: [[after ?? 0]], last: (after ?? 0) + 1 };
    });
    await new Promise((resolve) => setImmediate(resolve));
    res.destroyed = true;
    res.emit('close');
    await sending;
    expect(chunks).toBe(1);
  });
});

describe('GET /api/people/:id/work.csv', () => {
  const local = (day: number, hour: number) => new Date(2026, 10, day, hour, 0).toISOString();
  beforeAll(() => {
    const run = startRun(t.db, { runbook: 'orders', title: '=Order 7', startedBy: t.owner.id });
    const done = t.db.prepare(
      "UPDATE run_steps SET status = 'complete', completed_by = ?, completed_at = ? WHERE run_id = ? AND position = ?",
    );
    done.run(vera.id, local(3, 10), run, 1); // in November, with an estimate
    done.run(vera.id, local(30, 23), run, 2); // the last evening of the range, no estimate
    done.run(mia.id, local(4, 9), run, 3); // Mia's
    const later = startRun(t.db, { runbook: 'orders', title: 'Order 8', startedBy: t.owner.id });
    done.run(vera.id, local(31, 9), later, 1); // 1 December: outside
  });

  test('lists the steps the person completed between the days, with estimate and cost, for an owner', async () => {
    const res = await t.http().get(`/api/people/${vera.id}/work.csv?from=2026-11-01&to=2026-11-30`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = linesOf(res.text);
    expect(lines[0]).toBe('Completed,Run,Run title,Runbook,Step,Step title,Estimate (minutes),Hourly cost,Cost,Note');
    expect(lines.slice(1).map((line) => line.split(',').slice(2))).toEqual([
      ["'=Order 7", 'Ship an order', '1', 'Pack the order', '30', '30.00', '15.00', ''],
      ["'=Order 7", 'Ship an order', '2', 'Label it', '', '30.00', '', 'no estimate'],
    ]);
    expect(lines[1]?.startsWith('2026-11-03 10:00,')).toBe(true);
  });

  test('shows the person their own cost, and a member someone else’s work without it', async () => {
    const own = await t.asPerson(vera).get(`/api/people/${vera.id}/work.csv?from=2026-11-01&to=2026-11-30`).expect(200);
    expect(linesOf(own.text)[0]).toContain('Cost');
    const other = await t.asPerson(mia).get(`/api/people/${vera.id}/work.csv?from=2026-11-01&to=2026-11-30`).expect(200);
    expect(linesOf(other.text)[0]).toBe('Completed,Run,Run title,Runbook,Step,Step title,Estimate (minutes),Note');
    expect(linesOf(other.text)).toHaveLength(3);
  });

  test('leaves the cost empty and says so when the person has no hourly cost', async () => {
    const res = await t.http().get(`/api/people/${mia.id}/work.csv?from=2026-11-01&to=2026-11-30`).expect(200);
    expect(linesOf(res.text)[1]?.split(',').slice(-4)).toEqual(['10', '', '', 'no hourly cost set']);
  });

  test('hides someone else’s work from an outsourcer, as their page (404)', async () => {
    await t.asPerson(vera).get(`/api/people/${mia.id}/work.csv?from=2026-11-01&to=2026-11-30`).expect(404);
  });

  test('refuses missing or bad days with a 400 naming the parameter, and takes days as people type them', async () => {
    for (const [query, field] of [
      ['to=2026-11-30', 'from'],
      ['from=2026-11-01', 'to'],
      ['from=2026-11-31&to=2026-12-01', 'from'],
      ['from=2026-11-01&to=soon', 'to'],
      ['from=2026-11-30&to=2026-11-01', 'to'],
    ]) {
      const res = await t.http().get(`/api/people/${vera.id}/work.csv?${query}`).expect(400);
      expect({ query, ...res.body.error }).toMatchObject({ query, code: 'invalid-input', field });
    }
    const typed = await t.http().get(`/api/people/${vera.id}/work.csv?from=1%20Nov%202026&to=30%20Nov%202026`).expect(200);
    expect(linesOf(typed.text)).toHaveLength(3);
  });
});

describe('the download links', () => {
  test('the runs page links the download with its filters', async () => {
    const session = browserSession(t.db, t.owner.id);
    const page = await t.anonymous().get('/runs?status=open&runbook=internal').set(session.headers).expect(200);
    expect(page.text).toContain(
      'href="/api/runs.csv?status&#x3D;open&amp;runbook&#x3D;internal" download>Download as spreadsheet (CSV)</a>',
    );
  });

  test('a person’s page offers their work done as a spreadsheet', async () => {
    const session = browserSession(t.db, vera.id);
    const page = await t.anonymous().get(`/people/${vera.id}`).set(session.headers).expect(200);
    expect(page.text).toContain(`action="/people/${vera.id}/work.csv"`);
    expect(page.text).toContain('Download as spreadsheet (CSV)');
  });

  test('the page’s form downloads the same spreadsheet as the API', async () => {
    const session = browserSession(t.db, vera.id);
    const query = 'from=1%20Nov%202026&to=2026-11-30';
    const page = await t.anonymous().get(`/people/${vera.id}/work.csv?${query}`).set(session.headers).expect(200);
    const api = await t.asPerson(vera).get(`/api/people/${vera.id}/work.csv?${query}`).expect(200);
    expect(page.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(page.text).toBe(api.text);
    expect(linesOf(page.text)).toHaveLength(3);
  });

  test('a day the form cannot read brings the page back with the error beside its box, in words', async () => {
    const session = browserSession(t.db, vera.id);
    for (const [query, field, message] of [
      ['from=soon&to=2026-11-30', 'from', 'Type a day, such as 5 Dec 2026.'],
      ['from=2026-11-01&to=', 'to', 'Choose the last day.'],
      ['from=2026-11-30&to=1%20Nov%202026', 'to', 'Choose a last day on or after the first day.'],
    ] as const) {
      const page = await t
        .anonymous()
        .get(`/people/${vera.id}/work.csv?${query}`)
        .set(session.headers)
        .set('Accept', 'text/html')
        .expect(400);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain(`<p class="error" id="f-${field}-error">${message}</p>`);
      expect(page.text).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
      expect(page.text).toMatch(new RegExp(`id="f-${field}"[^>]*autofocus`));
      expect(page.text).toContain('<h2 id="work-done">Work done</h2>');
      expect(page.text).toContain('role="alert">Not downloaded: ');
    }
    // The day the form understood goes back into its date box (which shows only days it can read).
    const typed = await t
      .anonymous()
      .get(`/people/${vera.id}/work.csv?from=30%20Nov%202026&to=1%20Nov%202026`)
      .set(session.headers)
      .set('Accept', 'text/html')
      .expect(400);
    expect(typed.text).toMatch(/id="f-from" name="from" type="date" value="2026-11-30"/);
    expect(typed.text).toMatch(/id="f-to" name="to" type="date" value="2026-11-01"/);
  });

  test('the form shows nothing of someone an outsourcer may not see', async () => {
    const session = browserSession(t.db, vera.id);
    await t.anonymous().get(`/people/${mia.id}/work.csv?from=2026-11-01&to=2026-11-30`).set(session.headers).expect(404);
  });
});
