import { byLink, everyLink, expected, owner, people, SIGN_IN, t, throwaway, type Row, type Who } from './access-fixture';
import type { PersonRow } from '../../server/people/repo';
import { makeCalendarLink, revokeCalendarLink } from '../../server/auth/calendar-links';

/**
 * Rows of the access table for calendar addresses (the person themself, owners for anyone,
 * editors for anyone but an owner; a personal link for its own person only) and the CSV
 * exports (the same visibility as the JSON lists).
 */

/** The caller themself, or (anonymous) the owner: whose calendar a "themselves" row aims at. */
const self = (person: PersonRow | null) => person ?? owner;
/** A live calendar address of `person`, to stop or read. */
const liveFor = (person: PersonRow) => makeCalendarLink(t.db, person.id, { actorId: owner.id, address: null }).secret;

const calendarRows = (method: 'POST' | 'DELETE', route: string, suffix: string, ok: number | [number, string], api: boolean): Row[] => {
  const prepare = (target: PersonRow) => {
    if (method === 'DELETE' || suffix.endsWith('/revoke')) liveFor(target);
  };
  const denied = api ? 401 : SIGN_IN;
  const url = (target: PersonRow) => `${api ? '/api' : ''}/people/${target.id}${suffix}`;
  const aim = (target: () => PersonRow) => (_who: Who) => {
    const person = target();
    prepare(person);
    return { url: url(person) };
  };
  return [
    {
      method,
      route,
      what: 'themselves',
      call: (_who, person) => {
        prepare(self(person));
        return { url: url(self(person)) };
      },
      expected: expected(denied, ok, ok, ok, ok),
      // Their calendar shows only what their link opens already: their own steps.
      link: byLink(ok, ok, ok, ok),
    },
    {
      method,
      route,
      what: 'a member',
      call: aim(() => throwaway('member')),
      expected: expected(denied, 404, 403, ok, ok),
      link: everyLink(404),
    },
    {
      method,
      route,
      what: 'another owner',
      call: aim(() => throwaway('owner')),
      expected: expected(denied, 404, 403, 403, ok),
      link: everyLink(404),
    },
  ];
};

export const exportRows: Row[] = [
  ...calendarRows('POST', '/api/people/:id/calendar', '/calendar', 201, true),
  ...calendarRows('DELETE', '/api/people/:id/calendar', '/calendar', 200, true),
  ...calendarRows('POST', '/people/:id/calendar', '/calendar', 201, false),
  ...calendarRows('POST', '/people/:id/calendar/revoke', '/calendar/revoke', [303, '/people/'], false),
  {
    method: 'GET',
    route: '/calendar/:secret.ics',
    what: 'a live address',
    // The secret is the key: whoever has it reads it, signed in or not.
    call: () => ({ url: `/calendar/${liveFor(people.member)}.ics` }),
    expected: expected(200, 200, 200, 200, 200),
    link: byLink(200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/calendar/:secret.ics',
    what: 'a stopped address',
    call: () => {
      const secret = liveFor(people.member);
      revokeCalendarLink(t.db, people.member.id, { actorId: owner.id, address: null });
      return { url: `/calendar/${secret}.ics` };
    },
    expected: expected(404, 404, 404, 404, 404),
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/api/runs.csv',
    call: () => ({ url: '/api/runs.csv' }),
    expected: expected(401, 200, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/people/:id/work.csv',
    what: 'themselves',
    call: (_who, person) => ({ url: `/api/people/${self(person).id}/work.csv?from=2026-01-01&to=2026-12-31` }),
    expected: expected(401, 200, 200, 200, 200),
    link: byLink(200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/api/people/:id/work.csv',
    what: 'the member',
    call: () => ({ url: `/api/people/${people.member.id}/work.csv?from=2026-01-01&to=2026-12-31` }),
    expected: expected(401, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
  // The person page's "Work done" form: the same download, its errors shown on the page.
  {
    method: 'GET',
    route: '/people/:id/work.csv',
    what: 'themselves',
    call: (_who, person) => ({ url: `/people/${self(person).id}/work.csv?from=2026-01-01&to=2026-12-31` }),
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: byLink(200, 200, 200, 200),
  },
  {
    method: 'GET',
    route: '/people/:id/work.csv',
    what: 'the member',
    call: () => ({ url: `/people/${people.member.id}/work.csv?from=2026-01-01&to=2026-12-31` }),
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  },
];
