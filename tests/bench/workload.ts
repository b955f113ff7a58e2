/**
 * A big workspace for the dependence page and the step-away simulator: 2,000 runbooks of 10
 * steps (two in five on a schedule), 20,000 runs over the last year (most complete, their steps
 * completed by the team and the owner), twelve people in six roles, two absences. Runbooks go
 * in through the store's saveVersion; runs and their steps are inserted directly (startRun for
 * 20,000 runs would write 200,000 notifications and take minutes): the bench measures reading.
 */
import { openDatabase, type Db } from '../../server/db/open';
import { migrate } from '../../server/db/migrate';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { saveVersion } from '../../server/runbooks/repo';
import { insertPerson } from '../../server/people/repo';
import { findRoleByName, insertRole, upsertRoleMember } from '../../server/people/roles-repo';
import { addAwayPeriod } from '../../server/people/absences';
import { createApiToken } from '../../server/auth/tokens';
import { createSession } from '../../server/auth/sessions';

export const RUNBOOKS = 2000;
export const RUNS = 20_000;
const STEPS = 10;
const ROLES = ['Owner', 'Bookkeeper', 'Operations lead', 'Fulfillment VA', 'Content VA', 'Customer support VA'];
const SCHEDULES = [
  '0 9 * * 1-5',
  '0 9 * * 1',
  '0 10 * * 4',
  '30 8 * * 2',
  '0 9 1 * *',
  '0 9 3 * *',
  '0 9 15 * *',
  '0 14 * * 5',
  '0 9 1,15 * *',
  '0 7 * * *',
  '0 16 * * 3',
  '0 9 1 */3 *',
];
const INCOMES = ['direct', 'indirect', 'none', null];
const DUES = ['same day', '+2h', '+1d', '+2d', null];

function runbookSource(n: number): string {
  const front = [`title: Workload runbook ${n}`, `owner: ${ROLES[n % ROLES.length]}`];
  const income = INCOMES[n % INCOMES.length];
  if (income) front.push(`income: ${income}`);
  if (n % 5 < 2) front.push(`schedule: "${SCHEDULES[n % SCHEDULES.length]}"`);
  const steps = Array.from({ length: STEPS }, (_, i) => {
    const head = [`## Step ${i + 1} of workload ${n}`, `Owner: ${ROLES[(n + i) % ROLES.length]}`];
    if ((n + i) % 9 !== 0) head.push(`Estimate: ${5 + ((n * 7 + i) % 12) * 5}m`);
    const due = DUES[(n + i) % DUES.length];
    if (due) head.push(`Due: ${due}`);
    if (i % 4 === 3) head.push(`Income: ${INCOMES[(n + i) % 3]}`);
    return `${head.join('\n')}\n\nDo step ${i + 1} as the house rules say.\n\n- [ ] Done properly`;
  });
  return `---\n${front.join('\n')}\n---\n\nA runbook for measuring the workload model.\n\n${steps.join('\n\n')}\n`;
}

function seedPeople(db: Db) {
  const person = (name: string, level: 'owner' | 'editor' | 'member' | 'outsourcer', cost: number | null) =>
    insertPerson(db, {
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      kind: level === 'outsourcer' ? 'outsourcer' : 'team',
      hourlyCostCents: cost,
      active: true,
      level,
    });
  const owner = person('Bench Owner', 'owner', 15000);
  const team = [
    person('Bea Books', 'member', 4500),
    person('Oscar Ops', 'editor', 3500),
    person('Vera VA', 'outsourcer', 1200),
    person('Carl Content', 'outsourcer', 1500),
    person('Sue Support', 'member', 2000),
    ...Array.from({ length: 6 }, (_, i) => person(`Helper ${i + 1}`, i % 2 ? 'member' : 'outsourcer', i % 3 ? 1800 : null)),
  ];
  ROLES.forEach((name, i) => {
    const role = findRoleByName(db, name) ?? insertRole(db, name);
    const primary = i === 0 ? owner : (team[i - 1] as (typeof team)[number]);
    upsertRoleMember(db, role.id, primary.id, true);
    // The owner backs up the money roles; helpers back up the rest.
    if (i === 1 || i === 2) upsertRoleMember(db, role.id, owner.id, false);
    else upsertRoleMember(db, role.id, (team[5 + i] as (typeof team)[number]).id, false);
  });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  addAwayPeriod(db, { personId: (team[0] as (typeof team)[number]).id, from: day(3), to: day(9), note: '', createdBy: owner.id });
  addAwayPeriod(db, { personId: (team[2] as (typeof team)[number]).id, from: day(10), to: day(12), note: '', createdBy: owner.id });
  return { owner, team };
}

function seedRuns(db: Db, peopleIds: number[], ownerId: number) {
  const versions = db.prepare('SELECT b.id AS runbook_id, b.current_version_id AS version_id FROM runbooks b ORDER BY b.id').all() as {
    runbook_id: number;
    version_id: number;
  }[];
  const steps = db.prepare('SELECT id, version_id, position, title, owner, estimate_minutes, optional FROM runbook_steps').all() as {
    id: number;
    version_id: number;
    position: number;
    title: string;
    owner: string | null;
    estimate_minutes: number | null;
    optional: number | null;
  }[];
  const byVersion = new Map<number, typeof steps>();
  for (const step of steps) byVersion.set(step.version_id, [...(byVersion.get(step.version_id) ?? []), step]);
  const roleIds = new Map((db.prepare('SELECT id, name FROM roles').all() as { id: number; name: string }[]).map((r) => [r.name, r.id]));
  const insertRun = db.prepare(
    `INSERT INTO runs (runbook_id, version_id, title, status, started_at, started_by, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStep = db.prepare(
    `INSERT INTO run_steps (run_id, position, runbook_step_id, title, owner, role_id, assignee_id, optional, estimate_minutes, due_at,
                            status, completed_by, completed_at, escalate_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const version = versions[(i * 7919) % versions.length] as (typeof versions)[number];
      const started = new Date(now - ((i * 104_729) % (365 * 1440)) * 60_000);
      const open = i % 10 === 0;
      const at = (minutes: number) => new Date(started.getTime() + minutes * 60_000).toISOString();
      const { lastInsertRowid } = insertRun.run(
        version.runbook_id,
        version.version_id,
        `Run ${i}`,
        open ? 'open' : 'complete',
        started.toISOString(),
        ownerId,
        open ? null : at(600),
      );
      for (const step of byVersion.get(version.version_id) ?? []) {
        const done = !open || step.position < 4;
        // A third of the steps are done by the owner, the rest by the team.
        const by = (i + step.position) % 3 === 0 ? ownerId : (peopleIds[(i + step.position) % peopleIds.length] as number);
        insertStep.run(
          lastInsertRowid,
          step.position,
          step.id,
          step.title,
          step.owner,
          roleIds.get(step.owner ?? '') ?? null,
          by,
          step.optional ?? 0,
          step.estimate_minutes,
          at(1440),
          done ? 'complete' : 'open',
          done ? by : null,
          done ? at(step.position * 30) : null,
          at(2880),
        );
      }
    }
  })();
}

/** The workspace in a fresh database file, with an owner's API token and session cookie. */
export function seedWorkloadDatabase(file: string) {
  const db = openDatabase(file);
  migrate(db);
  const { owner, team } = seedPeople(db);
  db.prepare("INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, 'unusable', ?)").run(
    owner.id,
    new Date().toISOString(),
  );
  db.transaction(() => {
    for (let n = 1; n <= RUNBOOKS; n++) {
      const source = runbookSource(n);
      const parsed = parseRunbook(source);
      if (!parsed.ok) throw new Error(`workload runbook ${n}: ${JSON.stringify(parsed.problems)}`);
      saveVersion(db, `workload-${n}`, source, parsed.runbook, { origin: 'api', createdBy: null });
    }
  })();
  seedRuns(
    db,
    team.map((p) => p.id),
    owner.id,
  );
  const { token } = createApiToken(db, owner.id, 'bench');
  const { cookie } = createSession(db, { personId: owner.id });
  db.close();
  return { token, cookie, ownerId: owner.id, bookkeeperId: (team[0] as (typeof team)[number]).id };
}
