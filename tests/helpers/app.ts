import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app';
import { freshDb } from './db';

/** An app on a fresh database with its own (empty) runbooks folder. */
export function testApp() {
  const { db, dir, cleanup } = freshDb();
  const runbooksDir = path.join(dir, 'runbooks');
  fs.mkdirSync(runbooksDir);
  const errors: unknown[] = [];
  const app = createApp({ db, config: { runbooksDir }, log: (error) => errors.push(error) });
  return { app, db, dir, runbooksDir, errors, cleanup, http: () => request(app) };
}
