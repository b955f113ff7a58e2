import path from 'node:path';
import { Router, type Request } from 'express';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { NotFoundError } from '../http/errors';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { readableBy } from './access';
import { lineDiff } from './diff';
import { findVersion, hashSource } from './repo';
import { loadRunbook } from './slugs';
import { fileStates, importDirectory, importRunbookFile, readRunbookFile } from './import';
import { appEditMessage, appEditSinceImport } from './import-guard';

const STATE_LABELS = {
  new: 'New: importing creates the runbook',
  changed: 'Changed since the last import: importing adds a version',
  unchanged: 'Up to date',
  'changed-in-app': '',
} as const;

/**
 * The runbook files in RUNBOOKS_DIR (the files the server imports at start), for editors and
 * owners: what importing them would do, Import now, and for a runbook changed in the app since
 * its last import, the differences between its current version and the file with a button
 * that replaces it (the only way a file replaces an edit made in the app, besides --force).
 */
export function filePages({ db, views, runbooksDir }: { db: Db; views: Views; runbooksDir: string }): Router {
  const router = Router();

  const writer = (req: Request) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    return actor;
  };
  const shown = (file: string) => path.relative(runbooksDir, file) || file;

  router.get('/runbooks/import/files', (req, res) => {
    writer(req);
    const { files, problems } = fileStates(db, runbooksDir);
    views.render(res, 'runbooks/files', {
      title: 'Runbook files',
      folder: runbooksDir,
      imported: req.query.done === 'imported',
      files: files.map((f) => ({
        ...f,
        name: shown(f.path),
        kept: f.state === 'changed-in-app',
        label: f.state === 'changed-in-app' ? appEditMessage({ version: f.version as number }) : STATE_LABELS[f.state],
      })),
      toImport: files.some((f) => f.state === 'new' || f.state === 'changed'),
      problems: problems.map((p) => ({ name: shown(p.path), line: p.line, message: p.message })),
    });
  });

  router.post('/runbooks/import/files', (req, res) => {
    writer(req);
    importDirectory(db, runbooksDir);
    res.redirect(303, '/runbooks/import/files?done=imported');
  });

  router.get('/runbooks/:slug/file', (req, res) => {
    readableBy(req, req.params.slug);
    writer(req);
    const row = loadRunbook(db, req.params.slug);
    const current = findVersion(db, row.current_version_id);
    const file = readRunbookFile(runbooksDir, row.slug);
    if (!current || !file) throw new NotFoundError(`A file for "${req.params.slug}"`);
    const diff = lineDiff(current.source, file.source);
    const edit = appEditSinceImport(db, row.slug, hashSource(file.source));
    views.render(res, 'runbooks/file-diff', {
      title: `The file of ${current.title}`,
      slug: row.slug,
      runbookTitle: current.title,
      name: shown(file.path),
      version: current.number,
      edit: edit ? appEditMessage(edit) : null,
      identical: current.source_hash === hashSource(file.source),
      diff,
    });
  });

  router.post('/runbooks/:slug/file', (req, res) => {
    readableBy(req, req.params.slug);
    const actor = writer(req);
    const row = loadRunbook(db, req.params.slug);
    // The owner saw the differences and chose to replace: forced.
    const outcome = importRunbookFile(db, runbooksDir, row.slug, { force: true, by: actor.id });
    res.redirect(303, `/runbooks/${row.slug}?done=${outcome === 'unchanged' ? 'file-unchanged' : 'file-imported'}`);
  });

  return router;
}
