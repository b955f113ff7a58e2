import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { listRoles, stepsOwnedBy } from './roles-repo';

/**
 * Where work depends on nobody: roles no active person fills (with the runbook steps that
 * name them), current steps with no owner at all, and open run steps nobody is assigned to.
 */
export function listGaps(db: Db) {
  const emptyRoles = listRoles(db).filter((role) => role.is_gap === 1);
  const unowned = sql(
    db,
    `SELECT b.slug, v.title AS runbook_title, s.position, s.title
         FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
         JOIN runbook_steps s ON s.version_id = v.id
        WHERE b.archived_at IS NULL AND s.owner IS NULL AND v.owner IS NULL
        ORDER BY v.title COLLATE NOCASE, s.position`,
  ).all() as { slug: string; runbook_title: string; position: number; title: string }[];
  const unassigned = sql(
    db,
    `SELECT r.id AS run_id, r.title AS run_title, s.position, s.title, s.owner, s.due_at
         FROM run_steps s JOIN runs r ON r.id = s.run_id
         LEFT JOIN people p ON p.id = s.assignee_id
        WHERE r.status = 'open' AND s.status = 'open' AND (s.assignee_id IS NULL OR p.active = 0)
        ORDER BY s.due_at IS NULL, s.due_at, r.id, s.position`,
  ).all() as { run_id: number; run_title: string; position: number; title: string; owner: string | null; due_at: string | null }[];

  const stepRef = (s: { slug: string; runbook_title: string; position: number; title: string }) => ({
    runbook: s.slug,
    runbookTitle: s.runbook_title,
    position: s.position,
    title: s.title,
  });
  return {
    emptyRoles: emptyRoles.map((role) => ({
      id: role.id,
      name: role.name,
      steps: stepsOwnedBy(db, role.name).map(stepRef),
    })),
    unownedSteps: unowned.map(stepRef),
    unassignedRunSteps: unassigned.map((s) => ({
      run: s.run_id,
      runTitle: s.run_title,
      position: s.position,
      title: s.title,
      owner: s.owner,
      dueAt: s.due_at,
    })),
  };
}
