import { csvDocument } from '../http/csv';
import type { Workload } from './workload';

const INCOME_WORDS = { direct: 'direct', indirect: 'indirect', none: 'none' } as const;

/**
 * The per-step table of the workload model as CSV, for a spreadsheet, through the one CSV
 * helper (server/http/csv.ts: RFC 4180, a byte order mark, formulas made harmless). It is as
 * long as the current catalog has steps, so it is written at once. Costs only for viewers who
 * may see them.
 */
export function workloadCsv(work: Workload, rates: Map<number, number | null> | null): string {
  const header = [
    'Runbook',
    'Step',
    'Step title',
    'Owner (role or person)',
    'Carried by',
    'Income potential',
    'Estimate (minutes)',
    'Runs a month',
    'Minutes a month',
    ...(rates ? ['Cost a month'] : []),
    'Note',
  ];
  const rows = work.steps.map((s) => {
    const rate = rates && s.assignee ? (rates.get(s.assignee.id) ?? null) : null;
    return [
      s.runbook.title,
      s.position,
      s.title,
      s.owner ?? '',
      s.assignee?.name ?? 'nobody',
      s.income ? INCOME_WORDS[s.income] : '',
      s.estimateMinutes ?? '',
      Math.round(s.runbook.runsPerMonth * 100) / 100,
      Math.round(s.minutesPerMonth),
      ...(rates ? [rate === null ? '' : (Math.round((s.minutesPerMonth * rate) / 60) / 100).toFixed(2)] : []),
      [s.estimateMinutes === null ? 'no estimate' : '', s.optional ? 'optional' : ''].filter(Boolean).join('; '),
    ];
  });
  return csvDocument(header, rows);
}
