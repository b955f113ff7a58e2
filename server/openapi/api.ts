import { Router } from 'express';
import { requireActor } from '../access/actor';
import { openApiDocument } from './document';

/**
 * GET /api/openapi.json: for anyone signed in, whatever their level or way in (it names routes
 * and shapes, never data); like every /api route, not for anonymous callers.
 */
export function openApiRoutes({ baseUrl }: { baseUrl: string }): Router {
  const router = Router();
  const body = JSON.stringify(openApiDocument(baseUrl));
  router.get('/openapi.json', (req, res) => {
    requireActor(req);
    res.type('application/json').send(body);
  });
  return router;
}
