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

/** Who is making a request, once signed in (session), by token, or by an outsourcer's link. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  /** A personal link opens only assignments, whatever the person's level: it counts as outsourcer. */
  level: Level;
  via: 'session' | 'token' | 'link';
}

export const isTeam = (actor: Actor) => actor.level !== 'outsourcer';
export const isManager = (actor: Actor) => actor.level === 'owner' || actor.level === 'editor';

/** The signed-in person, or a 401 that says to sign in. */
export function requireActor(req: Request): Actor {
  if (!req.actor) throw new AppError(401, 'sign-in-required', 'Sign in first (or send an API token as "Authorization: Bearer …")');
  return req.actor;
}
