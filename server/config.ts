import path from 'node:path';
import { z } from 'zod';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  databasePath: string;
  runbooksDir: string;
  /** Express's "trust proxy": which proxies' X-Forwarded-* to believe (for HTTPS and client addresses). */
  trustProxy: boolean | number | string;
  /**
   * The address people open, for every link the server makes (set-up, invitations, personal
   * links, emails, QR codes); without it, the address the server listens on (with a warning).
   */
  publicUrl: string | null;
  /** Where email goes (smtp://user:pass@host:587 or smtps://…); without it messages stay in the outbox. */
  smtpUrl: string | null;
  /** The sender of emails. */
  mailFrom: string;
  /** The hour (UTC, 0-23) from which daily digests go out. */
  digestHour: number;
  /** Days a personal link lives without being used; each use starts the count again. */
  linkDays: number;
  /**
   * The server's own secret (for personal links it must make again for emails, and for the
   * forms shown before sign-in): a file beside the database, made on the first start.
   */
  keyFile: string;
  /** The workspace's time zone (TZ, or the machine's): "same day" due times, schedules, times in emails. */
  timeZone: string;
  /** How much the server logs (one line per request at `info`). */
  logLevel: LogLevel;
  /** Days a sent email stays in the outbox before it is purged. */
  outboxKeepDays: number;
  /**
   * Webhooks may go to http:// and to loopback, private and link-local addresses: for
   * development and tests only (otherwise only public https:// addresses).
   */
  webhooksAllowPrivate: boolean;
  /** Days a webhook delivery (delivered or given up) is kept before it is purged. */
  webhooksKeepDays: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A whole number written in digits: an empty or blank value is a mistake, never 0. */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be ${min} to ${max}`).max(max, `must be ${min} to ${max}`));

/** An IANA time zone name that this Node knows ("Europe/Paris", "America/New_York", "UTC"). */
const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const envSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  DATABASE_PATH: z.string().min(1).default(path.join('data', 'runbooks.sqlite')),
  RUNBOOKS_DIR: z.string().min(1).default('runbooks'),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a number of proxies, or addresses/subnets')
    .default('false'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587' })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an address, e.g. "Runbooks <runbooks@example.com>"')
    .default('Runbooks <runbooks@localhost>'),
  DIGEST_HOUR: wholeNumber(0, 23).default(7),
  LINK_DAYS: wholeNumber(1, 365).default(30),
  // Node reads TZ itself (and falls back to UTC, silently, on a name it does not know).
  TZ: z.string().refine(isTimeZone, 'must be a time zone name such as Europe/London or America/New_York').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  OUTBOX_KEEP_DAYS: wholeNumber(1, 3650).default(90),
  WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  WEBHOOKS_KEEP_DAYS: wholeNumber(1, 3650).default(30),
});

/** Every environment variable the server reads (the README's configuration table lists each). */
export const ENVIRONMENT_VARIABLES = Object.keys(envSchema.shape);

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      // An SMTP URL may hold a password: name the variable, never echo it.
      const shown = name === 'SMTP_URL' ? '(value hidden)' : JSON.stringify(env[name]);
      return `${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return {
    port: parsed.data.PORT,
    databasePath: parsed.data.DATABASE_PATH,
    runbooksDir: parsed.data.RUNBOOKS_DIR,
    trustProxy: trustProxyValue(parsed.data.TRUST_PROXY),
    publicUrl: parsed.data.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    smtpUrl: parsed.data.SMTP_URL ?? null,
    mailFrom: parsed.data.MAIL_FROM,
    digestHour: parsed.data.DIGEST_HOUR,
    linkDays: parsed.data.LINK_DAYS,
    keyFile: path.join(path.dirname(parsed.data.DATABASE_PATH), 'secret.key'),
    timeZone: parsed.data.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    logLevel: parsed.data.LOG_LEVEL,
    outboxKeepDays: parsed.data.OUTBOX_KEEP_DAYS,
    webhooksAllowPrivate: parsed.data.WEBHOOKS_ALLOW_PRIVATE === 'true',
    webhooksKeepDays: parsed.data.WEBHOOKS_KEEP_DAYS,
  };
}

function trustProxyValue(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
