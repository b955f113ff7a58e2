import { freshDb } from '../helpers/db';
import { makeRunbook, runbookMarkdown } from '../helpers/factories';
import { startDueScheduledRuns } from '../../server/runs/scheduler';

const { db, cleanup } = freshDb();
afterAll(cleanup);

const setVersionTime = (slug: string, at: string) =>
  db.prepare('UPDATE runbook_versions SET created_at = ? WHERE runbook_id = (SELECT id FROM runbooks WHERE slug = ?)').run(at, slug);
const scheduledRuns = (slug: string) =>
  db
    .prepare(
      'SELECT r.title, r.scheduled_for, r.started_by FROM runs r JOIN runbooks b ON b.id = r.runbook_id WHERE b.slug = ? ORDER BY r.id',
    )
    .all(slug);

test('starts nothing before the first occurrence after the schedule was saved', () => {
  makeRunbook(db, 'daily', runbookMarkdown('Daily check', [{ title: 'Look' }], { schedule: '"0 9 * * *"' }));
  setVersionTime('daily', '2026-03-02T10:00:00.000Z');
  expect(startDueScheduledRuns(db, new Date('2026-03-02T23:00:00'))).toEqual([]);
  expect(scheduledRuns('daily')).toEqual([]);
});

test('starts one run for the newest missed occurrence, never a backlog, and never twice', () => {
  const now = new Date('2026-03-06T12:00:00');
  const started = startDueScheduledRuns(db, now);
  expect(started).toHaveLength(1);
  const runs = scheduledRuns('daily') as { title: string; scheduled_for: string; started_by: number | null }[];
  expect(runs).toHaveLength(1);
  expect(new Date(runs[0]!.scheduled_for).getTime()).toBe(new Date('2026-03-06T09:00:00').getTime());
  expect(runs[0]!.title).toBe('Daily check · 6 Mar 2026');
  expect(runs[0]!.started_by).toBeNull();
  expect(startDueScheduledRuns(db, now)).toEqual([]);
  expect(startDueScheduledRuns(db, new Date('2026-03-07T09:00:30'))).toHaveLength(1);
  expect(scheduledRuns('daily')).toHaveLength(2);
});

test('leaves archived runbooks and runbooks without a schedule alone', () => {
  makeRunbook(db, 'manual', runbookMarkdown('Manual only', [{ title: 'Do it' }]));
  setVersionTime('manual', '2026-01-01T00:00:00.000Z');
  makeRunbook(db, 'shelved', runbookMarkdown('Shelved', [{ title: 'Do it' }], { schedule: '"* * * * *"' }));
  setVersionTime('shelved', '2026-01-01T00:00:00.000Z');
  db.prepare("UPDATE runbooks SET archived_at = '2026-01-01T00:00:00.000Z' WHERE slug = 'shelved'").run();
  startDueScheduledRuns(db, new Date('2026-03-08T12:00:00'));
  expect(scheduledRuns('manual')).toEqual([]);
  expect(scheduledRuns('shelved')).toEqual([]);
});

test('names a run of a schedule that fires twice a day by its date and time, so the two differ', () => {
  makeRunbook(db, 'twice', runbookMarkdown('Pick list', [{ title: 'Print' }], { schedule: '"0 10,14 * * *"' }));
  setVersionTime('twice', '2026-03-10T00:00:00.000Z');
  startDueScheduledRuns(db, new Date('2026-03-10T11:00:00'));
  startDueScheduledRuns(db, new Date('2026-03-10T15:00:00'));
  const titles = (scheduledRuns('twice') as { title: string }[]).map((r) => r.title);
  expect(titles).toEqual(['Pick list · 10 Mar 2026, 10:00', 'Pick list · 10 Mar 2026, 14:00']);
});
