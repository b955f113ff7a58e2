import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { renderInlineMarkdown, renderMarkdown, RENDERER_VERSION } from './render';

/**
 * A version's HTML (intro, step bodies, checks) is rendered the first time someone needs it
 * (a run starts, the runbook is read) and kept: versions never change. Importing a thousand
 * runbooks therefore renders nothing, and a run page never renders anything.
 */
export function ensureVersionHtml(db: Db, versionId: number): void {
  const steps = sql(db, 'SELECT id, body, checks FROM runbook_steps WHERE version_id = ? AND body_html IS NULL').all(versionId) as {
    id: number;
    body: string;
    checks: string;
  }[];
  const intro = sql(db, 'SELECT intro FROM runbook_versions WHERE id = ? AND intro_html IS NULL').get(versionId) as
    { intro: string } | undefined;
  if (steps.length === 0 && !intro) return;
  db.transaction(() => {
    if (intro) sql(db, 'UPDATE runbook_versions SET intro_html = ? WHERE id = ?').run(renderMarkdown(intro.intro), versionId);
    for (const step of steps) {
      const checks = (JSON.parse(step.checks) as string[]).map(renderInlineMarkdown);
      sql(db, 'UPDATE runbook_steps SET body_html = ?, checks_html = ? WHERE id = ?').run(
        renderMarkdown(step.body),
        JSON.stringify(checks),
        step.id,
      );
    }
  })();
}

/**
 * Stored HTML was made by some version of the renderer; when its rules change (say the
 * sanitiser allows less), stored HTML is rendered again: at once for versions that runs use
 * (run pages read it straight from the database), on first need for the rest.
 */
export function refreshStoredHtml(db: Db): void {
  const row = sql(db, "SELECT value FROM app_meta WHERE key = 'renderer_version'").get() as { value: string } | undefined;
  if (row?.value === RENDERER_VERSION) return;
  db.transaction(() => {
    sql(db, 'UPDATE runbook_versions SET intro_html = NULL').run();
    sql(db, 'UPDATE runbook_steps SET body_html = NULL, checks_html = NULL').run();
    for (const { version_id } of sql(db, 'SELECT DISTINCT version_id FROM runs').all() as { version_id: number }[]) {
      ensureVersionHtml(db, version_id);
    }
    sql(db, "INSERT INTO app_meta (key, value) VALUES ('renderer_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      RENDERER_VERSION,
    );
  })();
}
