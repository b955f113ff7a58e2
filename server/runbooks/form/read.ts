import { INCOMES, type Income } from '../format/model';
import { emptyKept, emptyStep, type KeptStep, type RunbookForm, type StepForm } from './model';
import { SCHEDULE_KINDS, type ScheduleKind } from './schedule';

/**
 * The structured editor's form as posted: flat names (`s2-title`), read without trusting any of
 * it. Whatever comes in is written as text and parsed by the one parser before anything is saved.
 */

/** The most steps one form holds: each step is a dozen fields, and a form post takes 1,000. */
export const FORM_STEPS_MAX = 60;

export type FormAction =
  | { kind: 'save' }
  | { kind: 'refresh' }
  | { kind: 'add' }
  | { kind: 'remove' | 'up' | 'down' | 'preview'; step: number };

export interface PostedForm {
  form: RunbookForm;
  action: FormAction;
  base: number | null;
  slug: string;
}

// Browsers send text areas with CRLF line ends; the store keeps LF like the files.
const lf = (text: string) => text.replace(/\r\n?/g, '\n');

export function readPostedForm(body: unknown): PostedForm {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const field = (name: string) => (typeof fields[name] === 'string' ? lf(fields[name] as string) : '');
  const count = Math.min(/^\d{1,3}$/.test(field('steps')) ? Number(field('steps')) : 0, FORM_STEPS_MAX);
  const steps: StepForm[] = Array.from({ length: count }, (_, i) => {
    const at = (name: string) => field(`s${i}-${name}`);
    return {
      ...emptyStep(),
      title: at('title'),
      owner: at('owner'),
      estimate: at('estimate'),
      due: at('due'),
      optional: at('optional') === 'yes',
      instructions: at('instructions'),
      checks: at('checks'),
      fields: at('fields'),
      kept: readKept(at('kept')),
    };
  });
  const kind = field('schedule');
  const base = field('base');
  return {
    form: {
      frontMatter: field('front'),
      title: field('title'),
      category: field('category'),
      owner: field('owner'),
      tags: field('tags'),
      schedule: {
        kind: (SCHEDULE_KINDS as readonly string[]).includes(kind) ? (kind as ScheduleKind) : 'none',
        day: field('schedule-day'),
        date: field('schedule-date'),
        time: field('schedule-time').trim(),
        kept: field('schedule-kept'),
      },
      review: field('review'),
      intro: field('intro'),
      steps,
    },
    action: readAction(field('action'), count),
    base: /^[1-9]\d{0,8}$/.test(base) ? Number(base) : null,
    slug: field('slug').trim().slice(0, 200),
  };
}

function readAction(text: string, count: number): FormAction {
  if (text === 'save' || text === 'add') return { kind: text };
  const match = /^(remove|up|down|preview):(\d{1,3})$/.exec(text);
  const step = Number(match?.[2]);
  if (match && step < count) return { kind: match[1] as 'remove' | 'up' | 'down' | 'preview', step };
  return { kind: 'refresh' };
}

/** The settings the form carries unedited, as JSON in a hidden field; anything else is dropped. */
function readKept(text: string): KeptStep {
  const kept = emptyKept();
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch {
    return kept;
  }
  if (!value || typeof value !== 'object') return kept;
  const raw = value as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !v.includes('\n') ? v : null);
  kept.when = str(raw.when);
  kept.approval = str(raw.approval);
  kept.income = (INCOMES as readonly unknown[]).includes(raw.income) ? (raw.income as Income) : null;
  kept.optionalNo = raw.optionalNo === true;
  return kept;
}

/**
 * Adds, removes or moves a step as the button asked. Returns the control to put the keyboard
 * back on once the page comes again, so that a keyboard user carries on where they were.
 */
export function applyAction(form: RunbookForm, action: FormAction): string | null {
  const steps = form.steps;
  switch (action.kind) {
    case 'add':
      if (steps.length >= FORM_STEPS_MAX) return null;
      steps.push(emptyStep());
      return `f-s${steps.length - 1}-title`;
    case 'remove':
      steps.splice(action.step, 1);
      return steps.length === 0 ? 'f-add' : `f-s${Math.min(action.step, steps.length - 1)}-title`;
    case 'up':
    case 'down': {
      const to = action.kind === 'up' ? action.step - 1 : action.step + 1;
      if (to < 0 || to >= steps.length) return null;
      const [moved] = steps.splice(action.step, 1);
      steps.splice(to, 0, moved as StepForm);
      // The same button on the moved step, unless it now stands at that end of the list.
      const edge = (action.kind === 'up' && to === 0) || (action.kind === 'down' && to === steps.length - 1);
      return `f-s${to}-${edge ? (action.kind === 'up' ? 'down' : 'up') : action.kind}`;
    }
    case 'preview':
      return `f-s${action.step}-preview`;
    default:
      return null;
  }
}
