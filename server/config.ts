import path from 'node:path';
import { z } from 'zod';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  databasePath: string;
  runbooksDir: string;
  /** Express's "trust proxy": which proxies' X-Forwarded-* to believe (for HTTPS and client addresses). */
  trustProxy: boolean | number | string;
  /** The address people open, for links in the terminal (set-up link); defaults to localhost. */
  publicUrl: string | null;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default(path.join('data', 'runbooks.sqlite')),
  RUNBOOKS_DIR: z.string().min(1).default('runbooks'),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a number of proxies, or addresses/subnets')
    .default('false'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return {
    port: parsed.data.PORT,
    databasePath: parsed.data.DATABASE_PATH,
    runbooksDir: parsed.data.RUNBOOKS_DIR,
    trustProxy: trustProxyValue(parsed.data.TRUST_PROXY),
    publicUrl: parsed.data.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
  };
}

function trustProxyValue(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
