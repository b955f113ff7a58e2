import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from './errors';
import { validate } from './validate';

/**
 * Names the form a page route shows, so that the one error handler can show it again with an
 * error beside its field and what was typed. `data` is what the form's page needs around the
 * form; pass a function where that costs queries, so it is built only if an error shows it.
 */
export function formPage(res: Response, view: string, data: FormData | (() => FormData)): void {
  res.locals.formView = view;
  res.locals.formData = data;
}
type FormData = Record<string, unknown>;

/** A required text field with messages written for a form. */
export const text = (max: number, empty: string) => z.string(empty).trim().min(1, empty).max(max, `Keep it under ${max} characters.`);

/** Parses a form; the first problem becomes a 400 with its own message, beside its field. */
export function readForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return validate(schema, body ?? {}, 'form', { besideField: true });
}

/**
 * Runs a change whose refusals (a conflict such as "last owner") carry no field, and puts
 * them beside the control that asked for it.
 */
export function beside<T>(field: string, change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof AppError && error.field === undefined && error.status < 500) {
      throw new AppError(error.status, error.code, error.message, field, error.details);
    }
    throw error;
  }
}

/**
 * The API's "to: Bo is away…" reads as "Bo is away…" beside the field it names (`fields`
 * renames the API's field to the form's, where they differ).
 */
export function besideField<T>(change: () => T, fields: Record<string, string> = {}): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof AppError && error.field && error.message.startsWith(`${error.field}: `)) {
      const message = error.message.slice(error.field.length + 2);
      throw new AppError(error.status, error.code, message, fields[error.field] ?? error.field, error.details);
    }
    if (error instanceof AppError && !error.field && error.status < 500)
      throw new AppError(error.status, error.code, error.message, 'form', error.details);
    throw error;
  }
}
