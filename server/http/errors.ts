import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ErrorCode } from './error-codes';

/**
 * Errors a route throws on purpose. Each has an HTTP status and a stable kebab-case code
 * that clients may rely on, one of the list in error-codes.ts; `field` names the input at
 * fault (a body field, or `path:line`).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, field?: string, code: ErrorCode = 'invalid-input', details?: Record<string, unknown>) {
    super(400, code, message, field, details);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: ErrorCode, message: string, field?: string, details?: Record<string, unknown>) {
    super(422, code, message, field, details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not-found', `${what} was not found`);
  }
}

/** 409: the change collides with the current state. `details.field` names the input at fault (as for any AppError). */
export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, { field, ...details }: Record<string, unknown> & { field?: string } = {}) {
    super(409, code, message, field, details);
  }
}

/** A change lost with its group commit (server/db/group-commit.ts): nothing of it was saved. */
export class NotSavedError extends AppError {
  constructor() {
    super(500, 'not-saved', 'The change could not be saved; nothing was changed. Try again.');
  }
}

export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field !== undefined ? { field: error.field } : {}),
      ...error.details,
    },
  };
}

/**
 * body-parser's own errors carry a `type`; the router's (a URL that is not valid percent-encoding)
 * and body-parser's untyped ones (a gzip body that does not inflate) carry only a 4xx `status`.
 * All are the client's fault, never a 500.
 */
function fromBodyParser(error: { type?: string; status?: number; limit?: number }): AppError | null {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError(413, 'body-too-large', `The request body is larger than the limit of ${error.limit} bytes`);
    case 'entity.parse.failed':
      return new BadRequestError('The request body is not valid JSON', 'body', 'invalid-json');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported-encoding', 'The request body encoding is not supported');
    case 'request.aborted':
      return new BadRequestError('The request was aborted', 'body', 'request-aborted');
    default:
      if (typeof error.status !== 'number' || error.status < 400 || error.status >= 500) return null;
      return error instanceof URIError
        ? new BadRequestError('The URL is not validly percent-encoded', 'url', 'invalid-url')
        : new AppError(error.status, 'invalid-request', 'The request could not be read');
  }
}

/** Minimal view rendering the error handler needs (server/views/engine.ts provides it). */
interface ErrorViews {
  render(res: Response, view: string, data?: Record<string, unknown>, options?: { status?: number }): void;
}

const wantsHtml = (req: Request) => !req.path.startsWith('/api/') && req.path !== '/api' && req.accepts(['json', 'html']) === 'html';

/**
 * An error's message as a sentence for a person: the API's "to: Sam is away until 6 Dec 2026;
 * choose someone who is here" becomes "Sam is away until 6 Dec 2026; choose someone who is
 * here." The field prefix is for programs; on a page the message stands beside its field.
 */
export function forPeople(message: string): string {
  const bare = message.replace(/^[A-Za-z][\w.]*: /, '').trim();
  // "must be…" becomes "Must be…"; a message that starts with a name or an address stays as it is.
  const capital = /^[a-z]+\b(?![@.])/.test(bare) ? bare.charAt(0).toUpperCase() + bare.slice(1) : bare;
  return /[.!?…)]$/.test(capital) ? capital : `${capital}.`;
}

/** What the user typed, to put back in the form; secrets are never echoed. */
function formValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).filter(([key]) => !/password|_csrf|token/i.test(key)));
}

/**
 * The one place errors become responses: JSON for the API; for pages, the form the route
 * named (res.locals.formView) again with the error beside its field and the input kept, or
 * an error page.
 */
export function errorHandler(log: (error: unknown) => void = console.error, views?: ErrorViews): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = error instanceof AppError ? error : fromBodyParser(error ?? {});
    if (!known) log(error);
    const failure = known ?? new AppError(500, 'internal', 'Something went wrong on our side');
    if (views && wantsHtml(req)) {
      if (failure.code === 'sign-in-required') {
        res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      const formView = res.locals.formView as string | undefined;
      if (formView && failure.status < 500 && failure.field) {
        views.render(
          res,
          formView,
          {
            // Built only now (server/http/forms.ts formPage): most posts never need it.
            ...(typeof res.locals.formData === 'function' ? res.locals.formData() : res.locals.formData),
            values: formValues(req.body),
            errors: { [failure.field]: forPeople(failure.message) },
            csrfToken: res.locals.csrfToken,
          },
          { status: failure.status },
        );
        return;
      }
      views.render(
        res,
        'errors/error',
        { title: 'Something is wrong', status: failure.status, message: forPeople(failure.message), narrow: true },
        { status: failure.status },
      );
      return;
    }
    res.status(failure.status).json(errorBody(failure));
  };
}
