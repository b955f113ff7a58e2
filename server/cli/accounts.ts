import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { LEVELS } from '../access/actor';
import { audit } from '../audit/repo';
import { AppError, BadRequestError } from '../http/errors';
import { hashNewPassword, setPassword } from '../auth/set-password';
import { issueApiToken } from '../auth/tokens';
import { findPersonByEmail, insertPerson } from '../people/repo';
import { validate } from '../http/validate';

export class CliInputError extends Error {}

/** `--name value` pairs of an argument list. */
export function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new CliInputError(`unexpected "${arg}"`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliInputError(`${arg} needs a value`);
    out[arg.slice(2)] = value;
    i++;
  }
  return out;
}

const userFlags = z.object({
  email: z.email('--email must be an email address').transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, '--name must not be empty').max(200),
  level: z.enum(LEVELS, { error: `--level must be one of ${LEVELS.join(', ')}` }).default('member'),
});

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  try {
    return validate(schema, input, 'flags', { besideField: true });
  } catch (error) {
    if (error instanceof BadRequestError) throw new CliInputError(error.message);
    throw error;
  }
}

/**
 * `user create`: creates (or updates) an account with a password read from standard input,
 * for setting up a server without a browser. Creating an owner completes the set-up. For an
 * account that exists it is a password reset: as any new password, it ends the person's
 * sessions, personal links and API tokens (server/auth/set-password.ts).
 */
export async function createUser(db: Db, args: string[], password: string): Promise<string> {
  const input = parse(userFlags, flags(args));
  let hash: string;
  try {
    hash = await hashNewPassword(password, input);
  } catch (error) {
    if (error instanceof AppError) throw new CliInputError(error.message.replace(/^Password/, 'password'));
    throw error;
  }
  return db.transaction(() => {
    const existing = findPersonByEmail(db, input.email);
    const person =
      existing ??
      insertPerson(db, {
        name: input.name,
        email: input.email,
        kind: input.level === 'outsourcer' ? 'outsourcer' : 'team',
        hourlyCostCents: null,
        active: true,
        level: input.level,
      });
    sql(db, 'UPDATE people SET name = ?, access_level = ?, active = 1 WHERE id = ?').run(input.name, input.level, person.id);
    if (input.level === 'owner' && !existing)
      audit(db, { action: 'setup.owner-created', actorId: null, subjectId: person.id, data: { via: 'cli' } });
    const ended = setPassword(db, person.id, hash, { actorId: null, address: null, door: 'cli' });
    const endedText =
      ended.sessions + ended.links + ended.tokens > 0 ? ' (their other sessions, personal links and API tokens have ended)' : '';
    return `${existing ? 'Updated' : 'Created'} ${input.level} account for ${input.email}${endedText}`;
  })();
}

/** `token create`: a personal API token for a script, printed once. */
export function createToken(db: Db, args: string[]): string {
  const input = parse(
    z.object({ email: z.email('--email must be an email address'), name: z.string().trim().min(1).max(100).default('cli') }),
    flags(args),
  );
  const person = findPersonByEmail(db, input.email);
  if (!person || !person.active) throw new CliInputError(`no active person has the email ${input.email}`);
  return issueApiToken(db, person.id, input.name, { actorId: null, address: null, via: 'cli' }).token;
}
