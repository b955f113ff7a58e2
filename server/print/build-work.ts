import type { Db } from '../db/open';
import { listAssignments } from '../people/assignments';
import { fileName, printedDate, when, type PrintDocument, type PrintGroup } from './model';
import { loadRun, runIntro, runStep } from './build-run';
import { qrFor } from './qr';

export interface WorkOptions {
  person: { id: number; name: string };
  /** sheet: every open step, short, with a QR code to each run; packet: the same steps with their full instructions. */
  kind: 'sheet' | 'packet';
  baseUrl: string;
  backHref: string;
  now: Date;
}

/**
 * A person's open steps on paper, grouped by run, the run with the earliest due step first and
 * each run's steps earliest due first. Runs are read as the person would see them (only their
 * own steps), so an outsourcer's paper holds nothing of anyone else's, whoever prints it.
 */
export function workDocument(db: Db, { person, kind, baseUrl, backHref, now }: WorkOptions): PrintDocument {
  const assignments = listAssignments(db, person.id);
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
  const overdue = groups.flatMap((g) => g.steps).filter((s) => s.overdue).length;
  const label = kind === 'sheet' ? 'Assignment sheet' : 'Work packet';
  return {
    kind,
    kindLabel: label,
    title: `${label} for ${person.name}`,
    header: `${label} · ${person.name} · printed ${printed}`,
    printedAt: printed,
    facts: [{ label: 'Open steps', value: `${assignments.length}${overdue ? `, ${overdue} overdue` : ''}, earliest due first` }],
    record: [],
    fillIn: [],
    intro: null,
    link: null,
    groups,
    empty: `No open steps: nothing is waiting for ${person.name}.`,
    filename: fileName(kind === 'sheet' ? 'assignment sheet' : 'work packet', person.name),
    backHref,
    backLabel: 'Back',
  };
}
