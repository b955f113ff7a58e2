import type { Db } from '../db/open';
import { sendPending, type Mailer } from './mailer';
import { composeDigests, escalateOverdueSteps, notifyOverdueSteps, notifyReviewsDue } from './sweep';
import type { LinkSettings } from '../auth/links';

/**
 * The background side of notifications: overdue steps and daily digests every half minute,
 * and (with SMTP configured) the outbox emptied every few seconds. Errors are logged, never
 * fatal; a send still in progress is never started twice. The function returned stops it, and
 * its promise resolves once a send in progress has finished (the server closes the database
 * only then).
 */
export function startNotifier(
  db: Db,
  options: {
    mailer: Mailer | null;
    baseUrl: string;
    links: LinkSettings;
    digestHour: number;
    log?: (message: string) => void;
    sweepMs?: number;
    sendMs?: number;
  },
): () => Promise<void> {
  const log = options.log ?? console.log;
  const sweep = () => {
    try {
      const overdue = notifyOverdueSteps(db);
      const escalated = escalateOverdueSteps(db);
      const reviews = notifyReviewsDue(db);
      const digests = composeDigests(db, options.digestHour);
      if (overdue + escalated + reviews + digests > 0) {
        log(`Notifications: ${overdue} overdue step(s), ${escalated} escalated, ${reviews} review(s) due, ${digests} digest(s)`);
      }
    } catch (error) {
      log(`Notifications failed: ${(error as Error).message}`);
    }
  };
  let sending: Promise<void> | null = null;
  const send = () => {
    if (!options.mailer || sending) return;
    sending = sendNow(options.mailer).finally(() => {
      sending = null;
    });
  };
  const sendNow = async (mailer: Mailer) => {
    try {
      const { failed } = await sendPending(db, mailer, { baseUrl: options.baseUrl, links: options.links });
      if (failed > 0) log(`Email: ${failed} message(s) could not be sent; see the outbox`);
    } catch (error) {
      log(`Email failed: ${(error as Error).message}`);
    }
  };
  sweep();
  const timers = [setInterval(sweep, options.sweepMs ?? 30_000), setInterval(send, options.sendMs ?? 5_000)];
  for (const timer of timers) timer.unref();
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await sending;
    options.mailer?.close();
  };
}
