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
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  const problem = issue?.message ?? 'is invalid';
  throw new BadRequestError(besideField ? problem : `${field}: ${problem}`, field);
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
