import type { Db } from '../db/open';
import { sendDueDeliveries } from './send';

/**
 * Sends waiting webhook deliveries every few seconds, one sweep at a time (a sweep still in
 * progress is never started twice). Errors are logged, never fatal. The function returned stops
 * it; its promise resolves once a sweep in progress has finished.
 */
export function startWebhooks(
  db: Db,
  options: { allowPrivate: boolean; log?: (message: string) => void; intervalMs?: number },
): () => Promise<void> {
  const log = options.log ?? console.log;
  let sending: Promise<void> | null = null;
  const sweep = () => {
    if (sending) return;
    sending = sendDueDeliveries(db, { allowPrivate: options.allowPrivate })
      .then(({ delivered, failed, retrying }) => {
        if (failed + retrying > 0) log(`Webhooks: ${delivered} delivered, ${retrying} to retry, ${failed} given up (see Team → Webhooks)`);
      })
      .catch((error: Error) => log(`Webhooks failed: ${error.message}`))
      .finally(() => {
        sending = null;
      });
  };
  const timer = setInterval(sweep, options.intervalMs ?? 5_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await sending;
  };
}
