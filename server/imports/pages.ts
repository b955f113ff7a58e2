import express, { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import { AppError, BadRequestError } from '../http/errors';
import { requireActor } from '../access/actor';
import { authorize } from '../access/policy';
import { listRoles } from '../people/roles-repo';
import { slugProblem } from '../runbooks/slugs';
import { readPageForm } from './choices';
import { draftOf, saveDraft } from './convert';
import { draftPage, startPage } from './page-model';
import { IMPORT_LIMIT_BYTES, IMPORT_LIMIT_LABEL, readDocument, readPasted, type DocumentKind } from './source';

const PATH = '/runbooks/import';
const TOO_LARGE = `The file is larger than the limit of ${IMPORT_LIMIT_LABEL}. Split it into smaller documents, or paste a part of it.`;

/**
 * The bodies of the import page, read before the CSRF check so that the check can read the
 * form's token: an upload (multipart) up to the stated limit, and the draft form, which
 * carries the document it adjusts (so it may be larger than other forms). A file over the
 * limit is not an error here: the page says so beside the file field.
 */
export function importBodies(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: IMPORT_LIMIT_BYTES, files: 1, fields: 40, fieldSize: 4 * IMPORT_LIMIT_BYTES, parts: 50 },
  }).single('file');
  const form = express.urlencoded({ extended: false, limit: 12 * IMPORT_LIMIT_BYTES, parameterLimit: 5000 });
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.actor) return next();
    if (!req.is('multipart/form-data')) return form(req, res, next);
    upload(req, res, (error?: unknown) => {
      if (error instanceof multer.MulterError) {
        res.locals.uploadProblem = error.code === 'LIMIT_FILE_SIZE' ? TOO_LARGE : `The upload could not be read (${error.message}).`;
        req.body ??= {};
        return next();
      }
      next(error);
    });
  };
}

/** The import page: paste or upload, see the draft beside the original, adjust it, save. Plain forms throughout. */
export function importPages({ db, views }: { db: Db; views: Views }): Router {
  const router = Router();

  const writer = (req: Request) => {
    const actor = requireActor(req);
    authorize(actor, { action: 'runbook.write' });
    return actor;
  };

  router.get(PATH, (req, res) => {
    writer(req);
    views.render(res, 'imports/start', { ...startPage(), values: { text: '' } });
  });

  router.post(PATH, async (req, res) => {
    const actor = writer(req);
    const form = readPageForm(req.body);
    res.locals.formView = 'imports/start';
    res.locals.formData = startPage();
    if (res.locals.uploadProblem) throw new AppError(413, 'document-too-large', res.locals.uploadProblem as string, 'file');
    const roles = listRoles(db).map((r) => r.name);

    if (form.intent === 'convert' || form.document === null) {
      const file = (req as Request & { file?: Express.Multer.File }).file;
      let read: { kind: DocumentKind; markdown: string; notes: string[] };
      let filename: string | null = null;
      if (file && file.size > 0) {
        filename = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 255);
        read = await beside('file', () => readDocument(file.buffer, { filename, contentType: file.mimetype }));
      } else if (form.text.trim() !== '') {
        if (Buffer.byteLength(form.text) > IMPORT_LIMIT_BYTES)
          throw new AppError(413, 'document-too-large', TOO_LARGE.replace('file', 'text'), 'text');
        read = readPasted(form.text);
      } else {
        throw new BadRequestError('Choose a file, or paste the text of your procedure.', file ? 'file' : 'text', 'empty-document');
      }
      const draft = draftOf(db, read.markdown, filename, {}, read.notes);
      views.render(
        res,
        'imports/draft',
        draftPage({ draft, document: read.markdown, filename, kind: read.kind, form: null, roles, slug: draft.slug }),
      );
      return;
    }

    const draft = draftOf(db, form.document, form.filename, form.options);
    const slug = form.slug || draft.slug;
    const model = draftPage({ draft, document: form.document, filename: form.filename, kind: null, form, roles, slug });
    if (form.intent === 'save') {
      res.locals.formView = 'imports/draft';
      res.locals.formData = model;
      db.transaction(() => {
        const problem = slugProblem(db, slug);
        if (problem) throw new AppError(422, 'invalid-slug', problem, 'slug');
        saveDraft(db, slug, draft.markdown, actor.id);
      })();
      res.redirect(303, `/runbooks/${slug}?done=imported`);
      return;
    }
    views.render(res, 'imports/draft', model);
  });

  return router;
}

/** Runs a read whose refusal names the document, and puts the refusal beside the form's field. */
async function beside<T>(field: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.field === 'document')
      throw new AppError(error.status, error.code, error.message, field, error.details);
    throw error;
  }
}
