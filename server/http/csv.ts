import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV downloads (RFC 4180, UTF-8 with a byte order mark so that spreadsheet programs read the
 * accents right, a header row, CRLF line ends). Every cell is text a user typed somewhere, so
 * one a spreadsheet would take as a formula (starting with =, +, -, @, a tab or a carriage
 * return) is prefixed with an apostrophe: it shows as typed and never runs.
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const csvLines = (rows: unknown[][]) =>
  stringify(
    rows.map((row) => row.map(safeCell)),
    { record_delimiter: '\r\n' },
  );

/**
 * Streams a CSV download chunk by chunk: `next(after)` returns the rows after a cursor (and
 * the cursor of its last row), so a huge export never sits in memory, and the database is not
 * held between chunks (better-sqlite3 cannot run other queries while one is being iterated).
 */
export async function sendCsv<C>(
  res: Response,
  filename: string,
  header: string[],
  next: (after: C | null) => { rows: unknown[][]; last: C | null },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]+/g, '-')}"`);
  res.write(`\uFEFF${csvLines([header])}`);
  let after: C | null = null;
  for (;;) {
    const chunk = next(after);
    if (chunk.rows.length > 0 && !res.write(csvLines(chunk.rows))) {
      await new Promise<void>((resolve) => res.once('drain', resolve));
    }
    if (chunk.last === null || res.destroyed) break;
    after = chunk.last;
  }
  res.end();
}
