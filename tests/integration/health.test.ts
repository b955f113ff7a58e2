import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { freshDb } from '../helpers/db';

/** GET /healthz: whether this server can serve, for a load balancer or a monitor, and nothing more. */

function app() {
  const fresh = freshDb();
  const runbooksDir = path.join(fresh.dir, 'runbooks');
  fs.mkdirSync(runbooksDir);
  return { ...fresh, app: createApp({ db: fresh.db, config: { runbooksDir, baseUrl: 'https://runbooks.test' }, log: () => {} }) };
}

test('answers 200 without sign-in, before set-up too, with nothing but its status, never cached', async () => {
  const s = app();
  try {
    const res = await request(s.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"ok"}');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await request(s.app).head('/healthz')).status).toBe(200);
  } finally {
    s.cleanup();
  }
});

test('answers 503 when the database lacks a migration this version brings (a restored older copy, say)', async () => {
  const s = app();
  try {
    s.db.prepare('DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)').run();
    const res = await request(s.app).get('/healthz');
    expect({ status: res.status, text: res.text }).toEqual({ status: 503, text: '{"status":"unavailable"}' });
  } finally {
    s.cleanup();
  }
});

test('answers 503 when the database holds a migration this version does not know (a newer copy)', async () => {
  const s = app();
  try {
    s.db.prepare("INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('99999999-9999-later.sql', '', '')").run();
    expect((await request(s.app).get('/healthz')).status).toBe(503);
  } finally {
    s.cleanup();
  }
});

test('answers 503 when the database does not answer', async () => {
  const s = app();
  s.cleanup();
  const res = await request(s.app).get('/healthz');
  expect({ status: res.status, text: res.text }).toEqual({ status: 503, text: '{"status":"unavailable"}' });
});
