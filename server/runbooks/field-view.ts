import { fieldValueText, type FieldDef, type FieldType, type FieldValue } from './format/fields';

/** A field as the pages show and ask for it: its value in words, and what its input needs. */
export interface FieldView {
  name: string;
  type: FieldType;
  required: boolean;
  /** The value as people read it ("42.50", "5 Dec 2026", "yes"); '' when empty. */
  text: string;
  /** What the input holds: the value as typed back ("42.50", "2026-12-05", "yes"). */
  input: string;
  options: { value: string; label: string; selected: boolean }[];
  hint: string | null;
  setBy: { id: number; name: string } | null;
  setAt: string | null;
}

const HINTS: Partial<Record<FieldType, string>> = {
  money: 'An amount, like 42.50',
  number: 'A number, like 12 or 3.5',
  email: 'An email address',
  url: 'A web address starting with https://',
};

/** What an input shows for a stored value: the form the server reads back. */
function inputText(type: FieldType, value: FieldValue | null): string {
  if (value === null) return '';
  if (type === 'money') return fieldValueText({ type }, value).replace(/,/g, '');
  if (type === 'yes/no') return value ? 'yes' : 'no';
  return String(value);
}

export function fieldView(
  field: { name: string; type: FieldType; required: boolean; options: string[]; value: FieldValue | null; setBy?: { id: number; name: string } | null; setAt?: string | null },
  typed?: string,
): FieldView {
  const input = typed ?? inputText(field.type, field.value);
  const choices =
    field.type === 'yes/no'
      ? [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]
      : field.options.map((o) => ({ value: o, label: o }));
  return {
    name: field.name,
    type: field.type,
    required: field.required,
    text: fieldValueText({ type: field.type }, field.value),
    input,
    options: choices.map((c) => ({ ...c, selected: c.value.toLowerCase() === input.toLowerCase() })),
    hint: HINTS[field.type] ?? null,
    setBy: field.setBy ?? null,
    setAt: field.setAt ?? null,
  };
}

/** The start form's inputs for a runbook's run fields: named field-0, field-1, … in order. */
export const startFieldViews = (defs: FieldDef[], typed: Record<string, unknown> = {}) =>
  defs.map((def, i) => ({
    ...fieldView({ ...def, value: null }, typeof typed[`field-${i}`] === 'string' ? (typed[`field-${i}`] as string) : undefined),
    formName: `field-${i}`,
  }));
