import type { Db } from '../db/open';
import { purgeExpiredSessions } from './sessions';
import { purgeEndedLinks } from './links';
import { purgeSignInFailures } from './limiter';

/**
 * Deletes what has ended and now only takes room: expired and idle sessions, ended personal
 * links (with any session they opened), and failed sign-ins older than the limiter's window.
 * server/main.ts runs it at start and every hour.
 */
export function purgeEnded(db: Db, now = new Date()): { sessions: number; links: number; failures: number } {
  return db.transaction(() => ({
    sessions: purgeExpiredSessions(db, now),
    links: purgeEndedLinks(db, now),
    failures: purgeSignInFailures(db, now),
  }))();
}
