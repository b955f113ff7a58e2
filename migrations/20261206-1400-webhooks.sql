-- Webhooks: addresses owners register to be told of events (server/webhooks/).
-- events is a JSON array of event names; the secret signs each delivery (HMAC), so it is kept
-- as given (a hash could not sign) and never shown again after it is saved.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES people (id)
);

-- One row per event per webhook, written in the same transaction as the change it tells of.
-- body is the exact JSON sent (signed afresh at each attempt); 'pending' rows are sent by the
-- worker from next_attempt_at on, 'delivered' got a 2xx answer, 'failed' after the last retry.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_attempt_at TEXT,
  last_status INTEGER,
  last_answer TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
