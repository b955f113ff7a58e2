import type { Request } from 'express';
import { AppError } from '../http/errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in person, if any (set by server/auth/authenticate.ts). */
      actor?: Actor;
    }
  }
}

export const LEVELS = ['owner', 'editor', 'member', 'outsourcer'] as const;
export type Level = (typeof LEVELS)[number];

/** Who is making a request, once signed in (session), by API token, or by a personal link. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  /**
   * The person's own level, whatever the way in: a personal link is limited by what it is,
   * in server/access/policy.ts, not by pretending to be a lower level.
   */
  level: Level;
  via: 'session' | 'token' | 'link';
  /** For a session a personal link opened: which link, and who made it (for the audit log). */
  link?: { id: number; createdBy: number | null };
}

/** The signed-in person, or a 401 that says to sign in. */
export function requireActor(req: Request): Actor {
  if (!req.actor) throw new AppError(401, 'sign-in-required', 'Sign in first (or send an API token as "Authorization: Bearer …")');
  return req.actor;
}
