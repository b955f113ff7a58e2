import { archiveBody, listQuery, reviewBody } from '../runbooks/api';
import * as answers from './responses';
import { type RouteDoc, MANAGERS, TEAM } from './route-doc';

/** Runbooks. */
export const RUNBOOK_ROUTES: RouteDoc[] = [
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
];
