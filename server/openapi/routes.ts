import type { z } from 'zod';
import { tokenBody } from '../auth/api';
import { notifyBody, outboxQuery } from '../notify/api';
import { archiveBody, listQuery, reviewBody } from '../runbooks/api';
import { stepAwayQuery } from '../dependence/api';
import { handOffBody, previewQuery } from '../delegation/api';
import { fieldBody, noteBody, noteRequired, reassignBody, rejectBody, startBody, waitingBody } from '../runs/api';
import { runFilters } from '../runs/list';
import { workQuery } from '../people/work-csv';
import { memberBody, roleBody } from '../people/roles-api';
import { personBody, personPatch } from '../people/api';
import { awayBody } from '../people/absences-api';
import { webhookBody } from '../webhooks/manage';
import * as answers from './responses';

/**
 * Every route of the JSON API (and the health check), described once: the request schemas are
 * the very zod schemas the routes validate with, imported from their folders; the answers'
 * shapes are in responses.ts. A test checks this list against the routes the app serves.
 */
export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Express declares it (`/api/runs/:id`). */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it, in the words of the access table. */
  access: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A body that is not JSON: its media type. */
  bodyType?: string;
  status?: number;
  answer?: z.ZodType;
  /** An answer that is not JSON: its media type. */
  answerType?: string;
  paged?: boolean;
}

const OWNERS = 'owners';
const MANAGERS = 'owners and editors';
const TEAM = 'owners, editors and members';
const ANYONE = 'anyone signed in (each sees what their level allows)';
const STEP = 'whoever may work the step (the assignee, owners and editors)';

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
  // Runs
  {
    method: 'POST',
    path: '/api/runs',
    tag: 'Runs',
    summary: 'Start a run of a runbook',
    access: TEAM,
    body: startBody,
    status: 201,
    answer: answers.runAnswer,
  },
  {
    method: 'GET',
    path: '/api/runs',
    tag: 'Runs',
    summary: 'Runs, newest first, filtered',
    access: ANYONE,
    query: runFilters,
    answer: answers.runsAnswer,
    paged: true,
  },
  {
    method: 'GET',
    path: '/api/runs.csv',
    tag: 'Runs',
    summary: 'Every run the filters match (not a page), as CSV, streamed',
    access: ANYONE,
    query: runFilters,
    answerType: 'text/csv',
  },
  {
    method: 'GET',
    path: '/api/runs/:id',
    tag: 'Runs',
    summary: 'A run with its steps, checks and newest 50 events',
    access: ANYONE,
    answer: answers.runAnswer,
  },
  { method: 'GET', path: '/api/runs/:id/events', tag: 'Runs', summary: 'A run’s older events, newest first', access: ANYONE, paged: true },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/complete',
    tag: 'Runs',
    summary: 'Complete a step',
    access: STEP,
    body: noteBody,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/reopen',
    tag: 'Runs',
    summary: 'Reopen a done or skipped step',
    access: STEP,
    body: noteBody,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/skip',
    tag: 'Runs',
    summary: 'Skip an optional step',
    access: STEP,
    body: noteBody,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/checks/:index/tick',
    tag: 'Runs',
    summary: 'Tick a check',
    access: STEP,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/checks/:index/untick',
    tag: 'Runs',
    summary: 'Untick a check',
    access: STEP,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/note',
    tag: 'Runs',
    summary: 'Add a note to a step, open or done, without changing it',
    access: 'the team, and the assignee',
    body: noteRequired,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/waiting',
    tag: 'Runs',
    summary: 'Mark an open step as waiting, with the reason (again: a new reason); its due time keeps counting',
    access: STEP,
    body: waitingBody,
    answer: answers.stepAnswer,
  },
  {
    method: 'DELETE',
    path: '/api/runs/:id/steps/:position/waiting',
    tag: 'Runs',
    summary: 'Take a step off waiting (409 step-not-waiting when it is not)',
    access: STEP,
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/reassign',
    tag: 'Runs',
    summary: 'Hand a step to someone else',
    access: 'owners, editors, and a member for their own step',
    body: reassignBody,
  },
  {
    method: 'PUT',
    path: '/api/runs/:id/fields/:name',
    tag: 'Runs',
    summary: 'Fill (or, with null, empty) a run field or a step field; checked for its type',
    access: 'a step field: whoever may work its step; a run field: owners, editors, whoever started the run, members with a step in it',
    body: fieldBody,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/approve',
    tag: 'Runs',
    summary: 'Approve a step waiting for approval (never one’s own)',
    access: 'the approving role’s members, or the person its Approval: names',
    answer: answers.stepAnswer,
  },
  {
    method: 'POST',
    path: '/api/runs/:id/steps/:position/reject',
    tag: 'Runs',
    summary: 'Send a step waiting for approval back to its assignee, saying why',
    access: 'the approving role’s members, or the person its Approval: names',
    body: rejectBody,
    answer: answers.stepAnswer,
  },
  // Runbooks
  {
    method: 'GET',
    path: '/api/runbooks',
    tag: 'Runbooks',
    summary: 'Runbooks (current versions), filtered or searched',
    access: TEAM,
    query: listQuery,
    answer: answers.runbooksAnswer,
    paged: true,
  },
  { method: 'GET', path: '/api/runbooks/:slug', tag: 'Runbooks', summary: 'One runbook with its steps and their HTML', access: TEAM },
  {
    method: 'GET',
    path: '/api/runbooks/:slug/export',
    tag: 'Runbooks',
    summary: 'The runbook as Markdown',
    access: TEAM,
    answerType: 'text/markdown',
  },
  {
    method: 'GET',
    path: '/api/runbooks/:slug/runs.csv',
    tag: 'Runbooks',
    summary: 'The runbook’s runs as CSV: fields, status, start, completion, who completed each step',
    access: TEAM,
    answerType: 'text/csv',
  },
  { method: 'GET', path: '/api/runbooks/:slug/versions', tag: 'Runbooks', summary: 'The version history', access: TEAM },
  { method: 'GET', path: '/api/runbooks/:slug/versions/:number', tag: 'Runbooks', summary: 'One version with its source', access: TEAM },
  {
    method: 'PUT',
    path: '/api/runbooks/:slug',
    tag: 'Runbooks',
    summary: 'Create a runbook (201) or add a version (200) from Markdown',
    access: MANAGERS,
    bodyType: 'text/markdown',
  },
  {
    method: 'POST',
    path: '/api/runbooks/:slug/archive',
    tag: 'Runbooks',
    summary: 'Archive a runbook, or bring it back',
    access: MANAGERS,
    body: archiveBody,
  },
  {
    method: 'POST',
    path: '/api/runbooks/:slug/reviews',
    tag: 'Runbooks',
    summary: 'Mark the runbook reviewed, with an optional note; its next review falls due one interval later',
    access: MANAGERS,
    body: reviewBody,
    status: 201,
  },
  { method: 'POST', path: '/api/import', tag: 'Runbooks', summary: 'Import RUNBOOKS_DIR now', access: MANAGERS },
  {
    method: 'POST',
    path: '/api/imports',
    tag: 'Runbooks',
    summary: 'A document (Markdown, text, HTML, Word) as a draft runbook; saves nothing',
    access: MANAGERS,
    bodyType: 'application/octet-stream',
  },
  // People
  {
    method: 'GET',
    path: '/api/people',
    tag: 'People',
    summary: 'People, by name',
    access: TEAM,
    answer: answers.peopleAnswer,
    paged: true,
  },
  {
    method: 'POST',
    path: '/api/people',
    tag: 'People',
    summary: 'Add a person',
    access: MANAGERS,
    body: personBody,
    status: 201,
    answer: answers.personAnswer,
  },
  {
    method: 'GET',
    path: '/api/people/:id',
    tag: 'People',
    summary: 'One person',
    access: 'the team, and the person',
    answer: answers.personAnswer,
  },
  {
    method: 'PATCH',
    path: '/api/people/:id',
    tag: 'People',
    summary: 'Change a person (only the fields sent)',
    access: OWNERS,
    body: personPatch,
    answer: answers.personAnswer,
  },
  {
    method: 'GET',
    path: '/api/people/:id/assignments',
    tag: 'People',
    summary: 'A person’s open steps across open runs',
    access: 'the team, and the person',
    answer: answers.assignmentsAnswer,
    paged: true,
  },
  {
    method: 'POST',
    path: '/api/people/:id/invitation',
    tag: 'Access',
    summary: 'A single-use invitation link (7 days)',
    access: MANAGERS,
    status: 201,
  },
  {
    method: 'GET',
    path: '/api/people/:id/links',
    tag: 'Access',
    summary: 'A person’s personal link',
    access: 'owners; editors for outsourcers',
  },
  {
    method: 'POST',
    path: '/api/people/:id/links',
    tag: 'Access',
    summary: 'Make a personal link (ends the one before)',
    access: 'owners; editors for outsourcers',
    status: 201,
  },
  {
    method: 'POST',
    path: '/api/people/:id/links/:linkId/revoke',
    tag: 'Access',
    summary: 'Revoke a personal link',
    access: 'owners; editors for outsourcers',
  },
  {
    method: 'POST',
    path: '/api/people/:id/calendar',
    tag: 'Access',
    summary: 'Make a calendar address (iCalendar) for the person, replacing the one before',
    access: 'the person; owners for anyone; editors for anyone but an owner',
    status: 201,
    answer: answers.calendarAnswer,
  },
  {
    method: 'DELETE',
    path: '/api/people/:id/calendar',
    tag: 'Access',
    summary: 'Stop the person’s calendar address',
    access: 'the person; owners for anyone; editors for anyone but an owner',
    answer: answers.calendarRevokedAnswer,
  },
  {
    method: 'GET',
    path: '/api/people/:id/work.csv',
    tag: 'People',
    summary: 'The steps the person completed between two days as CSV, with estimates (and cost for owners and the person)',
    access: 'the team, and the person',
    query: workQuery,
    answerType: 'text/csv',
  },
  {
    method: 'POST',
    path: '/api/people/:id/sign-out-everywhere',
    tag: 'Access',
    summary: 'End all of a person’s sessions, link, tokens and calendar address',
    access: 'the person, and owners',
  },
  { method: 'GET', path: '/api/people/:id/away', tag: 'People', summary: 'A person’s absences', access: 'the team, and the person' },
  {
    method: 'POST',
    path: '/api/people/:id/away',
    tag: 'People',
    summary: 'Plan an absence (whole days)',
    access: 'owners and editors; a team member for themself',
    body: awayBody,
    status: 201,
  },
  {
    method: 'DELETE',
    path: '/api/people/:id/away/:awayId',
    tag: 'People',
    summary: 'Cancel an absence',
    access: 'owners and editors; a team member for themself',
  },
  {
    method: 'GET',
    path: '/api/people/:id/handoff',
    tag: 'People',
    summary: 'Preview a hand-off: the open steps it would move',
    access: 'owners and editors; a member for themself',
    query: previewQuery,
    paged: true,
  },
  {
    method: 'POST',
    path: '/api/people/:id/handoff',
    tag: 'People',
    summary: 'Hand off a person’s open steps',
    access: 'owners and editors; a member for themself',
    body: handOffBody,
  },
  {
    method: 'PUT',
    path: '/api/people/:id/notifications',
    tag: 'People',
    summary: 'Email each time or one daily digest',
    access: 'the person, and owners',
    body: notifyBody,
  },
  // Roles and gaps
  {
    method: 'GET',
    path: '/api/roles',
    tag: 'Roles',
    summary: 'Roles with their members (primary first)',
    access: TEAM,
    answer: answers.rolesAnswer,
    paged: true,
  },
  { method: 'POST', path: '/api/roles', tag: 'Roles', summary: 'Create a role', access: MANAGERS, body: roleBody, status: 201 },
  {
    method: 'POST',
    path: '/api/roles/:id/members',
    tag: 'Roles',
    summary: 'Add a person to a role',
    access: MANAGERS,
    body: memberBody,
    status: 201,
  },
  { method: 'DELETE', path: '/api/roles/:id/members/:personId', tag: 'Roles', summary: 'Take a person out of a role', access: MANAGERS },
  { method: 'GET', path: '/api/gaps', tag: 'Roles', summary: 'Counts and first pages of work that depends on nobody', access: MANAGERS },
  { method: 'GET', path: '/api/gaps/empty-roles', tag: 'Roles', summary: 'Roles nobody fills', access: MANAGERS, paged: true },
  {
    method: 'GET',
    path: '/api/gaps/unowned-steps',
    tag: 'Roles',
    summary: 'Runbook steps without an owner',
    access: MANAGERS,
    paged: true,
  },
  {
    method: 'GET',
    path: '/api/gaps/unassigned-steps',
    tag: 'Roles',
    summary: 'Open run steps nobody (active) has',
    access: MANAGERS,
    paged: true,
  },
  // You
  { method: 'GET', path: '/api/me', tag: 'You', summary: 'Who you are signed in as', access: 'anyone signed in', answer: answers.meAnswer },
  { method: 'GET', path: '/api/me/tokens', tag: 'You', summary: 'Your API tokens', access: 'anyone signed in' },
  {
    method: 'POST',
    path: '/api/me/tokens',
    tag: 'You',
    summary: 'Make an API token (from a browser session only)',
    access: 'anyone signed in with a password',
    body: tokenBody,
    status: 201,
  },
  { method: 'POST', path: '/api/me/tokens/:id/revoke', tag: 'You', summary: 'Revoke one of your tokens', access: 'anyone signed in' },
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
