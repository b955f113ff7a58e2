import { Router } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';

/** The library: find, read, edit, version and start runbooks (pages). */
export function libraryPages(_deps: { db: Db; views: Views }): Router {
  return Router();
}
