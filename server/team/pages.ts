import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { accessPages } from './access-pages';
import { peoplePages } from './people-pages';
import { rolePages } from './role-pages';

/** People and roles: directory, a person's page, role membership, invitations and links (pages). */
export function teamPages(deps: { db: Db; views: Views; publicUrl: string | null }): Router {
  const router = Router();
  router.use(peoplePages(deps));
  router.use(accessPages(deps));
  router.use(rolePages(deps));
  return router;
}
