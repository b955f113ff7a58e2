import { expected, everyLink, SIGN_IN, t, owner, type Row } from './access-fixture';
import { createWebhook } from '../../server/webhooks/repo';

/** Rows of the access table for webhooks (owners only, never through a personal link) and the API's description (anyone signed in). */

// A public address written as digits: registering it needs no DNS answer in the test.
const PUBLIC_URL = 'https://93.184.215.14/hook';
const SECRET = 'access-table-secret-0123456789';

const webhook = () => createWebhook(t.db, { url: PUBLIC_URL, events: ['run.started'], secret: SECRET, createdBy: owner.id });
const kept = webhook();
const delivery = () =>
  Number(
    t.db
      .prepare(
        "INSERT INTO webhook_deliveries (webhook_id, event, body, status, created_at, attempts) VALUES (?, 'run.started', '{}', 'failed', ?, 7)",
      )
      .run(kept, new Date().toISOString()).lastInsertRowid,
  );

export const webhookRows: Row[] = [
  // The API's description: for anyone signed in, by any way in (it names routes, never data).
  {
    method: 'GET',
    route: '/api/openapi.json',
    call: () => ({ url: '/api/openapi.json' }),
    expected: expected(401, 200, 200, 200, 200),
    link: everyLink(200),
  },
  {
    method: 'GET',
    route: '/api/webhooks',
    call: () => ({ url: '/api/webhooks' }),
    expected: expected(401, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/api/webhooks',
    call: () => ({ url: '/api/webhooks', body: { url: PUBLIC_URL, events: ['run.completed'], secret: SECRET } }),
    expected: expected(401, 403, 403, 403, 201),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/webhooks/:id',
    call: () => ({ url: `/api/webhooks/${kept}` }),
    expected: expected(401, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'DELETE',
    route: '/api/webhooks/:id',
    call: () => ({ url: `/api/webhooks/${webhook()}` }),
    expected: expected(401, 403, 403, 403, 204),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/api/webhooks/:id/deliveries',
    call: () => ({ url: `/api/webhooks/${kept}/deliveries` }),
    expected: expected(401, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/api/webhooks/:id/deliveries/:deliveryId/retry',
    call: () => ({ url: `/api/webhooks/${kept}/deliveries/${delivery()}/retry` }),
    expected: expected(401, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/webhooks',
    call: () => ({ url: '/webhooks' }),
    expected: expected(SIGN_IN, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/webhooks',
    call: () => ({ url: '/webhooks', body: { url: PUBLIC_URL, events: 'step.completed', secret: SECRET } }),
    expected: expected(SIGN_IN, 403, 403, 403, [303, '/webhooks/']),
    link: everyLink(403),
  },
  {
    method: 'GET',
    route: '/webhooks/:id',
    call: () => ({ url: `/webhooks/${kept}` }),
    expected: expected(SIGN_IN, 403, 403, 403, 200),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/webhooks/:id/delete',
    call: () => ({ url: `/webhooks/${webhook()}/delete` }),
    expected: expected(SIGN_IN, 403, 403, 403, [303, '/webhooks?done=webhook-deleted']),
    link: everyLink(403),
  },
  {
    method: 'POST',
    route: '/webhooks/:id/deliveries/:deliveryId/retry',
    call: () => ({ url: `/webhooks/${kept}/deliveries/${delivery()}/retry` }),
    expected: expected(SIGN_IN, 403, 403, 403, [303, `/webhooks/${kept}?done=delivery-retried`]),
    link: everyLink(403),
  },
];
