import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../http/error-codes';
import { WEBHOOK_EVENTS } from '../webhooks/events';
import { STEP_STATUSES } from '../runs/repo';

/**
 * The shapes of answers that clients read most, as zod schemas: the OpenAPI description is made
 * from them, and the test suite checks real answers against that description. An answer may
 * carry more than is described (objects are open); what is described must be there.
 */

const id = z.number().int().positive();
const time = z.string().describe('an ISO 8601 time, UTC');
const next = z.string().nullable().describe('the address of the next page, or null after the last');
const level = z.enum(['owner', 'editor', 'member', 'outsourcer']);

export const errorAnswer = z.looseObject({
  error: z.looseObject({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    field: z.string().optional().describe('the input at fault: a body field, a query parameter, or path:line'),
  }),
});

export const healthAnswer = z.object({ status: z.enum(['ok', 'unavailable']) });

export const meAnswer = z.looseObject({
  id,
  name: z.string(),
  email: z.string(),
  level,
  via: z.enum(['session', 'token', 'link']),
  csrfToken: z.string().optional().describe('for a browser session: send it as X-CSRF-Token'),
});

const person = z.looseObject({
  id,
  name: z.string(),
  email: z.string(),
  kind: z.enum(['team', 'outsourcer']),
  level,
  hourlyCost: z.number().nullable().optional().describe('owners see everyone’s, others their own'),
  active: z.boolean(),
  notify: z.enum(['each', 'digest']),
  createdAt: time,
});
export const personAnswer = person;
export const peopleAnswer = z.looseObject({ people: z.array(person), next });

export const rolesAnswer = z.looseObject({
  roles: z.array(
    z.looseObject({
      id,
      name: z.string(),
      description: z.string(),
      members: z.array(z.looseObject({ person: z.looseObject({ id, name: z.string(), active: z.boolean() }), primary: z.boolean() })),
      gap: z.boolean(),
    }),
  ),
  next,
});

export const runbooksAnswer = z.looseObject({
  runbooks: z.array(
    z.looseObject({
      slug: z.string(),
      title: z.string(),
      category: z.string().nullable(),
      owner: z.string().nullable(),
      tags: z.array(z.string()),
      version: z.number().int(),
      stepCount: z.number().int(),
      archived: z.boolean(),
      updatedAt: time,
    }),
  ),
  next,
});

export const runsAnswer = z.looseObject({
  runs: z.array(
    z.looseObject({
      id,
      title: z.string(),
      status: z.enum(['open', 'complete']),
      runbook: z.looseObject({ slug: z.string(), title: z.string() }),
      startedAt: time,
      completedAt: time.nullable(),
      progress: z.looseObject({ steps: z.number().int(), done: z.number().int() }),
      nextDueAt: time.nullable(),
      overdue: z.boolean(),
    }),
  ),
  next,
});

export const assignmentsAnswer = z.looseObject({
  person: z.looseObject({ id, name: z.string() }),
  assignments: z.array(
    z.looseObject({
      run: z.looseObject({ id, title: z.string(), runbook: z.string() }),
      position: z.number().int(),
      title: z.string(),
      dueAt: time.nullable(),
      overdue: z.boolean(),
    }),
  ),
  next,
});

export const outboxAnswer = z.looseObject({
  emailConfigured: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  messages: z.array(
    z.looseObject({
      id,
      to: z.looseObject({ id, name: z.string(), email: z.string() }),
      kind: z.string(),
      subject: z.string(),
      body: z.string(),
      status: z.enum(['pending', 'digest', 'digested', 'sent', 'failed']),
      createdAt: time,
    }),
  ),
  next,
});

const webhook = z.object({ id, url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: time });
const delivery = z.object({
  id,
  event: z.enum(WEBHOOK_EVENTS),
  status: z.enum(['pending', 'delivered', 'failed']),
  createdAt: time,
  attempts: z.number().int(),
  lastAttemptAt: time.nullable(),
  nextAttemptAt: time.nullable(),
  lastStatus: z.number().int().nullable().describe('the receiver’s HTTP status at the last attempt, null when it did not answer'),
  lastAnswer: z.string().nullable().describe('the start of the receiver’s answer, or why nothing was sent'),
  body: z.string().describe('the JSON sent: { event, at, data }'),
});
export const webhooksAnswer = z.object({ events: z.array(z.enum(WEBHOOK_EVENTS)), webhooks: z.array(webhook) });
export const webhookCreatedAnswer = z.object({ webhook });
export const webhookAnswer = z.object({
  webhook,
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
});
export const deliveriesAnswer = z.object({ deliveries: z.array(delivery), next });
export const deliveryAnswer = z.object({ delivery });

const ref = z.looseObject({ id, name: z.string() });
const progress = z.looseObject({
  steps: z.number().int(),
  done: z.number().int(),
  required: z.number().int(),
  requiredDone: z.number().int(),
});
const check = z.looseObject({
  index: z.number().int(),
  text: z.string(),
  html: z.string().nullable().optional().describe('in a run’s JSON; not in a step action’s answer'),
  ticked: z.boolean(),
  tickedBy: ref.nullable(),
  tickedAt: time.nullable(),
});
const runStep = z.looseObject({
  position: z.number().int(),
  title: z.string(),
  owner: z.string().nullable(),
  role: ref.nullable(),
  assignee: ref.nullable(),
  optional: z.boolean(),
  estimateMinutes: z.number().int().nullable(),
  dueAt: time.nullable(),
  overdue: z.boolean(),
  status: z
    .enum(STEP_STATUSES)
    .describe('not-needed: its condition (When:) does not hold for this run; awaiting-approval: completed, waiting for its approver'),
  completedBy: ref.nullable(),
  completedAt: time.nullable(),
  note: z.string().nullable(),
  waiting: z
    .looseObject({ reason: z.string(), since: time, by: ref.nullable() })
    .nullable()
    .describe('an open step standing still for a reason outside the team; its due time keeps counting'),
  checks: z.array(check),
});

export const runAnswer = z.looseObject({
  id,
  title: z.string(),
  status: z.enum(['open', 'complete']),
  runbook: z.looseObject({
    slug: z.string(),
    title: z.string(),
    version: z.number().int(),
    intro: z.string().describe('the introduction (purpose, warnings) of the version the run started from, as Markdown'),
    introHtml: z.string().describe('the same, as sanitised HTML'),
  }),
  startedAt: time,
  startedBy: ref.nullable(),
  completedAt: time.nullable(),
  scheduledFor: time.nullable(),
  progress,
  steps: z.array(
    runStep.extend({
      body: z.string().optional(),
      bodyHtml: z.string().nullable().optional(),
      notes: z
        .array(z.looseObject({ at: time, by: ref.nullable(), note: z.string() }))
        .describe('the step’s newest 5 notes, oldest of them first (the rest are in the events)'),
      noteCount: z.number().int().describe('how many notes the step has in all'),
    }),
  ),
  events: z.array(
    z.looseObject({ id, kind: z.string(), at: time, actor: ref.nullable(), step: z.number().int().nullable(), data: z.looseObject({}) }),
  ),
  olderEvents: z.string().nullable().describe('the address of the older events, or null'),
});

export const stepAnswer = z.looseObject({
  run: z.looseObject({ id, status: z.enum(['open', 'complete']), completedAt: time.nullable(), progress }),
  step: runStep,
});

export const calendarAnswer = z.object({
  url: z.string().describe('the calendar address (…/calendar/<secret>.ics), shown only this once'),
  createdAt: time,
});

export const calendarRevokedAnswer = z.object({ revoked: z.literal(true) });
