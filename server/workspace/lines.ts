import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * JSON lines, written and read a line at a time and synchronously: an export of years of runs
 * never sits in memory whole, and an import reads inside one database transaction (where
 * nothing may be awaited).
 */
export class LineWriter {
  private readonly fd: number;
  count = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(value: unknown): void {
    fs.writeSync(this.fd, `${JSON.stringify(value)}\n`);
    this.count++;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Each line of a JSON lines file, parsed; `line` numbers a broken one in the error. */
export function* readLines<T>(file: string): Generator<T> {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 16);
  // A character split between two reads is put together again.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  const parse = (text: string): T => {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WorkspaceError(`${file}:${line}: is not a line of JSON`);
    }
  };
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      rest += decoder.write(buffer.subarray(0, read));
      let end: number;
      while ((end = rest.indexOf('\n')) >= 0) {
        const text = rest.slice(0, end);
        rest = rest.slice(end + 1);
        line++;
        if (text.trim() !== '') yield parse(text);
      }
    }
    rest += decoder.end();
    line++;
    if (rest.trim() !== '') yield parse(rest);
  } finally {
    fs.closeSync(fd);
  }
}

/** A workspace export that cannot be read or restored; the message says which file and why. */
export class WorkspaceError extends Error {}
