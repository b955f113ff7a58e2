import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../server/db/open';
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate';
import { startRun } from '../../server/runs/start';
import { closeStepsLeftOpen } from '../../server/runs/complete-run';
import { waitingOnRole } from '../../server/people/gaps';
import { makeRunbook, makeRole, runbookMarkdown } from '../helpers/factories';
import { exportWorkspace } from '../../server/workspace/export';
import { importWorkspace } from '../../server/workspace/import';

/**
 * Counts of open steps read the step index alone, because an open step always belongs to an
 * open run. Runs that finished before 2026-12-06 could keep optional steps open; the migration
 * and the workspace import close them as a finish does now.
 */

const MIGRATION = '20261208-0200-close-steps-left-open.sql';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-left-open-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A run of two steps for the Packer role, finished the old way: its optional second step left open. */
function finishedTheOldWay(db: Db): { runId: number; open: number; stillOpenRun: number } {
  makeRole(db, 'Packer');
  makeRunbook(
    db,
    'pack',
    runbookMarkdown('Pack', [
      { title: 'Pack it', owner: 'Packer' },
      { title: 'Add a thank-you note', owner: 'Packer', optional: true },
    ]),
  );
  const runId = startRun(db, { runbook: 'pack', startedBy: null });
  const stillOpenRun = startRun(db, { runbook: 'pack', startedBy: null });
  const at = '2026-12-01T10:00:00.000Z';
  db.prepare("UPDATE run_steps SET status = 'complete', completed_at = ? WHERE run_id = ? AND position = 1").run(at, runId);
  db.prepare("UPDATE runs SET status = 'complete', completed_at = ? WHERE id = ?").run(at, runId);
  const open = db.prepare("SELECT id FROM run_steps WHERE run_id = ? AND status = 'open'").pluck().get(runId) as number;
  return { runId, open, stillOpenRun };
}

function expectClosedAsNotDone(db: Db, stepId: number, runId: number) {
  expect(db.prepare('SELECT status, completed_by, completed_at FROM run_steps WHERE id = ?').get(stepId)).toEqual({
    status: 'skipped',
    completed_by: null,
    completed_at: '2026-12-01T10:00:00.000Z',
  });
  expect(
    db.prepare('SELECT run_id, kind, actor_id, at FROM run_events WHERE run_step_id = ? ORDER BY id DESC LIMIT 1').get(stepId),
  ).toEqual({
    run_id: runId,
    kind: 'step.not-done',
    actor_id: null,
    at: '2026-12-01T10:00:00.000Z',
  });
}

test('the migration closes the steps finished runs left open, as "Not done" at the finish, and leaves open runs alone', () => {
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  for (const file of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && f < MIGRATION)) {
    fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(migrations, file));
  }
  const db = openDatabase(path.join(dir, 'db.sqlite'));
  migrate(db, migrations);
  const { runId, open, stillOpenRun } = finishedTheOldWay(db);
  const role = db.prepare("SELECT id FROM roles WHERE name = 'Packer'").pluck().get() as number;
  // Counted from the index alone, the left-open step would count as waiting.
  expect(waitingOnRole(db, role)).toBe(3);
  fs.copyFileSync(path.join(MIGRATIONS_DIR, MIGRATION), path.join(migrations, MIGRATION));
  expect(migrate(db, migrations)).toEqual([MIGRATION]);
  expectClosedAsNotDone(db, open, runId);
  expect(db.prepare("SELECT count(*) FROM run_steps WHERE run_id = ? AND status = 'open'").pluck().get(stillOpenRun)).toBe(2);
  expect(waitingOnRole(db, role)).toBe(2);
  db.close();
});

test('closing them again (a workspace import does) finds nothing more to close', () => {
  const db = openDatabase(path.join(dir, 'db.sqlite'));
  migrate(db);
  const { runId, open, stillOpenRun } = finishedTheOldWay(db);
  expect(closeStepsLeftOpen(db)).toBe(1);
  expectClosedAsNotDone(db, open, runId);
  expect(closeStepsLeftOpen(db)).toBe(0);
  expect(db.prepare("SELECT count(*) FROM run_steps WHERE run_id = ? AND status = 'open'").pluck().get(stillOpenRun)).toBe(2);
  db.close();
});

test('a workspace exported with such a step comes back with it closed', () => {
  const db = openDatabase(path.join(dir, 'db.sqlite'));
  migrate(db);
  const { runId, open } = finishedTheOldWay(db);
  exportWorkspace(db, path.join(dir, 'export'));
  db.close();
  const restored = openDatabase(path.join(dir, 'restored.sqlite'));
  migrate(restored);
  importWorkspace(restored, path.join(dir, 'export'));
  expectClosedAsNotDone(restored, open, runId);
  restored.close();
});
