import type { Db } from './db/open';
import type { Config } from './config';
import { purgeExpiredSessions } from './auth/sessions';
import { purgeEndedLinks, purgeExpiredInvitations } from './auth/links';
import { purgeSignInFailures } from './auth/limiter';
import { purgePasswordResets } from './auth/resets';
import { purgeSentNotifications } from './notify/outbox';
import { purgeOldDeliveries } from './webhooks/repo';

/** WEBHOOKS_KEEP_DAYS's default, for callers (tests) that do not say. */
const DEFAULT_WEBHOOKS_KEEP_DAYS = 30;

/**
 * What is kept and for how long (the README's Retention says the same): sessions until they
 * can no longer be used, personal links until they end, invitations until they expire, failed
 * sign-ins for the limiter's window, sent emails for OUTBOX_KEEP_DAYS, webhook deliveries (delivered or given up) for WEBHOOKS_KEEP_DAYS. Nothing a person made (runbooks, runs, their events, notes, people, the
 * audit log) is ever purged. One function per table, each in its own domain.
 */
export function purgeOldRecords(
  db: Db,
  config: Pick<Config, 'outboxKeepDays'> & Partial<Pick<Config, 'webhooksKeepDays'>>,
  now = new Date(),
) {
  return {
    sessions: purgeExpiredSessions(db, now),
    links: purgeEndedLinks(db, now),
    invitations: purgeExpiredInvitations(db, now),
    failures: purgeSignInFailures(db, now),
    resets: purgePasswordResets(db, now),
    emails: purgeSentNotifications(db, config.outboxKeepDays, now),
    webhookDeliveries: purgeOldDeliveries(db, config.webhooksKeepDays ?? DEFAULT_WEBHOOKS_KEEP_DAYS, now),
  };
}

/** Purges at start and then every `intervalMs` (an hour) until stopped; a failure is logged, never fatal. */
export function startRetention(
  db: Db,
  config: Pick<Config, 'outboxKeepDays'> & Partial<Pick<Config, 'webhooksKeepDays'>>,
  log: (message: string) => void = console.log,
  intervalMs = 3600_000,
): () => void {
  const tick = () => {
    try {
      const purged = purgeOldRecords(db, config);
      const said = Object.entries(purged)
        .filter(([, count]) => count > 0)
        .map(([what, count]) => `${count} ${what}`);
      if (said.length > 0) log(`Retention: purged ${said.join(', ')}`);
    } catch (error) {
      log(`Retention failed: ${(error as Error).message}`);
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
