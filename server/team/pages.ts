import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';

/** People and roles: directory, a person's page, role membership, invitations and links (pages). */
export function teamPages(_deps: { db: Db; views: Views; publicUrl: string | null }): Router {
  return Router();
}
