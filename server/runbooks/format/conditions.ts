import { fieldKey, readFieldValue, type FieldDef, type FieldValue } from './fields';

/**
 * A step's `When:` line: the step applies only while it holds. `Amount > 100`,
 * `Reason is Damaged`, `Tracking number is set`, joined with `and`. Conditions are parsed
 * against the runbook's fields (so a value is checked against its field's type when the file
 * is read, not when a run trips over it) and evaluated against a run's values.
 */
export type Operator = 'is' | 'is not' | 'is set' | 'is empty' | '>' | '>=' | '<' | '<=';

export interface Clause {
  /** The field's name as defined (not as typed in the condition). */
  field: string;
  op: Operator;
  /** The compared value in its stored form; null for `is set` / `is empty`. */
  value: FieldValue | null;
}

export type Condition = Clause[];

const ORDERED = new Set(['number', 'money', 'date']);
// Longest first, so "is not" is not read as "is" followed by a value "not …".
const OPERATORS: { text: RegExp; op: Operator }[] = [
  { text: /^is[ \t]+not[ \t]+/i, op: 'is not' },
  { text: /^is[ \t]+set$/i, op: 'is set' },
  { text: /^is[ \t]+empty$/i, op: 'is empty' },
  { text: /^is[ \t]+/i, op: 'is' },
  { text: /^>=[ \t]*/, op: '>=' },
  { text: /^<=[ \t]*/, op: '<=' },
  { text: /^>[ \t]*/, op: '>' },
  { text: /^<[ \t]*/, op: '<' },
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads a condition. `visible` are the fields it may name (the run fields and those of earlier
 * steps); `all` are every field of the runbook, so that naming a later step's field is told
 * apart from naming none.
 */
export function parseCondition(text: string, visible: FieldDef[], all: FieldDef[]): { ok: true; condition: Condition } | { ok: false; message: string } {
  const names = [...all].sort((a, b) => b.name.length - a.name.length);
  const visibleKeys = new Set(visible.map((f) => fieldKey(f.name)));
  // "and" starts a new clause only where a field name and an operator follow it.
  const clauseStart = names.length === 0 ? null : new RegExp(`[ \\t]+and[ \\t]+(?=(?:${names.map((f) => escape(f.name)).join('|')})[ \\t]*(?:is\\b|[<>]))`, 'i');
  const condition: Condition = [];
  let rest = text.trim();
  while (rest !== '') {
    const field = names.find((f) => rest.toLowerCase().startsWith(f.name.toLowerCase()) && /^(?:[ \t]|[<>]|$)/.test(rest.slice(f.name.length)));
    if (!field) {
      const named = /^(.+?)(?:[ \t]+is\b|[ \t]*[<>]|$)/i.exec(rest)?.[1]?.trim() ?? rest;
      return { ok: false, message: `When "${text.trim()}": "${named}" is not a field of this runbook` };
    }
    if (!visibleKeys.has(fieldKey(field.name))) {
      return { ok: false, message: `When "${text.trim()}": "${field.name}" is filled in a later step; a condition may name run fields and fields of earlier steps only` };
    }
    rest = rest.slice(field.name.length).trimStart();
    const end = clauseStart?.exec(rest);
    const clauseText = end ? rest.slice(0, end.index) : rest;
    rest = end ? rest.slice(end.index + end[0].length) : '';
    const operator = OPERATORS.find((o) => o.text.test(clauseText));
    if (!operator) return { ok: false, message: `When "${text.trim()}": after "${field.name}" write is, is not, is set, is empty, >, >=, < or <=` };
    const valueText = clauseText.replace(operator.text, '').trim();
    if (operator.op === 'is set' || operator.op === 'is empty') {
      condition.push({ field: field.name, op: operator.op, value: null });
      continue;
    }
    if (['>', '>=', '<', '<='].includes(operator.op) && !ORDERED.has(field.type)) {
      return { ok: false, message: `When "${text.trim()}": ${operator.op} does not fit "${field.name}" (${field.type}); use is or is not` };
    }
    if (valueText === '') return { ok: false, message: `When "${text.trim()}": "${field.name} ${operator.op}" needs a value to compare with` };
    const value = readFieldValue(field, valueText);
    if (!value.ok || value.value === null) {
      const why = field.type === 'one of' ? `"${valueText}" is not one of ${field.options.join(', ')}` : value.ok ? 'no value' : value.message;
      return { ok: false, message: `When "${text.trim()}": ${why}` };
    }
    condition.push({ field: field.name, op: operator.op, value: value.value });
  }
  if (condition.length === 0) return { ok: false, message: 'When has no condition' };
  return { ok: true, condition };
}

const same = (a: FieldValue, b: FieldValue) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);

/** Whether a condition holds for a run's values (by field key); an empty field is neither equal nor more nor less. */
export function conditionHolds(condition: Condition, valueOf: (name: string) => FieldValue | null): boolean {
  return condition.every((clause) => {
    const value = valueOf(clause.field);
    switch (clause.op) {
      case 'is set':
        return value !== null;
      case 'is empty':
        return value === null;
      case 'is':
        return value !== null && same(value, clause.value as FieldValue);
      case 'is not':
        return value === null || !same(value, clause.value as FieldValue);
      default: {
        if (value === null) return false;
        const [a, b] = [value, clause.value as FieldValue];
        if (clause.op === '>') return a > b;
        if (clause.op === '>=') return a >= b;
        if (clause.op === '<') return a < b;
        return a <= b;
      }
    }
  });
}
