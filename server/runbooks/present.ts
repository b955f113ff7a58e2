import type { Db } from '../db/open';
import { resolveOwner, type OwnerResolution } from '../people/owners';
import { effectiveOwner } from './format/model';
import { findVersion, listVersionSteps, type RunbookRow, type VersionRow } from './repo';
import type { LibraryRow } from './search';
import { ensureVersionHtml } from '../markdown/stored';
import type { FieldDef } from './format/fields';
import { presentReview } from './reviews';

const presentFieldDef = (f: FieldDef) => ({ name: f.name, type: f.type, options: f.options, required: f.required });

/** What goes over the wire for runbooks; the shapes the API documents. */

export function presentRunbookSummary(row: LibraryRow) {
  return {
    slug: row.slug,
    title: row.title,
    category: row.category,
    owner: row.owner,
    tags: JSON.parse(row.tags) as string[],
    income: row.income,
    schedule: row.schedule,
    review: presentReview(row.review, row),
    version: row.version,
    stepCount: row.step_count,
    estimateMinutes: row.estimate_minutes,
    archived: row.archived_at !== null,
    updatedAt: row.updated_at,
  };
}

function presentOwner(owner: OwnerResolution, name: string | null, source: 'step' | 'runbook' | null) {
  return {
    name,
    source,
    role: owner.kind === 'role' ? { id: owner.role.id, name: owner.role.name } : null,
    person: owner.kind === 'person' ? { id: owner.person.id, name: owner.person.name } : null,
    assignee: owner.kind === 'none' ? null : owner.assignee,
    gap: owner.kind === 'none' || owner.assignee === null,
  };
}

/** A version of a runbook as the API shows it, its HTML rendered first if nobody needed it yet. */
export function presentRunbook(db: Db, runbook: RunbookRow, versionId: number) {
  ensureVersionHtml(db, versionId);
  const version = findVersion(db, versionId) as VersionRow;
  const steps = listVersionSteps(db, versionId);
  // Steps mostly share a few owners: resolve each name once, not once per step.
  const owners = new Map<string, OwnerResolution>();
  const resolve = (name: string | null) => {
    const key = name?.toLowerCase() ?? '';
    const owner = owners.get(key) ?? resolveOwner(db, name);
    owners.set(key, owner);
    return owner;
  };
  return {
    slug: runbook.slug,
    title: version.title,
    category: version.category,
    owner: version.owner,
    tags: JSON.parse(version.tags) as string[],
    income: version.income,
    schedule: version.schedule,
    // A past version's page gives its own interval with the runbook's review dates.
    review: presentReview(version.review, runbook),
    version: version.number,
    versionCreatedAt: version.created_at,
    archived: runbook.archived_at !== null,
    intro: version.intro,
    introHtml: version.intro_html ?? '',
    fields: (JSON.parse(version.run_fields) as FieldDef[]).map(presentFieldDef),
    runTitle: version.run_title,
    estimateMinutes: steps.reduce((sum, s) => sum + (s.estimate_minutes ?? 0), 0),
    steps: steps.map((s) => {
      const ownerName = effectiveOwner(version, s);
      const checksHtml = JSON.parse(s.checks_html ?? '[]') as string[];
      return {
        position: s.position,
        title: s.title,
        owner: presentOwner(resolve(ownerName), ownerName, s.owner !== null ? 'step' : ownerName !== null ? 'runbook' : null),
        estimate: s.estimate,
        estimateMinutes: s.estimate_minutes,
        due: s.due,
        income: s.income,
        optional: s.optional === 1,
        body: s.body,
        bodyHtml: s.body_html ?? '',
        checks: (JSON.parse(s.checks) as string[]).map((text, index) => ({ index, text, html: checksHtml[index] ?? '' })),
        fields: (JSON.parse(s.fields) as FieldDef[]).map(presentFieldDef),
        when: s.condition,
        approval: s.approval,
      };
    }),
  };
}
