import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createApiToken } from '../../server/auth/tokens';
import { freshDb } from './db';
import { makePerson } from './factories';

type Who = number | { id: number };

/** The address test apps build their links with (links never come from a request's Host). */
export const BASE_URL = 'https://runbooks.test';

/**
 * An app on a fresh database with its own (empty) runbooks folder, already set up: it has
 * an owner (`t.owner`). `t.as(person)` gives the headers that act as that person (a Bearer
 * token made once per person); `t.http()` acts as the owner, `t.anonymous()` as nobody.
 */
export function testApp(options: { webhooksAllowPrivate?: boolean } = {}) {
  const { db, dir, cleanup } = freshDb();
  const runbooksDir = path.join(dir, 'runbooks');
  fs.mkdirSync(runbooksDir);
  const errors: unknown[] = [];
  const key = crypto.randomBytes(32);
  /** How this app makes personal links (its key, LINK_DAYS): for tests that make one directly. */
  const links = { key, days: 30 };
  const app = createApp({ db, config: { runbooksDir, baseUrl: BASE_URL, key, ...options }, log: (error) => errors.push(error) });

  const owner = makePerson(db, { name: 'Olive Owner', email: 'owner@example.com', level: 'owner' });
  // Set-up is done once an owner has a password; this one is never used to sign in.
  db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)").run(
    owner.id,
    new Date().toISOString(),
  );

  const tokens = new Map<number, string>();
  const as = (who: Who) => {
    const id = typeof who === 'number' ? who : who.id;
    let token = tokens.get(id);
    if (!token) {
      token = createApiToken(db, id, 'test').token;
      tokens.set(id, token);
    }
    return { Authorization: `Bearer ${token}` };
  };
  const agent = (headers: Record<string, string>) => request.agent(app).set(headers);

  return {
    app,
    db,
    dir,
    key,
    links,
    runbooksDir,
    errors,
    cleanup,
    owner,
    as,
    http: () => agent(as(owner)),
    /** Requests acting as someone: `t.asPerson(vera).post(...)`. */
    asPerson: (who: Who) => agent(as(who)),
    anonymous: () => request(app),
  };
}
