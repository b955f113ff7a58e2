import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Pages get every header helmet has, the CSP above all (no inline script).
 */
export function pageHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'https:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Many small businesses run this on a plain-HTTP address in the office; upgrading
        // every request to HTTPS there would break every stylesheet and script.
        'upgrade-insecure-requests': null,
      },
    },
  });
}

/**
 * `Cache-Control: no-store` for everything after the public assets: a page shows someone's
 * work (or carries a form's token), so no shared proxy may keep it, and the back button must
 * not show it to the next person at the computer.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * JSON is never rendered as a document, so the API gets the headers that mean something for
 * it, and the strictest CSP: nothing in a JSON answer may load or run anything, wherever it
 * ends up; and `Cache-Control: no-store`, as pages (an answer holds someone's work). With no
 * nonces they are the same on every answer, so helmet is asked once and its headers are set
 * from that list: running its chain per request cost more than a tick's SQL.
 */
export function apiHeaders(): RequestHandler {
  const headers = headersOf(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xFrameOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  );
  headers.push(['Cache-Control', 'no-store']);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** The headers a header-only middleware sets, read off one run against a stand-in response. */
function headersOf(middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void): [string, string][] {
  const set = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => void set.set(name, value),
    removeHeader: (name: string) => void set.delete(name),
  } as unknown as ServerResponse;
  let failure: unknown;
  let done = false;
  middleware({ headers: {} } as IncomingMessage, res, (error) => {
    failure = error;
    done = true;
  });
  if (!done || failure) throw new Error(`header middleware did not finish synchronously: ${String(failure)}`);
  return [...set];
}
