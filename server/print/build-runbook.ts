import type { Db } from '../db/open';
import { NotFoundError } from '../http/errors';
import { loadRunbook } from '../runbooks/slugs';
import { dueLabel } from '../runbooks/page-model';
import { presentRunbook } from '../runbooks/present';
import { findVersion, findVersionByNumber } from '../runbooks/repo';
import { minutes } from '../views/helpers/minutes';
import { checksMatchBody, fileName, printedDate, type PrintDocument, type PrintStep } from './model';

type Presented = ReturnType<typeof presentRunbook>;

/** "Packer (Vera VA fills it now)": the role the file names and who would get the step today. */
function ownerText(owner: Presented['steps'][number]['owner']): string {
  if (owner.name === null) return 'No owner named';
  if (owner.gap) return `${owner.name} (nobody to do it yet)`;
  if (owner.role) return `${owner.name} (${owner.assignee?.name} fills it now)`;
  return owner.name;
}

/**
 * A runbook (its current version, or the one asked for) as a blank checklist for working on
 * paper: every step with its owner, due time and checks, and blanks for who did it and when.
 */
export function runbookDocument(db: Db, slug: string, versionNumber: number | null, now: Date): PrintDocument {
  const row = loadRunbook(db, slug);
  const version = versionNumber === null ? findVersion(db, row.current_version_id) : findVersionByNumber(db, row.id, versionNumber);
  if (!version) throw new NotFoundError(`Version ${versionNumber} of runbook "${row.slug}"`);
  const rb = presentRunbook(db, row, version.id);
  const printed = printedDate(now);
  const steps: PrintStep[] = rb.steps.map((s) => {
    const body = { markdown: s.body, html: s.bodyHtml };
    const checks = s.checks.map((c) => ({ text: c.text, html: c.html, ticked: false, tickedBy: null }));
    return {
      position: s.position,
      title: s.title,
      optional: s.optional,
      state: 'blank',
      owner: ownerText(s.owner),
      due: dueLabel(s.due),
      overdue: false,
      estimate: minutes(s.estimateMinutes) || null,
      finished: null,
      note: null,
      waiting: null,
      notes: [],
      olderNotes: null,
      fields: s.fields.map((field) => ({ name: field.name, value: null })),
      approval: s.approval ? `To be approved by ${s.approval}` : null,
      notNeeded: null,
      body: s.body.trim() === '' ? null : body,
      checks,
      checksInBody: checksMatchBody(body, checks),
    };
  });
  const facts = [
    { label: 'Version', value: `${rb.version}${version.id === row.current_version_id ? '' : ' (not the current one)'}` },
    ...(rb.owner ? [{ label: 'Accountable', value: rb.owner }] : []),
    { label: 'Steps', value: `${steps.length}${rb.estimateMinutes ? `, about ${minutes(rb.estimateMinutes)} in all` : ''}` },
  ];
  return {
    kind: 'runbook',
    kindLabel: 'Checklist',
    title: rb.title,
    header: `${rb.title} · version ${rb.version} · printed ${printed}`,
    printedAt: printed,
    facts,
    record: rb.fields.map((field) => ({ name: field.name, value: null })),
    fillIn: ['Run (order, month…)', 'Started on', 'Started by'],
    intro: rb.intro.trim() === '' ? null : { markdown: rb.intro, html: rb.introHtml },
    link: null,
    groups: [{ heading: null, lines: [], intro: null, link: null, steps }],
    empty: 'This runbook has no steps.',
    filename: fileName(row.slug, `v${rb.version}`),
    backHref: `/runbooks/${row.slug}`,
    backLabel: 'Back to the runbook',
  };
}
