/**
 * Fields: what a run records (an order number, a tracking number, an amount refunded).
 * Written `Name (type)` or `Name (type, required)`, as a front-matter `fields:` item (asked
 * when a run starts) or a step's `Field:` line (filled while the step is open). One module
 * reads the definitions and checks and stores values, so the parser, the API, the pages and
 * the conditions all agree on what a value of each type is.
 */

export const FIELD_TYPES = ['text', 'long text', 'number', 'money', 'date', 'yes/no', 'email', 'url', 'one of'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_NAME_MAX = 60;
/** Longest value a text field keeps: a note, not a document. */
export const TEXT_MAX = { text: 500, 'long text': 10_000 } as const;

export interface FieldDef {
  name: string;
  type: FieldType;
  /** The choices of a `one of` field, in the order written. */
  options: string[];
  required: boolean;
  /** The definition as written (`Order number (text, required)`), so export gives it back unchanged. */
  source: string;
}

/** A stored value: text as typed, numbers as numbers, money in cents, dates as YYYY-MM-DD, yes/no as booleans. */
export type FieldValue = string | number | boolean;

const DEFINITION = /^(.+?)[ \t]*\((.+)\)[ \t]*$/;

/** Reads one definition, or says what is wrong with it in words for the line's error. */
export function parseFieldDef(text: string): { ok: true; field: FieldDef } | { ok: false; message: string } {
  const source = text.trim();
  const match = DEFINITION.exec(source);
  if (!match) return { ok: false, message: `field "${source}" needs a type in brackets, e.g. "Order number (text, required)"` };
  const name = (match[1] as string).trim();
  let inside = (match[2] as string).trim();
  if (name === '') return { ok: false, message: `field "${source}" has no name before its type` };
  if (name.length > FIELD_NAME_MAX) return { ok: false, message: `field name "${name}" is longer than ${FIELD_NAME_MAX} characters` };
  if (/[{}]/.test(name)) return { ok: false, message: `field name "${name}" may not contain { or }` };
  let required = false;
  const requiredMark = /,[ \t]*required$/i;
  if (requiredMark.test(inside)) {
    required = true;
    inside = inside.replace(requiredMark, '').trim();
  }
  const choice = /^one of[ \t]*:(.*)$/i.exec(inside);
  if (choice) {
    const options = (choice[1] as string)
      .split('|')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    if (options.length < 2) return { ok: false, message: `field "${name}": "one of" needs at least two choices, e.g. (one of: Card | PayPal)` };
    const seen = new Set<string>();
    for (const option of options) {
      if (seen.has(option.toLowerCase())) return { ok: false, message: `field "${name}": the choice "${option}" is listed twice` };
      seen.add(option.toLowerCase());
    }
    return { ok: true, field: { name, type: 'one of', options, required, source } };
  }
  const type = inside.toLowerCase().replace(/[ \t]+/g, ' ');
  if (!(FIELD_TYPES as readonly string[]).includes(type) || type === 'one of') {
    return {
      ok: false,
      message: `field "${name}" has the unknown type "${inside}": use text, long text, number, money, date, yes/no, email, url, or one of: A | B`,
    };
  }
  return { ok: true, field: { name, type: type as FieldType, options: [], required, source } };
}

/** Names compare without case: "Order number" and "order Number" are one field. */
export const fieldKey = (name: string) => name.trim().toLowerCase();

/** A calendar day that exists (2026-02-30 does not), as YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Checks a value typed or sent for a field and gives it in its stored form, or the reason it
 * will not do (a sentence to show beside the field). Blank text means "no value".
 */
export function readFieldValue(field: FieldDef, input: unknown): { ok: true; value: FieldValue | null } | { ok: false; message: string } {
  if (input === null || input === undefined || (typeof input === 'string' && input.trim() === '')) return { ok: true, value: null };
  const text = typeof input === 'string' ? input.trim() : null;
  switch (field.type) {
    case 'text':
    case 'long text': {
      if (text === null) return { ok: false, message: `${field.name} must be text` };
      const max = TEXT_MAX[field.type];
      if (text.length > max) return { ok: false, message: `${field.name} is longer than ${max.toLocaleString('en')} characters` };
      return { ok: true, value: text };
    }
    case 'number': {
      const number = typeof input === 'number' ? input : text !== null && /^-?\d+(\.\d+)?$/.test(text.replace(/,/g, '')) ? Number(text.replace(/,/g, '')) : NaN;
      if (!Number.isFinite(number) || Math.abs(number) > 1e12) return { ok: false, message: `${field.name} must be a number, like 12 or 3.5` };
      return { ok: true, value: number };
    }
    case 'money': {
      // Cents, exactly: a number with three decimals is a typing mistake, not a rounding.
      const raw = typeof input === 'number' ? String(input) : (text ?? '').replace(/,/g, '');
      const match = /^(-?)(\d{1,10})(?:\.(\d{1,2}))?$/.exec(raw);
      if (!match) return { ok: false, message: `${field.name} must be an amount with at most two decimals, like 42 or 42.50` };
      const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
      return { ok: true, value: match[1] === '-' ? -cents : cents };
    }
    case 'date':
      if (text === null || !isCalendarDay(text)) return { ok: false, message: `${field.name} must be a date in the calendar` };
      return { ok: true, value: text };
    case 'yes/no': {
      if (typeof input === 'boolean') return { ok: true, value: input };
      const answer = text?.toLowerCase();
      if (answer === 'yes' || answer === 'true') return { ok: true, value: true };
      if (answer === 'no' || answer === 'false') return { ok: true, value: false };
      return { ok: false, message: `${field.name} must be yes or no` };
    }
    case 'email':
      if (text === null || text.length > 320 || !EMAIL.test(text)) return { ok: false, message: `${field.name} must be an email address, like name@example.com` };
      return { ok: true, value: text };
    case 'url': {
      if (text === null || text.length > 2000) return { ok: false, message: `${field.name} must be a web address starting with https://` };
      let url: URL | null;
      try {
        url = new URL(text);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        return { ok: false, message: `${field.name} must be a web address starting with https://` };
      }
      return { ok: true, value: text };
    }
    case 'one of': {
      const chosen = field.options.find((o) => o.toLowerCase() === text?.toLowerCase());
      if (!chosen) return { ok: false, message: `${field.name} must be one of ${field.options.join(', ')}` };
      return { ok: true, value: chosen };
    }
  }
}

/** A stored value as people read it: "42.50", "yes", "5 Dec 2026". */
export function fieldValueText(field: Pick<FieldDef, 'type'>, value: FieldValue | null): string {
  if (value === null) return '';
  switch (field.type) {
    case 'money': {
      const cents = Number(value);
      const sign = cents < 0 ? '-' : '';
      const abs = Math.abs(cents);
      return `${sign}${Math.floor(abs / 100).toLocaleString('en')}.${String(abs % 100).padStart(2, '0')}`;
    }
    case 'yes/no':
      return value ? 'yes' : 'no';
    case 'date': {
      const date = new Date(`${String(value)}T00:00:00Z`);
      return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    }
    default:
      return String(value);
  }
}
