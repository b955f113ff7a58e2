import { z } from 'zod';
import type { Db } from '../db/open';
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

const CLI = { via: 'cli' } as const;

/** The password policy's hash of a new password, or its refusal in the command line's words. */
async function cliHash(password: string, person: { email?: string; name?: string }): Promise<string> {
  try {
    return await hashNewPassword(password, person);
  } catch (error) {
    if (error instanceof AppError) throw new CliInputError(error.message.replace(/^Password/, 'password'));
    throw error;
  }
}

/**
 * `user create`: a new account with a password read from standard input, for setting up a
 * server without a browser. Creating an owner completes the set-up. An address that has an
 * account already is refused (a "create" that replaced someone's name and password would be a
 * surprise): `user set-password` is the explicit way to give it a new password.
 */
export async function createUser(db: Db, args: string[], password: string): Promise<string> {
  const input = parse(userFlags, flags(args));
  if (findPersonByEmail(db, input.email)) {
    throw new CliInputError(
      `${input.email} has an account already; nothing was changed. To give it a new password: npm run cli -- user set-password --email ${input.email}`,
    );
  }
  const hash = await cliHash(password, input);
  return db.transaction(() => {
    if (findPersonByEmail(db, input.email)) throw new CliInputError(`${input.email} has an account already; nothing was changed`);
    const person = insertPerson(db, {
      name: input.name,
      email: input.email,
      kind: input.level === 'outsourcer' ? 'outsourcer' : 'team',
      hourlyCostCents: null,
      active: true,
      level: input.level,
    });
    setPassword(db, person.id, hash, { actorId: null, address: null, door: 'cli' });
    if (input.level === 'owner') audit(db, { action: 'setup.owner-created', actorId: null, subjectId: person.id, data: CLI });
    return `Created ${input.level} account for ${input.email}`;
  })();
}

/**
 * `user set-password`: a new password (from standard input) for an existing account, e.g. an
 * owner locked out with nobody to invite them again. Their sessions end, as after any new password.
 */
export async function setUserPassword(db: Db, args: string[], password: string): Promise<string> {
  const input = parse(z.object({ email: z.email('--email must be an email address').transform((e) => e.toLowerCase()) }), flags(args));
  const person = findPersonByEmail(db, input.email);
  if (!person) throw new CliInputError(`no account has the email ${input.email}; create one with: npm run cli -- user create`);
  const hash = await cliHash(password, person);
  // As any new password: their other sessions, personal links and API tokens end (set-password.ts).
  const ended = setPassword(db, person.id, hash, { actorId: null, address: null, door: 'cli' });
  const endedText =
    ended.sessions + ended.links + ended.tokens > 0 ? ' (their other sessions, personal links and API tokens have ended)' : '';
  const inactive = person.active ? '' : ' (the account is deactivated: an owner reactivates it on the People page)';
  return `New password set for ${input.email}${endedText}${inactive}`;
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
