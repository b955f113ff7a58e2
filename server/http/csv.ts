import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/**
 * Every CSV the app sends goes through here (RFC 4180: a header row, fields quoted where needed,
 * CRLF line ends; UTF-8 with a byte order mark so that spreadsheet programs read the accents
 * right), written by csv-stringify.
 *
 * Cells are text people typed somewhere (a run's title, a step's), so one a spreadsheet would
 * take as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with an
 * apostrophe: it shows as typed and never runs. Numbers the app itself counted are numbers,
 * not formulas, and stay as they are (a -5 must stay a number to add up).
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'string' ? value : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A moment as a spreadsheet reads it: "2026-12-05 14:03", in the server's time zone; '' for none. */
export function csvTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const csvLines = (rows: unknown[][]) =>
  stringify(
    rows.map((row) => row.map(safeCell)),
    { record_delimiter: '\r\n' },
  );

/** A whole CSV document at once, for tables bounded by what they describe (the dependence page's steps). */
export function csvDocument(header: string[], rows: unknown[][]): string {
  return `\uFEFF${csvLines([header, ...rows])}`;
}

/** The headers of a CSV download named `filename` (only word characters, dots and dashes kept). */
export function csvHeaders(res: Response, filename: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]+/g, '-')}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Streams a CSV download chunk by chunk: `next(after)` returns the rows after a cursor (and
 * the cursor of its last row, or null when there are no more), so a huge export never sits in
 * memory: at most one chunk of rows at a time, and a chunk is written only once the client has
 * taken the one before (backpressure: res.write returning false waits for 'drain').
 *
 * Why chunks by cursor and not one statement's .iterate(): better-sqlite3 runs on the one
 * connection every request shares, and while an iterator is open that connection cannot run
 * anything else ("This database connection is busy"). Waiting for a slow client with an
 * iterator open would stop every other request; between chunks nothing is held.
 */
export async function sendCsv<C>(
  res: Response,
  filename: string,
  header: string[],
  next: (after: C | null) => { rows: unknown[][]; last: C | null },
): Promise<void> {
  res.status(200);
  csvHeaders(res, filename);
  res.write(`\uFEFF${csvLines([header])}`);
  let after: C | null = null;
  for (;;) {
    const chunk = next(after);
    if (chunk.rows.length > 0 && !res.write(csvLines(chunk.rows))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    if (chunk.last === null || res.destroyed) break;
    after = chunk.last;
  }
  res.end();
}
