import path from 'node:path';
import express from 'express';
import type { Config } from './config';
import type { Db } from './db/open';
import { errorHandler, NotFoundError } from './http/errors';
import { groupCommit } from './db/group-commit';
import { cursorKey } from './db/meta';
import { createPaging } from './http/paging';
import { csrfProtection } from './http/csrf';
import { apiHeaders, pageHeaders } from './http/headers';
import { pageLocals } from './views/page-locals';
import { authenticate } from './auth/authenticate';
import { forgetTokenActors } from './auth/token-actors';
import { setupGate } from './auth/gate';
import { authPages } from './auth/pages';
import { accessRoutes } from './people/access-api';
import { meRoutes } from './auth/api';
import { auditRoutes } from './audit/api';
import { roleRoutes } from './people/roles-api';
import { absenceRoutes } from './people/absences-api';
import { absencePages } from './people/absences-pages';
import { runbookRoutes } from './runbooks/api';
import { peopleRoutes } from './people/api';
import { runRoutes } from './runs/api';
import { delegationRoutes } from './delegation/api';
import { notifyRoutes } from './notify/api';
import { forgetCachedRuns } from './runs/cache';
import { createViews, VIEWS_DIR, type Views } from './views/engine';
import { homePages } from './home/pages';
import { accountPages } from './auth/account-pages';
import { runPages } from './runs/pages';
import { libraryPages } from './runbooks/pages';
import { peoplePages } from './people/pages';
import { accessPages } from './people/access-pages';
import { rolePages } from './people/roles-pages';
import { auditPages } from './audit/pages';
import { printPages } from './print/pages';
import { delegationPages } from './delegation/pages';
import { notifyPages } from './notify/pages';

export interface AppDeps {
  db: Db;
  config: Pick<Config, 'runbooksDir'> & Partial<Pick<Config, 'trustProxy' | 'publicUrl' | 'smtpUrl'>>;
  log?: (error: unknown) => void;
  views?: Views;
}

/** Builds the app without listening, so tests drive it through supertest. */
export function createApp({ db, config, log, views = createViews() }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy ?? false);
  // Hashing every response body for an ETag costs more than building a run's JSON.
  app.set('etag', false);

  // One instance of each, shared by the API and the pages: a batch's transaction must be
  // one, whichever chain a request goes through.
  const commit = groupCommit(db, () => {
    forgetCachedRuns(db);
    forgetTokenActors(db);
  });
  const who = authenticate(db);
  const gate = setupGate(db);
  // Every list that grows is read a page at a time, its cursors signed with the database's key.
  const paging = createPaging(cursorKey(db));

  // The API first, with only what JSON requests need: each layer a request passes costs it.
  const api = express.Router();
  api.use(apiHeaders());
  api.use(commit, who, gate);
  api.use(express.json({ limit: '100kb' }));
  api.use(csrfProtection({ api: true }));
  // Runs first: ticking and completing are by far the most frequent requests.
  api.use(runRoutes({ db, paging }));
  api.use(runbookRoutes({ db, runbooksDir: config.runbooksDir, paging }));
  api.use(peopleRoutes({ db, paging }));
  api.use(accessRoutes({ db, publicUrl: config.publicUrl ?? null }));
  api.use(roleRoutes({ db, paging }));
  api.use(absenceRoutes({ db }));
  api.use(meRoutes({ db }));
  api.use(auditRoutes({ db, paging }));
  api.use(delegationRoutes({ db }));
  api.use(notifyRoutes({ db, publicUrl: config.publicUrl ?? null, emailConfigured: Boolean(config.smtpUrl), paging }));
  api.use((req) => {
    throw new NotFoundError(`${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  app.use(pageHeaders());
  app.use('/assets', express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1h', index: false }));
  app.use(commit, who, gate);
  // Large enough for the editor's Markdown (the API takes up to 512 kB of it).
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(csrfProtection({ api: false }));
  app.use(pageLocals());
  app.use(authPages({ db, views }));
  app.use(homePages({ db, views, paging }));
  app.use(runPages({ db, views, paging }));
  app.use(libraryPages({ db, views, paging }));
  app.use(peoplePages({ db, views, publicUrl: config.publicUrl ?? null, paging }));
  app.use(accessPages({ db, views, publicUrl: config.publicUrl ?? null }));
  app.use(rolePages({ db, views, paging }));
  app.use(absencePages({ db }));
  app.use(auditPages({ db, views, paging }));
  app.use(delegationPages({ db, views }));
  app.use(notifyPages({ db, views, publicUrl: config.publicUrl ?? null, emailConfigured: Boolean(config.smtpUrl), paging }));
  app.use(accountPages({ db, views }));
  app.use(printPages({ db, views, publicUrl: config.publicUrl ?? null }));
  app.use((req) => {
    throw new NotFoundError(`The page ${req.path}`);
  });
  app.use(errorHandler(log, views));
  return app;
}
