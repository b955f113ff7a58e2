import { z } from 'zod';
import { BadRequestError } from './errors';

/**
 * Parses input with a zod schema; the first problem becomes a 400 naming its field (the
 * input's path, else `where`). The one place zod's errors become ours: the API says
 * "field: problem"; a form (`besideField`) shows the problem alone, beside its field.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where = 'body',
  { besideField = false }: { besideField?: boolean } = {},
): z.infer<S> {
  const result = schema.safeParse(input, { error: plainProblem });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  const problem = issue?.message ?? 'is invalid';
  throw new BadRequestError(besideField ? problem : `${field}: ${problem}`, field);
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
};
const FORMATS: Record<string, string> = { email: 'an email address', url: 'a web address', date: 'a date as YYYY-MM-DD' };
const quoted = (values: readonly unknown[]) => {
  const words = values.map((v) => JSON.stringify(v));
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
};

/**
 * zod's own messages ("Invalid input: expected string, received undefined") in words for a
 * person; a schema's own message, where it has one, wins over these. Undefined: zod's default.
 */
function plainProblem(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be ${quoted(issue.values)}`;
    case 'invalid_format':
      return `must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} item${max === 1 ? '' : 's'}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'unrecognized_keys':
      return `has fields this does not take: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

/** A positive integer id from a URL segment; anything else is simply not found. */
export function idParam(value: string | undefined): number | null {
  return value !== undefined && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}

/** A query string without its empty values: `?q=&tag=` (an empty form field) means no filter, not a bad one. */
export function withoutBlanks(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

/** A calendar day that exists: 2026-02-30 is refused, not rolled over to March. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'is not a date in the calendar');

/** Midnight starting `day` in the server's time zone, as the ISO instant runs are stamped with. */
export function startOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

/** Midnight ending `day` (the next day's start): "to 3 Dec" includes all of 3 Dec. */
export function endOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + 1).toISOString();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A day as a form sends it: YYYY-MM-DD from a date picker, or typed the way people write it
 * where a browser has no picker ("3 Dec 2026", "3 December 2026", "Dec 3, 2026"). Null when it
 * is neither, or no such day.
 */
export function readDay(input: string): string | null {
  const text = input.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  let parts: [number, number, number] | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const dayFirst = /^(\d{1,2}) ([a-z]{3})[a-z]*\.? (\d{4})$/.exec(text);
  const monthFirst = /^([a-z]{3})[a-z]*\.? (\d{1,2}) (\d{4})$/.exec(text);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dayFirst) parts = [Number(dayFirst[3]), MONTHS.indexOf(dayFirst[2] as string) + 1, Number(dayFirst[1])];
  else if (monthFirst) parts = [Number(monthFirst[3]), MONTHS.indexOf(monthFirst[1] as string) + 1, Number(monthFirst[2])];
  if (!parts || parts[1] === 0) return null;
  const day = `${String(parts[0]).padStart(4, '0')}-${String(parts[1]).padStart(2, '0')}-${String(parts[2]).padStart(2, '0')}`;
  return isoDay.safeParse(day).success ? day : null;
}

/** A day field of a form (see readDay), as YYYY-MM-DD. */
export const dayInput = z.string().transform((value, ctx) => {
  const day = readDay(value);
  if (day === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a date, such as 3 Dec 2026' });
    return z.NEVER;
  }
  return day;
});

/**
 * A day a form or query requires, as readDay reads it: `empty` when blank (and `missing` when
 * absent, else zod's own words), `invalid` when it is no day.
 */
export const requiredDay = ({
  missing,
  empty,
  invalid = 'must be a date, such as 3 Dec 2026',
}: {
  missing?: string;
  empty: string;
  invalid?: string;
}) =>
  z
    .string(missing)
    .trim()
    .min(1, empty)
    .transform((value, ctx) => {
      const day = readDay(value);
      if (day === null) {
        ctx.addIssue({ code: 'custom', message: invalid });
        return z.NEVER;
      }
      return day;
    });
