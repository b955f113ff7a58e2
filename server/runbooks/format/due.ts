import { parseDue, type DueOffset } from './durations';
import { fieldKey, type FieldDef } from './fields';

/**
 * A step's `Due:`: an offset from the run's start (`+1d`, `same day`), or counted from a date
 * field (`Recording date`, `7d after Recording date`, `1d before Order date`), in which case
 * the step has no due time until the field has a value.
 */
export type StepDue = { kind: 'start'; offset: DueOffset } | { kind: 'field'; field: string; minutes: number };

const FROM_FIELD = /^(?:(.+?)[ \t]+(after|before)[ \t]+)?(.+)$/i;

/** Reads a Due: value against the date fields it may name, or says what is wrong. */
export function parseStepDue(text: string, dateFields: FieldDef[]): { ok: true; due: StepDue } | { ok: false; message: string } {
  const offset = parseDue(text);
  if (offset) return { ok: true, due: { kind: 'start', offset } };
  const match = FROM_FIELD.exec(text.trim());
  const named = (match?.[3] ?? '').trim();
  const field = dateFields.find((f) => fieldKey(f.name) === fieldKey(named));
  if (match && field) {
    if (match[1] === undefined) return { ok: true, due: { kind: 'field', field: field.name, minutes: 0 } };
    const amount = parseDue(match[1]);
    if (amount?.kind === 'after') {
      return { ok: true, due: { kind: 'field', field: field.name, minutes: match[2]?.toLowerCase() === 'before' ? -amount.minutes : amount.minutes } };
    }
    return { ok: false, message: `Due "${text}": "${match[1]}" is not a length of time (e.g. 2d, 12h, 1 week)` };
  }
  return {
    ok: false,
    message: `Due "${text}" is not an offset (e.g. same day, +2h, +1d, 3 days) or a date field of this runbook (e.g. 2d after Order date)`,
  };
}

/** When a step counted from a date field falls due: the end of that day (in TZ, as "same day" is) moved by the offset. */
export function dueFromDate(day: string, minutes: number): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const end = new Date(year, month - 1, date, 23, 59, 59, 999);
  return new Date(end.getTime() + minutes * 60_000);
}
