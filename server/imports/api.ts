import express, { Router } from 'express';
import type { Db } from '../db/open';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { convertFile, presentDraft } from './convert';
import { IMPORT_LIMIT_BYTES } from './source';

/**
 * POST /api/imports?filename=NAME with the document as the body: answers the draft and saves
 * nothing. Saving is PUT /api/runbooks/:slug with the draft's markdown.
 */
export function importRoutes({ db }: { db: Db }): Router {
  const router = Router();
  router.post('/imports', express.raw({ type: () => true, limit: IMPORT_LIMIT_BYTES }), async (req, res) => {
    authorize(requireActor(req), { action: 'runbook.write' });
    const name = typeof req.query.filename === 'string' ? req.query.filename.trim().slice(0, 255) : '';
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const draft = await convertFile(db, bytes, { filename: name === '' ? null : name, contentType: req.headers['content-type'] ?? null });
    res.json(presentDraft(draft));
  });
  return router;
}
