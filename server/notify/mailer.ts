import type Nodemailer from 'nodemailer';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { findPerson } from '../people/repo';
import { bodyForSending } from './links';
import type { LinkSettings } from '../auth/links';
import type { NotificationRow } from './outbox';

/**
 * Sends the outbox's pending messages through SMTP. A message that fails is tried again
 * later (1, 2, 4, 8 minutes), then kept as 'failed' with the server's answer, readable in
 * the outbox; nothing is dropped. Without SMTP_URL nothing is sent and the outbox is where
 * owners read the messages.
 */
export const MAX_ATTEMPTS = 5;

export interface MailSettings {
  smtpUrl: string;
  from: string;
  /** Where links in emails point: PUBLIC_URL, or the local address. */
  baseUrl: string;
}

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<unknown>;
  close(): void;
}

export function smtpMailer(settings: Pick<MailSettings, 'smtpUrl' | 'from'>): Mailer {
  // Loaded only where email is set up (SMTP_URL): a server without it never needs nodemailer.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when first needed, typed above
  const nodemailer = require('nodemailer') as typeof Nodemailer;
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    send: (message) => transport.sendMail({ from: settings.from, ...message }),
    close: () => transport.close(),
  };
}

export async function sendPending(
  db: Db,
  mailer: Mailer,
  site: { baseUrl: string; links: LinkSettings },
  now: Date = new Date(),
  limit = 50,
): Promise<{ sent: number; failed: number }> {
  const due = sql(
    db,
    "SELECT * FROM notifications WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
  ).all(now.toISOString(), limit) as NotificationRow[];
  let sent = 0;
  let failed = 0;
  for (const message of due) {
    const person = findPerson(db, message.person_id);
    if (!person?.active) {
      sql(db, "UPDATE notifications SET status = 'failed', last_error = ? WHERE id = ?").run(
        'Not sent: the person was deactivated',
        message.id,
      );
      failed++;
      continue;
    }
    const { text, undo } = bodyForSending(db, message, person, site);
    try {
      await mailer.send({ to: `"${person.name.replace(/["\\]/g, '')}" <${person.email}>`, subject: message.subject, text });
      sql(db, "UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(
        new Date().toISOString(),
        message.id,
      );
      sent++;
    } catch (error) {
      undo();
      const attempts = message.attempts + 1;
      const giveUp = attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(Date.now() + 60_000 * 2 ** (attempts - 1)).toISOString();
      sql(db, 'UPDATE notifications SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(
        giveUp ? 'failed' : 'pending',
        attempts,
        giveUp ? null : retryAt,
        String((error as Error).message ?? error).slice(0, 1000),
        message.id,
      );
      if (giveUp) failed++;
    }
  }
  return { sent, failed };
}
