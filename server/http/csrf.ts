import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

/**
 * Synchroniser-token CSRF protection for every state-changing request that a browser could
 * be tricked into sending: the token lives in the session (created with it) and must come
 * back in the form (`_csrf`) or the `X-CSRF-Token` header. Bearer-token requests carry no
 * ambient credential, so they are exempt; so is an API request (`api`) with no session at
 * all (it is refused as anonymous by its route instead).
 */
export function csrfProtection({ api }: { api: boolean }): RequestHandler {
  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromState: (req) => req.session?.csrf_token,
    getTokenFromRequest: (req) => {
      const fromForm = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromForm === 'string' ? fromForm : (req.headers['x-csrf-token'] as string | undefined);
    },
    // Our sessions get their token when they are created; nothing to store later.
    storeTokenInState: () => {},
    skipCsrfProtection: (req) => req.actor?.via === 'token' || (api && !req.session),
  });
  return csrfSynchronisedProtection;
}
