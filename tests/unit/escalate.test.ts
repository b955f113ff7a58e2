import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ESCALATE, escalateAt, parseEscalate } from '../../server/runbooks/format/durations';
import { writeRunbook } from '../../server/runbooks/format/write';
import { checkDirectory, formatProblem } from '../../server/runbooks/import';
import { file, parsed, problems } from './parse-helpers';

describe('the escalate front-matter key', () => {
  test('is read as written, and absent means null', () => {
    expect(parsed(file('---', 'title: T', 'escalate: 4h', '---', '## Step')).escalate).toBe('4h');
    expect(parsed(file('---', 'title: T', '---', '## Step')).escalate).toBeNull();
  });

  test('survives export and import again, byte for byte', () => {
    const source = file('---', 'title: T', 'escalate: 1 working day', '---', '', '## Step');
    const runbook = parsed(source);
    expect(writeRunbook(runbook)).toBe(source);
    expect(parsed(writeRunbook(runbook)).escalate).toBe('1 working day');
  });

  test('reports a grace time it cannot read at its line', () => {
    expect(problems(file('---', 'title: T', 'review: 90d', 'escalate: soon', '---', '## Step'))).toEqual([
      { line: 4, message: expect.stringContaining('escalate "soon"') },
    ]);
  });

  test('is linted as path:line: reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-lint-'));
    try {
      fs.writeFileSync(path.join(dir, 'late.md'), file('---', 'title: Late', 'escalate: 0h', '---', '', '## Step'));
      const lines = checkDirectory(dir).problems.map(formatProblem);
      expect(lines).toEqual([expect.stringMatching(/late\.md:3: escalate "0h"/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseEscalate', () => {
  test.each([
    ['4h', { kind: 'minutes', minutes: 240 }],
    ['90 min', { kind: 'minutes', minutes: 90 }],
    ['2d', { kind: 'minutes', minutes: 2880 }],
    ['1 working day', { kind: 'working-days', days: 1 }],
    ['3 Working Days', { kind: 'working-days', days: 3 }],
    ['2 business days', { kind: 'working-days', days: 2 }],
  ])('reads "%s"', (text, expected) => {
    expect(parseEscalate(text)).toEqual(expected);
  });

  test.each(['soon', '0h', '0 working days', '31d', '31 working days', '', 'h'])('refuses "%s"', (text) => {
    expect(parseEscalate(text)).toBeNull();
  });
});

describe('escalateAt', () => {
  // Server time; the tests run with the machine's zone, so build local dates.
  const local = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h);

  test('adds a plain grace time as it is', () => {
    expect(escalateAt(local(2026, 12, 4, 17), { kind: 'minutes', minutes: 240 })).toEqual(local(2026, 12, 4, 21));
  });

  test('skips the weekend for working days: Friday 17:00 plus one working day is Monday 17:00', () => {
    expect(escalateAt(local(2026, 12, 4, 17), DEFAULT_ESCALATE)).toEqual(local(2026, 12, 7, 17));
  });

  test('a step due on Saturday escalates on Monday; one due on Tuesday, on Wednesday', () => {
    expect(escalateAt(local(2026, 12, 5, 9), DEFAULT_ESCALATE)).toEqual(local(2026, 12, 7, 9));
    expect(escalateAt(local(2026, 12, 1, 9), DEFAULT_ESCALATE)).toEqual(local(2026, 12, 2, 9));
  });

  test('counts several working days across a weekend', () => {
    expect(escalateAt(local(2026, 12, 3, 9), { kind: 'working-days', days: 3 })).toEqual(local(2026, 12, 8, 9));
  });
});
