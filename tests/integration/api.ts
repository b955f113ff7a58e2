import type { Response } from 'supertest';
import type { testApp } from '../helpers/app';

/** Shared by the HTTP integration tests: the app of one test file and short ways to drive it. */
export type TestApp = ReturnType<typeof testApp>;

/** Asserts the API's error shape: `{ error: { code, message, field? } }` with the given status. */
export function expectError(res: Response, status: number, code: string, field?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (field !== undefined) expect(res.body.error.field).toBe(field);
  return res.body.error as { code: string; message: string; field?: string; [key: string]: unknown };
}

export function putRunbook(app: TestApp, slug: string, markdown: string, query = '') {
  return app.http().put(`/api/runbooks/${slug}${query}`).set('Content-Type', 'text/markdown').send(markdown);
}

/** Starts a run and returns its JSON, failing the test if the start is refused. */
export async function startRun(app: TestApp, runbook: string, by: number, title = `Run of ${runbook}`) {
  const res = await app.http().post('/api/runs').send({ runbook, title, by });
  expect(res.status).toBe(201);
  return res.body as RunJson;
}

export async function getRun(app: TestApp, id: number) {
  const res = await app.http().get(`/api/runs/${id}`);
  expect(res.status).toBe(200);
  return res.body as RunJson;
}

export function stepAction(app: TestApp, runId: number, position: number, action: string, body: object) {
  return app.http().post(`/api/runs/${runId}/steps/${position}/${action}`).send(body);
}

export function checkAction(app: TestApp, runId: number, position: number, index: number, verb: 'tick' | 'untick', by: number) {
  return app.http().post(`/api/runs/${runId}/steps/${position}/checks/${index}/${verb}`).send({ by });
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
    status: 'open' | 'complete' | 'skipped';
    completedBy: { id: number; name: string } | null;
    completedAt: string | null;
    note: string | null;
    body: string;
    bodyHtml: string;
    checks: { index: number; text: string; html: string; ticked: boolean; tickedBy: { id: number; name: string } | null; tickedAt: string | null }[];
  }[];
  events: { id: number; kind: string; at: string; actor: { id: number; name: string } | null; step: number | null; data: Record<string, unknown> }[];
}
