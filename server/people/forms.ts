import { z } from 'zod';
import { LEVELS } from '../access/actor';
import { text } from '../http/forms';

/**
 * The team pages' forms. Messages are written to be read beside the field they name (the
 * API's `field: message` style reads oddly under a label), and every field name is unique
 * across the forms of one page, so an error lands beside the control that caused it.
 */

const email = z
  .string('Enter an email address.')
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter an email address, like name@example.com.').max(320));
const kind = z.enum(['team', 'outsourcer'], 'Choose team or outsourcer.');
/** A money amount as typed: blank means "no cost recorded". */
const cost = z
  .string()
  .trim()
  .regex(/^(\d{1,6}([.,]\d{1,2})?)?$/, 'Enter an amount per hour, like 25 or 42.50, or leave it empty.')
  .transform((value) => (value === '' ? null : Math.round(Number(value.replace(',', '.')) * 100)))
  .pipe(z.number().max(10_000_000, 'That is more than 100,000 an hour.').nullable());

export const addPersonForm = z.object({
  name: text(200, 'Enter their name.'),
  email,
  kind: kind.default('team'),
  // Blank: the usual level for the kind (member for the team, outsourcer for outsourcers).
  level: z.union([z.literal(''), z.enum(LEVELS, 'Choose an access level.')]).default(''),
  access: z.enum(['invitation', 'link', 'none'], 'Choose how they get in.').default('invitation'),
  // The roles ticked on the same form: none, one (a string) or several.
  roles: z
    .union([z.string(), z.array(z.string()).max(200)])
    .optional()
    .transform((v) =>
      [v ?? []]
        .flat()
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0),
    ),
});

export const detailsForm = z.object({
  name: text(200, 'Enter their name.'),
  email,
  kind,
  hourlyCost: cost.default(null),
});

export const levelForm = z.object({ level: z.enum(LEVELS, 'Choose an access level.') });

export const activeForm = z.object({
  active: z.enum(['0', '1']).transform((value) => value === '1'),
  confirm: z.string().optional(),
});

export const roleForm = z.object({
  roleName: text(200, 'Enter the role’s name.'),
  roleDescription: z.string().trim().max(2000, 'Keep it under 2,000 characters.').default(''),
});

export const memberForm = z.object({
  person: z
    .string('Choose a person.')
    .regex(/^[1-9]\d{0,15}$/, 'Choose a person.')
    .transform(Number),
  as: z.enum(['backup', 'primary'], 'Choose primary or backup.').default('backup'),
});
