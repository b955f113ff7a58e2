import express from 'express';
import type { Config } from './config';
import type { Db } from './db/open';
import { errorHandler, NotFoundError } from './http/errors';
import { groupCommit } from './db/group-commit';
import { forgetCachedRuns } from './runs/read';
import { runbookRoutes } from './runbooks/routes';
import { peopleRoutes } from './people/routes';
import { runRoutes } from './runs/routes';

export interface AppDeps {
  db: Db;
  config: Pick<Config, 'runbooksDir'>;
  log?: (error: unknown) => void;
}

/** Builds the app without listening, so tests drive it through supertest. */
export function createApp({ db, config, log }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Hashing every response body for an ETag costs more than building a run's JSON.
  app.set('etag', false);

  app.use(groupCommit(db, () => forgetCachedRuns(db)));

  const api = express.Router();
  api.use(express.json({ limit: '100kb' }));
  // Runs first: ticking and completing are by far the most frequent requests.
  api.use(runRoutes({ db }));
  api.use(runbookRoutes({ db, runbooksDir: config.runbooksDir }));
  api.use(peopleRoutes({ db }));
  api.use((req) => {
    throw new NotFoundError(`${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  app.get('/', (_req, res) => {
    res.type('text/plain').send('Runbook manager: the JSON API is under /api (see README.md).\n');
  });
  app.use(errorHandler(log));
  return app;
}
