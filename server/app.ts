import crypto from 'node:crypto';
import path from 'node:path';
import express from 'express';
import type { Config } from './config';
import type { Db } from './db/open';
import { errorHandler, NotFoundError, NotSavedError } from './http/errors';
import { groupCommit } from './db/group-commit';
import { databaseHealth } from './db/health';
import { requestLog, type Logger } from './http/log';
import { cursorKey } from './db/meta';
import { createPaging } from './http/paging';
import { csrfProtection } from './http/csrf';
import { apiHeaders, noStore, pageHeaders } from './http/headers';
import { pageLocals } from './views/page-locals';
import { authenticate } from './auth/authenticate';
import { setupGate } from './auth/gate';
import { auditLinkUse } from './auth/link-use';
import { DEFAULT_LINK_DAYS, type LinkSettings } from './auth/links';
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
import { filePages } from './runbooks/file-pages';
import { peoplePages } from './people/pages';
import { accessPages } from './people/access-pages';
import { rolePages } from './people/roles-pages';
import { auditPages } from './audit/pages';
import { printPages } from './print/pages';
import { delegationPages } from './delegation/pages';
import { notifyPages } from './notify/pages';
import { tellInvited, tellPasswordReset } from './notify/compose-account';
import { resetPages } from './auth/reset-pages';
import { dependenceRoutes } from './dependence/api';
import { forgetCatalog } from './dependence/repo';
import { dependencePages } from './dependence/pages';
import { importRoutes } from './imports/api';
import { importBodies, importPages } from './imports/pages';
import { webhookRoutes } from './webhooks/api';
import { webhookPages } from './webhooks/pages';
import { openApiRoutes } from './openapi/api';
import { calendarRoutes } from './people/calendar-api';
import { workRoutes } from './people/work-csv';
import { workPages } from './people/work-pages';
import { calendarPages } from './people/calendar-pages';
import { calendarFeed } from './calendar/pages';

export interface AppConfig
  extends Pick<Config, 'runbooksDir'>, Partial<Pick<Config, 'trustProxy' | 'smtpUrl' | 'linkDays' | 'webhooksAllowPrivate'>> {
  /**
   * The address every link the app makes starts with (answers, pages, QR codes): PUBLIC_URL,
   * or the address the server listens on. Never taken from a request's Host header.
   */
  baseUrl: string;
  /** The server's key (server/auth/secrets.ts, loadKeyFile); a fresh random one when not given. */
  key?: Buffer;
}

export interface AppDeps {
  db: Db;
  config: AppConfig;
  log?: (error: unknown) => void;
  /** Where the one line per request goes (server/http/log.ts); none in tests that do not look. */
  logger?: Logger;
  views?: Views;
}

/** Builds the app without listening, so tests drive it through supertest. */
export function createApp({ db, config, log, logger, views = createViews() }: AppDeps): express.Express {
  const key = config.key ?? crypto.randomBytes(32);
  const links: LinkSettings = { key, days: config.linkDays ?? DEFAULT_LINK_DAYS };
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  // Invitations are emailed through the outbox: people/ gets the function (it does not import notify/).
  const site = { baseUrl, links, invited: tellInvited, emailConfigured: Boolean(config.smtpUrl) };
  const allowPrivate = config.webhooksAllowPrivate ?? false;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy ?? false);
  // Hashing every response body for an ETag costs more than building a run's JSON.
  app.set('etag', false);

  // One instance of each, shared by the API and the pages: a batch's transaction must be
  // one, whichever chain a request goes through.
  const handleError = errorHandler(log, views);
  const commit = groupCommit(db, {
    onRollback: () => {
      forgetCachedRuns(db);
      forgetCatalog(db);
    },
    // A lost commit is answered by the one error handler, like any other failure.
    onFailure: (req, res, cause) => {
      (log ?? console.error)(cause);
      handleError(new NotSavedError(), req, res, () => {});
    },
  });
  const who = authenticate(db, links);
  const linkUse = auditLinkUse(db);
  const gate = setupGate(db);
  // Every list that grows is read a page at a time, its cursors signed with the database's key.
  const paging = createPaging(cursorKey(db));

  if (logger) app.use(requestLog(logger));

  // For a load balancer, a container or a monitor: no sign-in, before set-up too, and nothing
  // told but whether this server can serve (the database answers, its migrations are current).
  const healthy = databaseHealth(db);
  app.get('/healthz', (_req, res) => {
    const ok = healthy();
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ok ? 'ok' : 'unavailable' });
  });

  // Calendar programs read a person's calendar by its secret address: they cannot sign in.
  app.use(calendarFeed({ db, baseUrl }));

  // The API first, with only what JSON requests need: each layer a request passes costs it.
  const api = express.Router();
  api.use(apiHeaders());
  api.use(commit, who, gate);
  api.use(express.json({ limit: '100kb' }));
  api.use(csrfProtection({ api: true, key }), linkUse);
  // Runs first: ticking and completing are by far the most frequent requests.
  api.use(runRoutes({ db, paging }));
  api.use(runbookRoutes({ db, runbooksDir: config.runbooksDir, paging }));
  api.use(importRoutes({ db }));
  api.use(peopleRoutes({ db, paging }));
  api.use(accessRoutes({ db, baseUrl, links, invited: tellInvited }));
  api.use(calendarRoutes({ db, baseUrl }));
  api.use(workRoutes({ db }));
  api.use(roleRoutes({ db, paging }));
  api.use(absenceRoutes({ db }));
  api.use(meRoutes({ db }));
  api.use(auditRoutes({ db, paging }));
  api.use(delegationRoutes({ db, paging }));
  api.use(dependenceRoutes({ db }));
  api.use(notifyRoutes({ db, site, emailConfigured: Boolean(config.smtpUrl), paging }));
  api.use(webhookRoutes({ db, paging, allowPrivate }));
  api.use(openApiRoutes({ baseUrl }));
  api.use((req) => {
    throw new NotFoundError(`${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  app.use(pageHeaders());
  // The assets are public and the same for everyone: cached. Everything after them is not.
  app.use('/assets', express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1h', index: false }));
  app.use(noStore);
  app.use(commit, who, gate);
  // The import page's upload and draft form are read before the CSRF check, which reads their token.
  app.use('/runbooks/import', importBodies());
  // Large enough for the editor's Markdown (the API takes up to 512 kB of it).
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(csrfProtection({ api: false, key }), linkUse);
  app.use(pageLocals({ linkDays: links.days }));
  app.use(authPages({ db, views, key, links }));
  app.use(resetPages({ db, views, key, tell: tellPasswordReset }));
  app.use(homePages({ db, views, paging }));
  app.use(runPages({ db, views, paging }));
  app.use(importPages({ db, views }));
  app.use(filePages({ db, views, runbooksDir: config.runbooksDir }));
  app.use(libraryPages({ db, views, paging }));
  app.use(peoplePages({ db, views, site, paging }));
  app.use(accessPages({ db, views, site }));
  app.use(workPages({ db }));
  app.use(calendarPages({ db, views, baseUrl }));
  app.use(rolePages({ db, views, paging }));
  app.use(absencePages({ db }));
  app.use(auditPages({ db, views, paging }));
  app.use(delegationPages({ db, views, paging }));
  app.use(notifyPages({ db, views, site, emailConfigured: Boolean(config.smtpUrl), paging }));
  app.use(webhookPages({ db, views, paging, allowPrivate }));
  app.use(dependencePages({ db, views }));
  app.use(accountPages({ db, views }));
  app.use(printPages({ db, views, baseUrl, paging }));
  app.use((req) => {
    throw new NotFoundError(`The page ${req.path}`);
  });
  app.use(handleError);
  return app;
}
