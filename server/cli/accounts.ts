import { z } from 'zod';
import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { LEVELS } from '../access/actor';
import { audit } from '../audit/repo';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { issueApiToken } from '../auth/tokens';
import { endSessionsOf } from '../auth/sessions';
import { findPersonByEmail, insertPerson } from '../people/repo';

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
  const result = schema.safeParse(input);
  if (!result.success) throw new CliInputError(result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

const CLI = { via: 'cli' } as const;

function storePassword(db: Db, personId: number, hash: string) {
  sql(
    db,
    `INSERT INTO credentials (person_id, password_hash, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
  ).run(personId, hash, new Date().toISOString());
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
  const problem = passwordProblem(password, input);
  if (problem) throw new CliInputError(`password ${problem}`);
  const hash = await hashPassword(password);
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
    storePassword(db, person.id, hash);
    audit(db, {
      action: input.level === 'owner' ? 'setup.owner-created' : 'password.changed',
      actorId: null,
      subjectId: person.id,
      data: CLI,
    });
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
  const problem = passwordProblem(password, person);
  if (problem) throw new CliInputError(`password ${problem}`);
  const hash = await hashPassword(password);
  db.transaction(() => {
    storePassword(db, person.id, hash);
    endSessionsOf(db, person.id);
    audit(db, { action: 'password.changed', actorId: null, subjectId: person.id, data: CLI });
  })();
  return `New password set for ${input.email}${person.active ? '' : ' (the account is deactivated: an owner reactivates it on the People page)'}`;
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
