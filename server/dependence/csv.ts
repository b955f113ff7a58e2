import { stringify } from 'csv-stringify/sync';
import type { Workload } from './workload';

const INCOME_WORDS = { direct: 'direct', indirect: 'indirect', none: 'none' } as const;

/**
 * The per-step table of the workload model as CSV (RFC 4180: quoted where needed, CRLF line
 * ends), for a spreadsheet. Text that a spreadsheet would run as a formula (=, +, -, @ at the
 * start) is prefixed with ' by csv-stringify's escape_formulas. A byte-order mark tells Excel
 * it is UTF-8. Costs only for viewers who may see them.
 */
export function workloadCsv(work: Workload, rates: Map<number, number | null> | null): string {
  const rows = work.steps.map((s) => {
    const rate = rates && s.assignee ? (rates.get(s.assignee.id) ?? null) : null;
    return {
      runbook: s.runbook.title,
      step: s.position,
      title: s.title,
      owner: s.owner ?? '',
      carriedBy: s.assignee?.name ?? 'nobody',
      income: s.income ? INCOME_WORDS[s.income] : '',
      estimate: s.estimateMinutes ?? '',
      runsPerMonth: Math.round(s.runbook.runsPerMonth * 100) / 100,
      minutesPerMonth: Math.round(s.minutesPerMonth),
      ...(rates ? { cost: rate === null ? '' : (Math.round((s.minutesPerMonth * rate) / 60) / 100).toFixed(2) } : {}),
      note: [s.estimateMinutes === null ? 'no estimate' : '', s.optional ? 'optional' : ''].filter(Boolean).join('; '),
    };
  });
  const columns = [
    { key: 'runbook', header: 'Runbook' },
    { key: 'step', header: 'Step' },
    { key: 'title', header: 'Step title' },
    { key: 'owner', header: 'Owner (role or person)' },
    { key: 'carriedBy', header: 'Carried by' },
    { key: 'income', header: 'Income potential' },
    { key: 'estimate', header: 'Estimate (minutes)' },
    { key: 'runsPerMonth', header: 'Runs a month' },
    { key: 'minutesPerMonth', header: 'Minutes a month' },
    ...(rates ? [{ key: 'cost', header: 'Cost a month' }] : []),
    { key: 'note', header: 'Note' },
  ];
  return stringify(rows, { header: true, columns, bom: true, record_delimiter: 'windows', escape_formulas: true });
}
