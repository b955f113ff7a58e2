import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/open';
import type { Views } from '../views/engine';
import type { Paging } from '../http/paging';
import { type Actor, requireActor } from '../access/actor';
import { authorize, runViewer } from '../access/policy';
import { NotFoundError } from '../http/errors';
import { idParam, validate, withoutBlanks } from '../http/validate';
import { readableBy } from '../runbooks/access';
import { loadPerson } from '../people/load';
import { runbookDocument } from './build-runbook';
import { runDocument } from './build-run';
import { WORK_PAPER_LIST, workDocument } from './build-work';
import { printView } from './html';
import type { PrintDocument } from './model';
import { writePdf } from './pdf/writer';

const paperQuery = z.object({
  paper: z.enum(['a4', 'letter'], { error: 'choose a4 or letter' }).default('a4'),
});
const runbookQuery = paperQuery.extend({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'give a version number, such as 3')
    .transform(Number)
    .optional(),
});

/** Steps on one sheet or packet unless ?limit= says: a sheet carries a QR code per run, a packet every step's instructions. */
const PAPER_STEPS = 25;

interface Built {
  doc: PrintDocument;
  /** Query values the document's other addresses keep (a runbook's version). */
  keep?: Record<string, string>;
}

/**
 * Printable checklists: a runbook as a blank checklist, a run as it stands, a person's
 * assignment sheet and work packet, each as a print page and as a PDF (the same address
 * plus ".pdf"). Each answers exactly what the page it prints shows the viewer.
 */
export function printPages({ db, views, baseUrl, paging }: { db: Db; views: Views; baseUrl: string; paging: Paging }): Router {
  const router = Router();

  /** One document at `path` (the print page) and `path.pdf` (the download). */
  const serve = (path: string, build: (req: Request, actor: Actor, now: Date) => Built) => {
    const prepare = (req: Request) => {
      const actor = requireActor(req);
      // Who may see it first: a document someone may not see is "not found", whatever the query says.
      const built = build(req, actor, new Date());
      const { paper } = validate(paperQuery, withoutBlanks(req.query), 'query');
      return { ...built, paper };
    };
    router.get(path, (req, res) => {
      const { doc, paper, keep } = prepare(req);
      views.render(res, 'print/document', printView(doc, paper, req.path, keep), { layout: 'print' });
    });
    router.get(`${path}.pdf`, async (req, res) => {
      const { doc, paper } = prepare(req);
      const pdf = await writePdf(doc, paper);
      res.attachment(`${doc.filename}-${paper}.pdf`).type('application/pdf').send(pdf);
    });
  };

  // Runbooks are for the team: to anyone else the address shows nothing, as the runbook's page.
  serve('/runbooks/:slug/print', (req, _actor, now) => {
    const slug = req.params.slug as string;
    readableBy(req, slug);
    const { version } = validate(runbookQuery, withoutBlanks(req.query), 'query');
    return { doc: runbookDocument(db, slug, version ?? null, now), keep: version ? { version: String(version) } : undefined };
  });

  serve('/runs/:id/print', (req, actor, now) => {
    const runId = idParam(req.params.id as string);
    if (runId === null) throw new NotFoundError(`Run ${req.params.id}`);
    // As on the run page: the team sees the whole run, anyone else only their own steps of it.
    return { doc: runDocument(db, runId, runViewer(actor), baseUrl, now) };
  });

  const work =
    (kind: 'sheet' | 'packet', person: (req: Request, actor: Actor) => { id: number; name: string }, back: (id: number) => string) =>
    (req: Request, actor: Actor, now: Date): Built => {
      const who = person(req, actor);
      authorize(actor, { action: 'assignments.read', personId: who.id }, `Person ${who.id}`);
      // A page of their open steps at a time; the paper switch and the PDF keep the page.
      const page = paging.read(req.query, WORK_PAPER_LIST, {}, PAPER_STEPS);
      const doc = workDocument(db, { person: who, kind, baseUrl, backHref: back(who.id), now, page, paging, path: req.path });
      const keep = Object.fromEntries(
        (['limit', 'cursor'] as const).flatMap((name) =>
          typeof req.query[name] === 'string' && req.query[name] !== '' ? [[name, req.query[name]]] : [],
        ),
      ) as Record<string, string>;
      return { doc, keep };
    };
  // Someone's page's rules: the team may print anyone's, an outsourcer only their own.
  const personOf = (req: Request, actor: Actor) => loadPerson(db, req.params.id as string, actor);
  const self = (_req: Request, actor: Actor) => ({ id: actor.id, name: actor.name });
  for (const kind of ['sheet', 'packet'] as const) {
    serve(
      `/people/:id/${kind}`,
      work(kind, personOf, (id) => `/people/${id}`),
    );
    serve(
      `/my-work/${kind}`,
      work(kind, self, () => '/my-work'),
    );
  }

  return router;
}
