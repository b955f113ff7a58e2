import { diffLines } from 'diff';

export type DiffRow =
  { kind: 'same' | 'added' | 'removed'; oldNo: number | null; newNo: number | null; text: string } | { kind: 'skip'; count: number };

export interface LineDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
}

/** Unchanged lines kept around each change; longer unchanged stretches fold into one row. */
const CONTEXT = 3;
/** Two very different long texts could take long to compare: give up rather than hold the server. */
const TIMEOUT_MS = 500;

const lines = (text: string) => {
  const normal = text.replace(/\r\n?/g, '\n');
  return normal.endsWith('\n') ? normal : `${normal}\n`;
};

/**
 * A line diff of two versions' Markdown, numbered on both sides, with long unchanged
 * stretches folded. Null when the texts are too different to compare in time.
 */
export function lineDiff(from: string, to: string): LineDiff | null {
  const changes = diffLines(lines(from), lines(to), { timeout: TIMEOUT_MS });
  if (!changes) return null;
  const all: Exclude<DiffRow, { kind: 'skip' }>[] = [];
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    const texts = change.value.replace(/\n$/, '').split('\n');
    for (const text of texts) {
      if (change.added) {
        all.push({ kind: 'added', oldNo: null, newNo: newNo++, text });
        added++;
      } else if (change.removed) {
        all.push({ kind: 'removed', oldNo: oldNo++, newNo: null, text });
        removed++;
      } else {
        all.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
      }
    }
  }
  // Keep unchanged lines within CONTEXT of a change; fold the rest.
  const keep = all.map((row) => row.kind !== 'same');
  all.forEach((row, i) => {
    if (row.kind === 'same') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(all.length - 1, i + CONTEXT); j++) keep[j] = true;
  });
  const rows: DiffRow[] = [];
  all.forEach((row, i) => {
    if (keep[i]) {
      rows.push(row);
      return;
    }
    const last = rows[rows.length - 1];
    if (last?.kind === 'skip') last.count++;
    else rows.push({ kind: 'skip', count: 1 });
  });
  return { rows, added, removed };
}
