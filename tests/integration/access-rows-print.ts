import { expected, everyLink, byLink, SIGN_IN, member, outsourcer, run, internalRun, type Row } from './access-fixture';

/**
 * Rows of the access table for the printable documents (server/print): each answers exactly
 * as the page it prints, as a print page and as a PDF alike.
 */
const both = (row: Omit<Row, 'route' | 'call'> & { route: string; url: string }): Row[] =>
  ['', '.pdf'].map((suffix) => ({
    method: row.method,
    route: `${row.route}${suffix}`,
    ...(row.what ? { what: row.what } : {}),
    call: () => ({ url: `${row.url}${suffix}` }),
    expected: row.expected,
    link: row.link,
  }));

export const printRows: Row[] = [
  // A runbook is for the team; to an outsourcer it does not exist.
  ...both({
    method: 'GET',
    route: '/runbooks/:slug/print',
    url: '/runbooks/ops/print',
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: everyLink(404),
  }),
  ...both({
    method: 'GET',
    route: '/runs/:id/print',
    what: 'a run with a step of everyone',
    url: `/runs/${run}/print`,
    expected: expected(SIGN_IN, 200, 200, 200, 200),
    link: byLink(200, 200, 404, 200),
  }),
  ...both({
    method: 'GET',
    route: '/runs/:id/print',
    what: 'a run without a step of the outsourcer',
    url: `/runs/${internalRun}/print`,
    expected: expected(SIGN_IN, 404, 200, 200, 200),
    link: byLink(404, 200, 404, 404),
  }),
  ...(['sheet', 'packet'] as const).flatMap((kind) => [
    ...both({
      method: 'GET',
      route: `/people/:id/${kind}`,
      what: "the member's",
      url: `/people/${member.id}/${kind}`,
      expected: expected(SIGN_IN, 404, 200, 200, 200),
      link: byLink(404, 200, 404, 404),
    }),
    ...both({
      // Their own, for the outsourcer.
      method: 'GET',
      route: `/people/:id/${kind}`,
      what: "the outsourcer's",
      url: `/people/${outsourcer.id}/${kind}`,
      expected: expected(SIGN_IN, 200, 200, 200, 200),
      link: byLink(200, 404, 404, 404),
    }),
    ...both({
      method: 'GET',
      route: `/my-work/${kind}`,
      url: `/my-work/${kind}`,
      expected: expected(SIGN_IN, 200, 200, 200, 200),
      link: everyLink(200),
    }),
  ]),
];
