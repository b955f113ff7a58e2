import type { Db } from '../db/open';
import type { PageRequest, Paging } from '../http/paging';
import { ASSIGNMENT_LIST, assignmentCounts, assignmentKey, openStepRows } from '../people/assignments';
import { tally } from '../views/helpers/tally';
import { fileName, printedDate, when, type PrintDocument, type PrintGroup } from './model';
import { loadRun, runIntro, runStep } from './build-run';
import { qrFor } from './qr';

/** A sheet's or packet's steps are a list of their own: its cursors are not the assignments list's. */
export const WORK_PAPER_LIST = { ...ASSIGNMENT_LIST, name: 'print-work' } as const;

export interface WorkOptions {
  person: { id: number; name: string };
  /** sheet: every open step, short, with a QR code to each run; packet: the same steps with their full instructions. */
  kind: 'sheet' | 'packet';
  baseUrl: string;
  backHref: string;
  now: Date;
  /** Which steps: a page of the person's open steps (25 unless asked), and where the next page's print is. */
  page: PageRequest;
  paging: Paging;
  path: string;
}

/**
 * A person's open steps on paper, grouped by run, the run with the earliest due step first and
 * each run's steps earliest due first. Runs are read as the person would see them (only their
 * own steps), so an outsourcer's paper holds nothing of anyone else's, whoever prints it.
 * A page of steps at a time (as on their page): a year of open steps is many sheets, each
 * linking to the next, never one answer that grows with every run.
 */
export function workDocument(db: Db, { person, kind, baseUrl, backHref, now, page, paging, path }: WorkOptions): PrintDocument {
  const rows = openStepRows(db, person.id, page);
  const { items: assignments, next } = paging.page(rows, page, { ...WORK_PAPER_LIST, keyOf: assignmentKey }, { path });
  const order = new Map(assignments.map((a, i) => [`${a.run_id}:${a.position}`, i]));
  const runIds = [...new Set(assignments.map((a) => a.run_id))];
  const groups: PrintGroup[] = runIds.map((runId) => {
    const run = loadRun(db, runId, person.id, now);
    const url = `${baseUrl}/runs/${run.id}`;
    const steps = run.steps
      .filter((s) => order.has(`${run.id}:${s.position}`))
      .sort((a, b) => (order.get(`${run.id}:${a.position}`) ?? 0) - (order.get(`${run.id}:${b.position}`) ?? 0))
      .map((s) => runStep(s, () => kind === 'packet'));
    return {
      heading: run.title,
      lines: [`${run.runbook.title}, version ${run.runbook.version}`, `Started ${when(run.startedAt)}`],
      // A packet is an outsourcer's only view of the runbook: its purpose and warnings come with the work.
      intro: kind === 'packet' ? runIntro(run) : null,
      link: kind === 'sheet' ? { url, qr: qrFor(url) } : null,
      steps,
    };
  });
  const printed = printedDate(now);
  // Counted up to COUNT_CAP, as on their page: "1,000 or more" says as much as the exact figure.
  const counts = assignmentCounts(db, person.id, now.toISOString());
  const label = kind === 'sheet' ? 'Assignment sheet' : 'Work packet';
  const partial = page.after !== null || next !== null;
  const stepWord = (n: number) => (n === 1 ? 'step' : 'steps');
  return {
    kind,
    kindLabel: label,
    title: `${label} for ${person.name}`,
    header: `${label} · ${person.name} · printed ${printed}`,
    printedAt: printed,
    facts: [
      {
        label: 'Open steps',
        value: `${tally(counts.open)}${counts.overdue ? `, ${tally(counts.overdue)} overdue` : ''}, earliest due first`,
      },
      ...(partial
        ? [
            {
              label: 'On this paper',
              value: `${assignments.length} ${stepWord(assignments.length)}${page.after !== null ? ', after those of the papers before' : ', the earliest due'}${next ? '; more on the next paper' : ''}`,
            },
          ]
        : []),
    ],
    record: [],
    fillIn: [],
    intro: null,
    link: null,
    groups,
    empty: page.after === null ? `No open steps: nothing is waiting for ${person.name}.` : 'No more open steps.',
    filename: fileName(kind === 'sheet' ? 'assignment sheet' : 'work packet', person.name, ...(page.after !== null ? ['more'] : [])),
    backHref,
    backLabel: 'Back',
    next: next === null ? null : { href: next, label: `Next ${page.limit} ${stepWord(page.limit)}` },
  };
}
