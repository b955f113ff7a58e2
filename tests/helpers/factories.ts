import type { Db } from '../../server/db/open';
import { insertPerson, type PersonRow } from '../../server/people/repo';
import { insertRole, upsertRoleMember } from '../../server/people/roles-repo';
import { defaultLevel } from '../../server/people/lifecycle';
import { hashPassword } from '../../server/auth/passwords';
import type { Level } from '../../server/access/actor';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { saveVersion } from '../../server/runbooks/repo';

let counter = 0;

export function makePerson(
  db: Db,
  overrides: Partial<{
    name: string;
    email: string;
    kind: 'team' | 'outsourcer';
    hourlyCostCents: number | null;
    active: boolean;
    level: Level;
  }> = {},
): PersonRow {
  counter++;
  return insertPerson(db, {
    name: overrides.name ?? `Person ${counter}`,
    email: overrides.email ?? `person${counter}-${Date.now()}@example.com`,
    kind: overrides.kind ?? (overrides.level === 'outsourcer' ? 'outsourcer' : 'team'),
    hourlyCostCents: overrides.hourlyCostCents ?? null,
    active: overrides.active ?? true,
    level: overrides.level ?? defaultLevel(overrides.kind ?? 'team'),
  });
}

/** Gives a person a password they can sign in with (hashing at full cost: use sparingly). */
export async function givePassword(db: Db, personId: number, password: string): Promise<void> {
  db.prepare(
    `INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash`,
  ).run(personId, await hashPassword(password), new Date().toISOString());
}

/** A role filled by the given people, the first one primary. */
export function makeRole(db: Db, name: string, people: PersonRow[] = []) {
  const role = insertRole(db, name);
  people.forEach((person, i) => upsertRoleMember(db, role.id, person.id, i === 0));
  return role;
}

export interface StepSpec {
  title: string;
  owner?: string;
  estimate?: string;
  due?: string;
  optional?: boolean;
  checks?: string[];
  body?: string;
}

/** Markdown for a runbook in the canonical layout. */
export function runbookMarkdown(title: string, steps: StepSpec[], frontMatter: Record<string, string> = {}): string {
  const fm = [`title: ${title}`, ...Object.entries(frontMatter).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const blocks = steps.map((s) => {
    const head = [`## ${s.title}`];
    if (s.owner) head.push(`Owner: ${s.owner}`);
    if (s.estimate) head.push(`Estimate: ${s.estimate}`);
    if (s.due) head.push(`Due: ${s.due}`);
    if (s.optional) head.push('Optional: yes');
    const body = [s.body ?? '', ...(s.checks ?? []).map((c) => `- [ ] ${c}`)].filter((x) => x !== '').join('\n\n');
    return body ? `${head.join('\n')}\n\n${body}` : head.join('\n');
  });
  return `---\n${fm}\n---\n\nIntro for ${title}.\n\n${blocks.join('\n\n')}\n`;
}

/** Stores a runbook straight into the database (no HTTP), returning its slug. */
export function makeRunbook(db: Db, slug: string, markdown: string): string {
  const parsed = parseRunbook(markdown);
  if (!parsed.ok) throw new Error(`factory runbook does not parse: ${JSON.stringify(parsed.problems)}`);
  saveVersion(db, slug, markdown, parsed.runbook, { origin: 'api', createdBy: null });
  return slug;
}

/**
 * Ends every open run as a finish leaves it (no step open: a finished run's open steps are
 * closed), so that a test starts from a workspace with no open work.
 */
export function finishEveryRun(db: Db): void {
  db.exec("UPDATE runs SET status = 'complete'; UPDATE run_steps SET status = 'skipped' WHERE status = 'open'");
}
