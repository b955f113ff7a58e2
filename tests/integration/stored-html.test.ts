import { freshDb } from '../helpers/db';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { refreshStoredHtml } from '../../server/markdown/stored';
import { RENDERER_VERSION } from '../../server/markdown/render';
import { startRun } from '../../server/runs/start';

const { db, cleanup } = freshDb();
afterAll(cleanup);

const stepHtml = (slug: string) =>
  db
    .prepare(
      `SELECT s.body_html, s.checks_html FROM runbook_steps s JOIN runbooks b ON b.current_version_id = s.version_id
        WHERE b.slug = ? ORDER BY s.position`,
    )
    .all(slug) as { body_html: string | null; checks_html: string | null }[];

const vera = makePerson(db, { name: 'Vera' });
makeRunbook(db, 'used', runbookMarkdown('Used', [{ title: 'Pack', body: 'Use **tape**.', checks: ['Box *sealed*'] }]));
makeRunbook(db, 'unused', runbookMarkdown('Unused', [{ title: 'Wait' }]));

test('saving a version renders nothing; starting a run renders and keeps its HTML', () => {
  expect(stepHtml('used')).toEqual([{ body_html: null, checks_html: null }]);
  startRun(db, { runbook: 'used', title: 'Order 1', startedBy: vera.id });
  expect(stepHtml('used')).toEqual([
    { body_html: expect.stringContaining('<strong>tape</strong>'), checks_html: JSON.stringify(['Box <em>sealed</em>']) },
  ]);
});

test('a new renderer version renders again what runs use and clears the rest', () => {
  db.prepare("UPDATE runbook_steps SET body_html = '<p>stale</p>' WHERE body_html IS NOT NULL").run();
  db.prepare("INSERT INTO app_meta (key, value) VALUES ('renderer_version', 'old') ON CONFLICT (key) DO UPDATE SET value = 'old'").run();
  makeRunbook(db, 'unused', runbookMarkdown('Unused', [{ title: 'Wait', body: 'changed' }]));
  refreshStoredHtml(db);
  expect(stepHtml('used')[0]?.body_html).toContain('<strong>tape</strong>');
  expect(stepHtml('unused')).toEqual([{ body_html: null, checks_html: null }]);
  expect(db.prepare("SELECT value FROM app_meta WHERE key = 'renderer_version'").get()).toEqual({ value: RENDERER_VERSION });
});
