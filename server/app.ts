import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import type { Db } from './db/open';
import { errorHandler, NotFoundError } from './http/errors';
import { groupCommit } from './db/group-commit';
import { csrfProtection } from './http/csrf';
import { pageLocals } from './http/page-locals';
import { authenticate } from './auth/authenticate';
import { forgetTokenActors } from './auth/token-actors';
import { setupGate } from './auth/gate';
import { authPages } from './auth/pages';
import { accessRoutes } from './access/routes';
import { runbookRoutes } from './runbooks/routes';
import { peopleRoutes } from './people/routes';
import { runRoutes } from './runs/routes';
import { delegationRoutes } from './delegation/routes';
import { notifyRoutes } from './notify/routes';
import { forgetCachedRuns } from './runs/cache';
import { createViews, VIEWS_DIR, type Views } from './views/engine';
import { homePages } from './home/pages';
import { accountPages } from './account/pages';
import { runPages } from './runs/pages';
import { libraryPages } from './library/pages';
import { teamPages } from './team/pages';
import { printPages } from './print/routes';
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

  // Pages get every header helmet has, the CSP above all (no inline script). JSON is never
  // rendered as a document, so the API gets the headers that mean something for it (and the
  // strictest CSP): setting all thirteen on every response cost a fifth of a small request.
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'https:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Many small businesses run this on a plain-HTTP address in the office; upgrading
        // every request to HTTPS there would break every stylesheet and script.
        'upgrade-insecure-requests': null,
      },
    },
  });
  const apiHeaders = helmet({
    // Nothing in a JSON answer may load or run anything, wherever it ends up.
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    crossOriginEmbedderPolicy: false, crossOriginOpenerPolicy: false, originAgentCluster: false,
    xDnsPrefetchControl: false, xDownloadOptions: false, xFrameOptions: false, xPermittedCrossDomainPolicies: false, xXssProtection: false,
  });
  app.use((req, res, next) => (req.path.startsWith('/api/') ? apiHeaders(req, res, next) : pageHeaders(req, res, next)));
  app.use('/assets', express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1h', index: false }));
  app.use(
    groupCommit(db, () => {
      forgetCachedRuns(db);
      forgetTokenActors(db);
    }),
  );
  app.use(authenticate(db));
  app.use(setupGate(db));
  app.use('/api', express.json({ limit: '100kb' }));
  // Forms are for pages; the API takes JSON only.
  // Large enough for the editor's Markdown (the API takes up to 512 kB of it).
  const formParser = express.urlencoded({ extended: false, limit: '1mb' });
  app.use((req, res, next) => (req.path === '/api' || req.path.startsWith('/api/') ? next() : formParser(req, res, next)));
  app.use(csrfProtection());

  const api = express.Router();
  // Runs first: ticking and completing are by far the most frequent requests.
  api.use(runRoutes({ db }));
  api.use(runbookRoutes({ db, runbooksDir: config.runbooksDir }));
  api.use(peopleRoutes({ db }));
  api.use(accessRoutes({ db, publicUrl: config.publicUrl ?? null }));
  api.use(delegationRoutes({ db }));
  api.use(notifyRoutes({ db, publicUrl: config.publicUrl ?? null, emailConfigured: Boolean(config.smtpUrl) }));
  api.use((req) => {
    throw new NotFoundError(`${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  app.use(pageLocals());
  app.use(authPages({ db, views }));
  app.use(homePages({ db, views }));
  app.use(runPages({ db, views }));
  app.use(libraryPages({ db, views }));
  app.use(teamPages({ db, views, publicUrl: config.publicUrl ?? null }));
  app.use(delegationPages({ db, views }));
  app.use(notifyPages({ db, views, publicUrl: config.publicUrl ?? null, emailConfigured: Boolean(config.smtpUrl) }));
  app.use(accountPages({ db, views }));
  app.use(printPages({ db, views, publicUrl: config.publicUrl ?? null }));
  app.use((req) => {
    throw new NotFoundError(`The page ${req.path}`);
  });
  app.use(errorHandler(log, views));
  return app;
}
