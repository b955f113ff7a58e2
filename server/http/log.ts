import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger };

/**
 * The server's log: JSON lines on standard output (pino), for journald, Docker or a file.
 * `level` is LOG_LEVEL (validated in config.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { pid: process.pid } }, destination);
}

// Addresses whose second part is a secret: an outsourcer's personal link, an invitation, the
// set-up link. Express matches paths regardless of case, so these are matched the same way.
const SECRET_PATH = /^(\/+(?:l|invite|setup|reset-password))\/[^/?#]+/i;

/**
 * A request's address as it may be logged: the path only (a query can carry a search, a `next`
 * address or a `to`), with the secret of a personal, invitation or set-up link replaced.
 */
export function loggablePath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] as string;
  return path.replace(SECRET_PATH, '$1/[secret]');
}

interface WithActor {
  actor?: { id: number };
}

/**
 * One line per request, written when its response has gone: method, path (see loggablePath),
 * status, duration in milliseconds and the id of the person who asked (null when nobody was
 * signed in). Nothing else of the request is logged: no header (cookies, Authorization), no
 * body (passwords), no query.
 */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // Express keeps the full address in originalUrl; `url` is cut down inside a router.
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string }) => ({
        method: req.method,
        path: loggablePath(req.originalUrl ?? req.url ?? ''),
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    wrapSerializers: false,
    genReqId: () => 0,
    customAttributeKeys: { responseTime: 'ms' },
    customSuccessObject: (req, _res, line) => ({ ...line, person: (req as WithActor).actor?.id ?? null }),
    // A 5xx answer is logged as an error without pino-http's made-up Error: an unexpected
    // exception is logged with its stack by the error handler, once.
    customErrorObject: (req, _res, _error, line: Record<string, unknown>) => {
      const { err: _made, ...rest } = line;
      return { ...rest, person: (req as WithActor).actor?.id ?? null };
    },
    customSuccessMessage: (req, res) => `${req.method} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${res.statusCode}`,
    // 503: before set-up, or the database unhealthy; the server's own lines say why.
    customLogLevel: (_req, res, error) => (res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info'),
  }) as unknown as RequestHandler;
}
