import type { Db } from '../db/open';
import { renderInlineMarkdown, renderMarkdown, RENDERER_VERSION } from './render';

/** The HTML kept beside a step's Markdown: its body, and each check as inline HTML. */
export function renderStep(step: { body: string; checks: string[] }) {
  return { bodyHtml: renderMarkdown(step.body), checksHtml: JSON.stringify(step.checks.map(renderInlineMarkdown)) };
}

/**
 * Stored HTML was made by some version of the renderer; when the sanitising rules change,
 * everything is rendered again so no page keeps serving HTML the new rules would refuse.
 */
export function refreshStoredHtml(db: Db): number {
  const row = db.prepare("SELECT value FROM app_meta WHERE key = 'renderer_version'").get() as { value: string } | undefined;
  if (row?.value === RENDERER_VERSION) return 0;
  return db.transaction(() => {
    const versions = db.prepare('SELECT id, intro FROM runbook_versions').all() as { id: number; intro: string }[];
    const setIntro = db.prepare('UPDATE runbook_versions SET intro_html = ? WHERE id = ?');
    for (const v of versions) setIntro.run(renderMarkdown(v.intro), v.id);
    const steps = db.prepare('SELECT id, body, checks FROM runbook_steps').all() as { id: number; body: string; checks: string }[];
    const setStep = db.prepare('UPDATE runbook_steps SET body_html = ?, checks_html = ? WHERE id = ?');
    for (const s of steps) {
      const html = renderStep({ body: s.body, checks: JSON.parse(s.checks) as string[] });
      setStep.run(html.bodyHtml, html.checksHtml, s.id);
    }
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('renderer_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      RENDERER_VERSION,
    );
    return versions.length;
  })();
}
