import * as answers from './responses';
import type { RouteDoc } from './route-doc';
import { RUN_ROUTES } from './routes-runs';
import { RUNBOOK_ROUTES } from './routes-runbooks';
import { PEOPLE_ROUTES } from './routes-people';
import { OWNER_ROUTES } from './routes-owners';

export type { RouteDoc } from './route-doc';

/**
 * Every route of the JSON API (and the health check), described once: the request schemas are
 * the very zod schemas the routes validate with, imported from their folders; the answers'
 * shapes are in responses.ts. A test checks this list against the routes the app serves.
 */
export const ROUTES: RouteDoc[] = [
  {
    method: 'GET',
    path: '/healthz',
    tag: 'Server',
    summary: 'Whether this server can serve (no sign-in)',
    access: 'anyone',
    answer: answers.healthAnswer,
  },
  { method: 'GET', path: '/api/openapi.json', tag: 'Server', summary: 'This description (OpenAPI 3.1)', access: 'anyone signed in' },
  ...RUN_ROUTES,
  ...RUNBOOK_ROUTES,
  ...PEOPLE_ROUTES,
  ...OWNER_ROUTES,
];
