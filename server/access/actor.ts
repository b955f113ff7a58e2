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
