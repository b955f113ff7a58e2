import { outboxQuery } from '../notify/api';
import { stepAwayQuery } from '../dependence/api';
import { webhookBody } from '../webhooks/manage';
import * as answers from './responses';
import { type RouteDoc, OWNERS, MANAGERS } from './route-doc';

/** What only owners do: the outbox, the audit log, exports and webhooks. */
export const OWNER_ROUTES: RouteDoc[] = [
  // Owners
  { method: 'GET', path: '/api/audit', tag: 'Owners', summary: 'The audit log, newest first', access: OWNERS, paged: true },
  {
    method: 'GET',
    path: '/api/outbox',
    tag: 'Owners',
    summary: 'Every email message, newest first',
    access: OWNERS,
    query: outboxQuery,
    answer: answers.outboxAnswer,
    paged: true,
  },
  {
    method: 'GET',
    path: '/api/dependence',
    tag: 'Owners',
    summary: 'What still depends on the owner: the workload model',
    access: MANAGERS,
  },
  {
    method: 'GET',
    path: '/api/dependence/steps.csv',
    tag: 'Owners',
    summary: 'Every step of the workload model as CSV',
    access: MANAGERS,
    answerType: 'text/csv',
  },
  {
    method: 'GET',
    path: '/api/step-away',
    tag: 'Owners',
    summary: 'What happens if a person steps away for some days',
    access: 'owners and editors; the team for themself',
    query: stepAwayQuery,
  },
  // Webhooks
  {
    method: 'GET',
    path: '/api/webhooks',
    tag: 'Webhooks',
    summary: 'Webhooks and the events one may ask for',
    access: OWNERS,
    answer: answers.webhooksAnswer,
  },
  {
    method: 'POST',
    path: '/api/webhooks',
    tag: 'Webhooks',
    summary: 'Register a webhook (a bad url is a 422 naming it)',
    access: OWNERS,
    body: webhookBody,
    status: 201,
    answer: answers.webhookCreatedAnswer,
  },
  {
    method: 'GET',
    path: '/api/webhooks/:id',
    tag: 'Webhooks',
    summary: 'One webhook with counts of its deliveries',
    access: OWNERS,
    answer: answers.webhookAnswer,
  },
  {
    method: 'DELETE',
    path: '/api/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Delete a webhook and its deliveries',
    access: OWNERS,
    status: 204,
  },
  {
    method: 'GET',
    path: '/api/webhooks/:id/deliveries',
    tag: 'Webhooks',
    summary: 'A webhook’s deliveries, newest first, with status and last answer',
    access: OWNERS,
    answer: answers.deliveriesAnswer,
    paged: true,
  },
  {
    method: 'POST',
    path: '/api/webhooks/:id/deliveries/:deliveryId/retry',
    tag: 'Webhooks',
    summary: 'Send a delivery again',
    access: OWNERS,
    answer: answers.deliveryAnswer,
  },
];
