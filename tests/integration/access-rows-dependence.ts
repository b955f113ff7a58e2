import { everyLink, expected, SIGN_IN, futureAbsence, throwaway, type Row } from './access-fixture';

/**
 * Rows of the access table for the dependence page (owners and editors) and the step-away
 * simulator (anyone on the team for themselves, owners and editors for anyone; someone else's
 * is not found, as any other person's data).
 */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/**
 * Later than the absences the other rows plan, and a day of its own for each call (a row is
 * called by every kind of caller, the same person by password and by token), so planning one
 * never overlaps another.
 */
let later = 60;
const laterAbsence = () => {
  later += 2;
  return { from: day(later), to: day(later) };
};
const RANGE = () => {
  const { from, to } = futureAbsence();
  return `from=${from}&to=${to}`;
};

export const dependenceRows: Row[] = [
  {
    method: 'GET',
    route: '/api/dependence',
    call: () => ({ url: '/api/dependence' }),
    expected: expected(401, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/dependence/steps.csv',
    call: () => ({ url: '/api/dependence/steps.csv' }),
    expected: expected(401, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/step-away',
    what: 'themselves',
    call: () => ({ url: `/api/step-away?${RANGE()}` }),
    expected: expected(401, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/step-away',
    what: 'another member',
    call: () => ({ url: `/api/step-away?person=${throwaway('member').id}&${RANGE()}` }),
    expected: expected(401, 404, 404, 200, 200),
    // Someone else's data, to a link: not found, as it is to an outsourcer.
    link: everyLink(404),
  },
  {
    method: 'GET',
    route: '/dependence',
    call: () => ({ url: '/dependence' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/dependence/steps.csv',
    call: () => ({ url: '/dependence/steps.csv' }),
    expected: expected(SIGN_IN, 403, 403, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/step-away',
    what: 'themselves',
    call: () => ({ url: `/step-away?${RANGE()}` }),
    expected: expected(SIGN_IN, 403, 200, 200, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/step-away',
    what: 'another member',
    call: () => ({ url: `/step-away?person=${throwaway('member').id}&${RANGE()}` }),
    expected: expected(SIGN_IN, 404, 404, 200, 200),
    // Someone else's data, to a link: not found, as it is to an outsourcer.
    link: everyLink(404),
  },
  {
    method: 'POST',
    route: '/step-away/plan',
    what: 'themselves',
    call: (_who, person) => ({ url: '/step-away/plan', body: { person: String(person?.id ?? ''), ...laterAbsence() } }),
    expected: expected(SIGN_IN, 403, [303, '/people/'], [303, '/people/'], [303, '/people/']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/step-away/plan',
    what: 'another member',
    call: () => ({ url: '/step-away/plan', body: { person: String(throwaway('member').id), ...laterAbsence() } }),
    expected: expected(SIGN_IN, 404, 404, [303, '/people/'], [303, '/people/']),
    // Someone else's data, to a link: not found, as it is to an outsourcer.
    link: everyLink(404),
  },
];
