import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { dayInput, withoutBlanks } from '../http/validate';
import type { Paging } from '../http/paging';
import type { Actor } from '../access/actor';
import { can } from '../access/policy';
import { findRunbooksByName } from '../runbooks/search';
import { formatDate } from '../views/helpers/format-date';
import { runPage, type RunFilters } from './list';

/**
 * The Runs page: the newest runs with the filters people need once there are thousands
 * (status, runbook, assignee, overdue, started between two days), 50 at a time with a plain
 * link to the next 50. Days are entered with the browser's date picker or typed as people
 * write them ("3 Dec 2026"), and shown that way.
 */

const pageQuery = z.object({
  status: z.enum(['open', 'complete'], 'choose a status from the list').optional(),
  // The team types a runbook's name (or picks one from the choices); outsourcers pick from a list.
  runbook: z.string().trim().max(200).optional(),
  assignee: z.coerce.number('choose a person from the list').int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  overdue: z.enum(['true'], 'tick the box or leave it').optional(),
  from: dayInput.optional(),
  to: dayInput.optional(),
});

const STATUS_WORDS = { open: 'in progress', complete: 'complete' } as const;

/** Runbooks of the runs an outsourcer has steps in: the only ones whose names they may learn. */
function runbooksOf(db: Db, personId: number) {
  return sql(
    db,
    `SELECT b.slug, v.title FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id
      WHERE b.id IN (SELECT r.runbook_id FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.assignee_id = ?)
      ORDER BY v.title COLLATE NOCASE`,
  ).all(personId) as { slug: string; title: string }[];
}

export function runListPage(db: Db, paging: Paging, actor: Actor, query: Record<string, unknown>) {
  // Who sees whole runs may filter by anyone and any runbook; anyone else, by their own runs only.
  const team = can(actor, { action: 'runs.read-all' });
  const people = team
    ? (sql(db, 'SELECT id, name FROM people WHERE active = 1 ORDER BY name COLLATE NOCASE').all() as { id: number; name: string }[])
    : [];
  const runbookOptions = team ? [] : runbooksOf(db, actor.id);
  const base = { title: 'Runs', people, runbookOptions, team };
  const parsed = pageQuery.safeParse(withoutBlanks(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'status');
    return { status: 400, data: { ...base, values: query, errors: { [field]: issue?.message ?? 'check this field' }, runs: [] } };
  }
  const input = parsed.data;

  // The runbook as typed: its slug, else the one runbook whose title has those words.
  let runbook: { slug: string; title: string } | null = null;
  let runbookChoices: { slug: string; title: string; href: string }[] = [];
  let runbookUnknown = false;
  if (input.runbook) {
    const found = team ? findRunbooksByName(db, input.runbook) : runbookOptions.filter((r) => r.slug === input.runbook);
    const exact = found.find((r) => r.slug === input.runbook || r.title.toLowerCase() === input.runbook?.toLowerCase());
    if (exact || found.length === 1) runbook = exact ?? (found[0] as { slug: string; title: string });
    else if (found.length === 0) runbookUnknown = true;
    else {
      runbookChoices = found.map((r) => {
        const params = new URLSearchParams(
          Object.entries({ ...input, runbook: r.slug }).filter(([, v]) => v !== undefined) as [string, string][],
        );
        return { ...r, href: `/runs?${params}` };
      });
    }
  }

  const filters: RunFilters = {
    status: input.status,
    runbook: runbook?.slug,
    assignee: input.assignee,
    overdue: input.overdue,
    from: input.from,
    to: input.to,
  };
  // A name that matches no runbook, or several, shows no runs: never the runs of some other runbook.
  const page =
    runbookUnknown || runbookChoices.length > 0
      ? { runs: [], next: null, first: null }
      : runPage(db, paging, actor, query, filters, '/runs');
  const person = people.find((p) => p.id === input.assignee);
  const said = [
    input.status && STATUS_WORDS[input.status],
    runbook && `of “${runbook.title}”`,
    input.assignee !== undefined && `with a step of ${person?.name ?? (input.assignee === actor.id ? 'yours' : 'nobody here')}`,
    input.overdue && 'overdue',
    input.from && input.to
      ? `started ${formatDate(input.from)} to ${formatDate(input.to)}`
      : input.from
        ? `started on or after ${formatDate(input.from)}`
        : input.to && `started on or before ${formatDate(input.to)}`,
  ].filter(Boolean);
  const filtered = said.length > 0 || runbookUnknown || runbookChoices.length > 0;
  return {
    status: 200,
    data: {
      ...base,
      values: { ...input, runbook: runbook ? (team ? runbook.title : runbook.slug) : (input.runbook ?? '') },
      runs: page.runs,
      next: page.next,
      later: page.first !== null,
      start: page.first,
      filtered,
      summary: said.join(', '),
      runbookUnknown: runbookUnknown ? input.runbook : null,
      runbookChoices,
      csvHref: runbookUnknown || runbookChoices.length > 0 ? null : csvHref(filters),
    },
  };
}

/** The download of the runs these filters show, all of them (GET /api/runs.csv takes the same filters). */
function csvHref(filters: RunFilters): string {
  const params = new URLSearchParams(
    Object.entries(filters)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]),
  );
  const query = params.toString();
  return `/api/runs.csv${query ? `?${query}` : ''}`;
}
