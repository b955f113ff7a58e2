import path from 'node:path';
import { z } from 'zod';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  databasePath: string;
  runbooksDir: string;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default(path.join('data', 'runbooks.sqlite')),
  RUNBOOKS_DIR: z.string().min(1).default('runbooks'),
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
  };
}
