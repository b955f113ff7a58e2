import crypto from 'node:crypto';
import { createPaging, readLimit, DEFAULT_LIMIT, MAX_LIMIT } from '../../server/http/paging';
import { BadRequestError } from '../../server/http/errors';

const paging = createPaging(crypto.randomBytes(32));
const RUNS = { name: 'runs', key: ['text', 'id'] } as const;
const keyOf = (row: { at: string; id: number }) => [row.at, row.id];
const rows = Array.from({ length: 5 }, (_, i) => ({ at: `2026-12-0${5 - i}T10:00:00.000Z`, id: 5 - i }));

/** The 400 a call throws, as { field, code }. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (error) {
    if (error instanceof BadRequestError) return { status: error.status, field: error.field, code: error.code };
    throw error;
  }
  return null;
}

const cursorOf = (next: string | null) => new URL(next ?? '', 'http://x').searchParams.get('cursor') as string;

describe('limit', () => {
  test('is 50 unless asked, and any whole number from 1 to 200', () => {
    expect(readLimit(undefined)).toBe(DEFAULT_LIMIT);
    expect(readLimit('')).toBe(DEFAULT_LIMIT);
    expect(readLimit('1')).toBe(1);
    expect(readLimit('200')).toBe(MAX_LIMIT);
  });

  test.each(['0', '201', '-1', 'abc', '1.5', '1e2', ' 5', '99999999', ['5', '6']])('refuses %j with a 400 naming limit', (value) => {
    expect(refusal(() => readLimit(value))).toEqual({ status: 400, field: 'limit', code: 'invalid-limit' });
  });
});

describe('cursors', () => {
  const first = paging.read({ limit: '2' }, RUNS, { status: 'open' });
  const page = paging.page(rows.slice(0, 3), first, { ...RUNS, keyOf }, { path: '/api/runs', filters: { status: 'open' } });

  test('a page of limit rows links to the next with the filters, the limit and a cursor after its last row', () => {
    expect(page.items).toEqual(rows.slice(0, 2));
    const next = new URL(page.next ?? '', 'http://x');
    expect(next.pathname).toBe('/api/runs');
    expect(Object.fromEntries([...next.searchParams].filter(([k]) => k !== 'cursor'))).toEqual({ status: 'open', limit: '2' });
    expect(paging.read(Object.fromEntries(next.searchParams), RUNS, { status: 'open' })).toEqual({
      limit: 2,
      after: ['2026-12-04T10:00:00.000Z', 4],
    });
  });

  test('the last page links to nothing', () => {
    expect(paging.page(rows.slice(0, 2), first, { ...RUNS, keyOf }, { path: '/api/runs' }).next).toBeNull();
  });

  test('refuses a cursor with a changed byte, a changed signature, or made for other filters or another list', () => {
    const cursor = cursorOf(page.next);
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify(['2099-01-01T00:00:00.000Z', 1])).toString('base64url');
    const invalid = { status: 400, field: 'cursor', code: 'invalid-cursor' };
    expect(refusal(() => paging.read({ cursor: `${forged}.${mac}` }, RUNS, { status: 'open' }))).toEqual(invalid);
    expect(refusal(() => paging.read({ cursor: `${payload}.${mac.slice(1)}A` }, RUNS, { status: 'open' }))).toEqual(invalid);
    expect(refusal(() => paging.read({ cursor }, RUNS, { status: 'complete' }))).toEqual(invalid);
    expect(refusal(() => paging.read({ cursor }, RUNS, {}))).toEqual(invalid);
    expect(refusal(() => paging.read({ cursor }, { name: 'people', key: ['text', 'id'] }, { status: 'open' }))).toEqual(invalid);
    expect(refusal(() => createPaging(crypto.randomBytes(32)).read({ cursor }, RUNS, { status: 'open' }))).toEqual(invalid);
    for (const junk of ['x', 'a.b', '..', `${payload}`, 'é.é', ['a', 'b'], 'A'.repeat(3000)]) {
      expect(refusal(() => paging.read({ cursor: junk }, RUNS, { status: 'open' }))).toEqual(invalid);
    }
  });

  test('refuses a signed cursor whose key does not fit the list', () => {
    const other = { name: 'runs', key: ['id'] } as const;
    const made = paging.page([{ id: 1 }, { id: 2 }], { limit: 1, after: null }, { ...other, keyOf: (r) => [r.id] }, { path: '/x' });
    expect(refusal(() => paging.read({ cursor: cursorOf(made.next) }, RUNS))).toEqual({
      status: 400,
      field: 'cursor',
      code: 'invalid-cursor',
    });
  });

  test('an empty cursor is the first page', () => {
    expect(paging.read({ cursor: '' }, RUNS)).toEqual({ limit: DEFAULT_LIMIT, after: null });
  });
});

describe('plain id cursors (a run’s events: ?before=)', () => {
  const EVENTS = { name: 'events', key: ['id'], param: 'before', plain: true } as const;

  test('carry the id of the last row given, and read it back', () => {
    const page = paging.page(
      [{ id: 9 }, { id: 8 }, { id: 7 }],
      { limit: 2, after: null },
      { ...EVENTS, keyOf: (e) => [e.id] },
      { path: '/api/runs/1/events' },
    );
    expect(page.next).toBe('/api/runs/1/events?limit=2&before=8');
    expect(paging.read({ before: '8' }, EVENTS)).toEqual({ limit: DEFAULT_LIMIT, after: [8] });
  });

  test.each(['0', '-3', 'abc', '1.5', '99999999999999999999', ['1', '2']])('refuse before=%j with a 400 naming before', (before) => {
    expect(refusal(() => paging.read({ before }, EVENTS))).toEqual({ status: 400, field: 'before', code: 'invalid-cursor' });
  });
});
