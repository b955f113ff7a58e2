import type { Db } from '../db/open';
import { sendPending, type Mailer } from './mailer';
import { composeDigests, escalateOverdueSteps, notifyOverdueSteps } from './sweep';
import type { LinkSettings } from '../auth/links';

/**
 * The background side of notifications: overdue steps and daily digests every half minute,
 * and (with SMTP configured) the outbox emptied every few seconds. Errors are logged, never
 * fatal; a send still in progress is never started twice.
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
): () => void {
  const log = options.log ?? console.log;
  const sweep = () => {
    try {
      const overdue = notifyOverdueSteps(db);
      const escalated = escalateOverdueSteps(db);
      const digests = composeDigests(db, options.digestHour);
      if (overdue + escalated + digests > 0) log(`Notifications: ${overdue} overdue step(s), ${escalated} escalated, ${digests} digest(s)`);
    } catch (error) {
      log(`Notifications failed: ${(error as Error).message}`);
    }
  };
  let sending = false;
  const send = async () => {
    if (!options.mailer || sending) return;
    sending = true;
    try {
      const { failed } = await sendPending(db, options.mailer, { baseUrl: options.baseUrl, links: options.links });
      if (failed > 0) log(`Email: ${failed} message(s) could not be sent; see the outbox`);
    } catch (error) {
      log(`Email failed: ${(error as Error).message}`);
    } finally {
      sending = false;
    }
  };
  sweep();
  const timers = [setInterval(sweep, options.sweepMs ?? 30_000), setInterval(() => void send(), options.sendMs ?? 5_000)];
  for (const timer of timers) timer.unref();
  return () => {
    for (const timer of timers) clearInterval(timer);
    options.mailer?.close();
  };
}
