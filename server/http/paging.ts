import crypto from 'node:crypto';
import type { Response } from 'express';
import { BadRequestError } from './errors';

/**
 * Lists that grow are read a page at a time: `?limit=` rows (50 unless asked, at most 200),
 * from where the `cursor` of the previous page left off. A cursor holds the sort key of the
 * last row given, so the next page is an index range ("after this key"), never an OFFSET that
 * reads and drops every earlier row. It is signed with a key kept in the database, over the
 * list and its filters: a cursor this server did not make, or made for other filters, is a 400
 * naming the field, never a query with made-up values.
 */

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** What each part of a sort key is: checked when a cursor is read, beside its signature. */
export type KeyPart = 'text' | 'text?' | 'id' | 'int' | 'number';
export type KeyValue = string | number | null;

export interface ListKey {
  /** Names the list in its cursors: a cursor of one list is refused by another. */
  name: string;
  key: readonly KeyPart[];
  /** The query parameter the cursor travels in (`cursor` unless said). */
  param?: string;
  /**
   * The cursor is a plain id (a run's events: `?before=` an event id, which the run's JSON, built
   * by SQLite, links to). It is checked strictly instead of signed: any id is only a place in
   * the list, read with the viewer's own limits.
   */
  plain?: true;
}

export interface PageRequest {
  limit: number;
  /** The sort key the page starts after; null for the first page. */
  after: KeyValue[] | null;
}

type Filters = Record<string, unknown>;

// Bumped when cursors change shape: older ones are then refused, not misread.
const VERSION = 'v1';
const MAC_CHARS = 22; // 16 bytes of the HMAC, base64url

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '' && value !== false;

/** The filters as the cursor is signed over them and as the next link repeats them: set ones only, by name. */
function filterPairs(filters: Filters): [string, string][] {
  return Object.entries(filters)
    .filter(([, value]) => isSet(value))
    .map(([name, value]): [string, string] => [name, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `?limit=`: absent is the default; anything but a whole number from 1 to the maximum is a 400. */
export function readLimit(value: unknown, max = MAX_LIMIT, fallback = DEFAULT_LIMIT): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new BadRequestError(`limit: must be a whole number from 1 to ${max}`, 'limit', 'invalid-limit');
  return n;
}

function fits(part: KeyPart, value: unknown): boolean {
  switch (part) {
    case 'text':
      return typeof value === 'string' && value.length <= 1000;
    case 'text?':
      return value === null || (typeof value === 'string' && value.length <= 1000);
    case 'id':
      return Number.isSafeInteger(value) && (value as number) > 0;
    case 'int':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

export interface Paging {
  /**
   * Reads `limit` and the cursor of `query` for this list and these (already validated)
   * filters; `fallback` is the limit when none is asked (a page may show fewer than 50).
   */
  read(query: Record<string, unknown>, list: ListKey, filters?: Filters, fallback?: number): PageRequest;
  /**
   * Of rows read with `limit + 1`, the page, and the address of the next one (`path` with the
   * filters, limit and cursor), or null after the last row.
   */
  page<Row>(
    rows: Row[],
    request: PageRequest,
    list: ListKey & { keyOf: (row: Row) => KeyValue[] },
    link: { path: string; filters?: Filters },
  ): { items: Row[]; next: string | null; first: string };
  /** Sets `Link: <next>; rel="next"` when there is a next page. */
  linkHeader(res: Response, next: string | null): void;
}

export function createPaging(secret: Buffer): Paging {
  const sign = (list: ListKey, filters: Filters, payload: string) =>
    crypto
      .createHmac('sha256', secret)
      .update(`${VERSION}\n${list.name}\n${JSON.stringify(filterPairs(filters))}\n${payload}`)
      .digest('base64url')
      .slice(0, MAC_CHARS);

  const refuse = (field: string) =>
    new BadRequestError(
      `${field}: is not a cursor this list gave with these filters (a changed filter or a damaged link): start again from the first page`,
      field,
      'invalid-cursor',
    );

  const decode = (value: unknown, list: ListKey, filters: Filters): KeyValue[] => {
    const field = list.param ?? 'cursor';
    if (list.plain) {
      if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new BadRequestError(`${field}: must be the id of an event, a whole number`, field, 'invalid-cursor');
      }
      return [Number(value)];
    }
    if (typeof value !== 'string' || value.length > 2048) throw refuse(field);
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(value);
    if (!match || match[2]?.length !== MAC_CHARS) throw refuse(field);
    const payload = Buffer.from(match[1] as string, 'base64url').toString('utf8');
    const expected = Buffer.from(sign(list, filters, payload));
    const given = Buffer.from(match[2]);
    if (!crypto.timingSafeEqual(expected, given)) throw refuse(field);
    let key: unknown;
    try {
      key = JSON.parse(payload);
    } catch {
      throw refuse(field);
    }
    if (!Array.isArray(key) || key.length !== list.key.length || !list.key.every((part, i) => fits(part, key[i]))) throw refuse(field);
    return key as KeyValue[];
  };

  const encode = (key: KeyValue[], list: ListKey, filters: Filters) => {
    if (list.plain) return String(key[0]);
    const payload = JSON.stringify(key);
    return `${Buffer.from(payload).toString('base64url')}.${sign(list, filters, payload)}`;
  };

  return {
    read(query, list, filters = {}, fallback = DEFAULT_LIMIT) {
      const limit = readLimit(query.limit, MAX_LIMIT, fallback);
      const raw = query[list.param ?? 'cursor'];
      const after = raw === undefined || raw === '' ? null : decode(raw, list, filters);
      return { limit, after };
    },

    page(rows, request, list, link) {
      const items = rows.slice(0, request.limit);
      const last = items.at(-1);
      const filters = link.filters ?? {};
      const params = new URLSearchParams(filterPairs(filters));
      if (request.limit !== DEFAULT_LIMIT) params.set('limit', String(request.limit));
      const first = params.size > 0 ? `${link.path}?${params}` : link.path;
      if (rows.length <= request.limit || last === undefined) return { items, next: null, first };
      params.set(list.param ?? 'cursor', encode(list.keyOf(last), list, filters));
      return { items, next: `${link.path}?${params}`, first };
    },

    linkHeader(res, next) {
      if (next !== null) res.setHeader('Link', `<${next}>; rel="next"`);
    },
  };
}
