import { createApiToken } from '../../server/auth/tokens';
import type { Response } from 'supertest';
import type { testApp } from '../helpers/app';
import { SESSION_COOKIE } from '../../server/auth/sessions';

/** Shared by the HTTP integration tests: the app of one test file and short ways to drive it. */
export type TestApp = ReturnType<typeof testApp>;

/** A person, or their id: whoever a request acts as. */
export type Who = number | { id: number };

/** Asserts the API's error shape: `{ error: { code, message, field? } }` with the given status. */
export function expectError(res: Response, status: number, code: string, field?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (field !== undefined) expect(res.body.error.field).toBe(field);
  return res.body.error as { code: string; message: string; field?: string; [key: string]: unknown };
}

/** PUTs a runbook as `as` (the owner unless named): that person is the version's author. */
export function putRunbook(app: TestApp, slug: string, markdown: string, as: Who = app.owner) {
  return app.asPerson(as).put(`/api/runbooks/${slug}`).set('Content-Type', 'text/markdown').send(markdown);
}

/** Starts a run as `by` and returns its JSON, failing the test if the start is refused. */
export async function startRun(app: TestApp, runbook: string, by: Who, title = `Run of ${runbook}`) {
  const res = await app.asPerson(by).post('/api/runs').send({ runbook, title });
  expect(res.status).toBe(201);
  return res.body as RunJson;
}

/** The whole run, read by the owner (who sees every step). */
export async function getRun(app: TestApp, id: number) {
  const res = await app.http().get(`/api/runs/${id}`);
  expect(res.status).toBe(200);
  return res.body as RunJson;
}

/** `complete`, `reopen`, `skip` or `reassign` on a step, acting as `as`. */
export function stepAction(app: TestApp, runId: number, position: number, action: string, as: Who, body: object = {}) {
  return app.asPerson(as).post(`/api/runs/${runId}/steps/${position}/${action}`).send(body);
}

export function checkAction(app: TestApp, runId: number, position: number, index: number, verb: 'tick' | 'untick', as: Who) {
  return app.asPerson(as).post(`/api/runs/${runId}/steps/${position}/checks/${index}/${verb}`).send({});
}

/** Headers of a token its person had (tokens are made at a browser) and then revoked through the API. */
export async function revokedToken(app: TestApp, who: Who): Promise<Record<string, string>> {
  const made = createApiToken(app.db, typeof who === 'number' ? who : who.id, 'soon revoked');
  await app.asPerson(who).post(`/api/me/tokens/${made.row.id}/revoke`).expect(200);
  return { Authorization: `Bearer ${made.token}` };
}

/**
 * Every way a request can fail to say who is asking, with the 401 code the API must answer:
 * nothing at all, a session cookie the server never issued, an Authorization header that is
 * not a Bearer token, a token nobody was given, a revoked token, and a token whose person is
 * inactive (`inactive` must be a person made inactive who still holds an unrevoked token).
 */
export async function unauthenticated(app: TestApp, inactive: Who): Promise<[string, Record<string, string>, string][]> {
  return [
    ['no credentials', {}, 'sign-in-required'],
    ['a session cookie nobody issued', { Cookie: `${SESSION_COOKIE}=forged-session` }, 'sign-in-required'],
    ['a Basic Authorization header', { Authorization: 'Basic YWRtaW46YWRtaW4=' }, 'invalid-token'],
    ['a token nobody was given', { Authorization: 'Bearer rbk_no-such-token-was-ever-made' }, 'invalid-token'],
    ['a revoked token', await revokedToken(app, app.owner), 'invalid-token'],
    ["an inactive person's token", app.as(inactive), 'invalid-token'],
  ];
}

/** Asserts a 401 with the given code, saying which way of (not) signing in was refused. */
export function expectUnauthenticated(res: Response, name: string, code: string) {
  expect({ credentials: name, status: res.status, code: res.body?.error?.code }).toEqual({ credentials: name, status: 401, code });
}

export interface RunJson {
  id: number;
  title: string;
  status: 'open' | 'complete';
  runbook: { slug: string; title: string; version: number };
  startedAt: string;
  startedBy: { id: number; name: string } | null;
  completedAt: string | null;
  progress: { steps: number; done: number; required: number; requiredDone: number };
  steps: {
    position: number;
    title: string;
    owner: string | null;
    role: { id: number; name: string } | null;
    assignee: { id: number; name: string } | null;
    optional: boolean;
    estimateMinutes: number | null;
    dueAt: string | null;
    overdue: boolean;
    status: 'open' | 'complete' | 'skipped' | 'not-done';
    completedBy: { id: number; name: string } | null;
    completedAt: string | null;
    note: string | null;
    body: string;
    bodyHtml: string;
    checks: {
      index: number;
      text: string;
      html: string;
      ticked: boolean;
      tickedBy: { id: number; name: string } | null;
      tickedAt: string | null;
    }[];
  }[];
  events: {
    id: number;
    kind: string;
    at: string;
    actor: { id: number; name: string } | null;
    step: number | null;
    data: Record<string, unknown>;
  }[];
}
