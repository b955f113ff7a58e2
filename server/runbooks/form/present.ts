import { renderMarkdown } from '../../markdown/render';
import { describeReview, parseReviewInterval } from '../format/durations';
import type { ParseProblem } from '../format/model';
import { describeSchedule } from '../format/schedule';
import type { RunbookForm, TextMap } from './model';
import { MONTH_DAYS_MAX } from './schedule';

/** What the structured editor's page shows: the form's values with their choices made, errors beside fields. */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
const REVIEWS: [string, string][] = [
  ['', 'No review reminder'],
  ['1mo', 'Monthly'],
  ['3mo', 'Every 3 months'],
  ['6mo', 'Every 6 months'],
  ['1y', 'Yearly'],
];
const INCOME_WORDS = { direct: 'brings in money directly', indirect: 'helps bring in money', none: 'does not bring in money' };

const sameInterval = (a: string, b: string) => {
  const x = parseReviewInterval(a);
  const y = parseReviewInterval(b);
  return x !== null && y !== null && x.amount === y.amount && x.unit === y.unit;
};

function reviewOptions(review: string) {
  const stored = review.trim();
  const options = REVIEWS.map(([value, label]) => ({ value: stored !== '' && sameInterval(stored, value) ? stored : value, label }));
  if (stored !== '' && !options.some((o) => o.value === stored)) options.push({ value: stored, label: `Every ${describeReview(stored).replace(/^every /, '')}` });
  return options.map((o) => ({ ...o, selected: o.value === stored }));
}

export interface PresentOptions {
  roles: string[];
  errors: Record<string, string>;
  focus: string | null;
  preview: number | null;
}

export function presentForm(form: RunbookForm, { roles, errors, focus, preview }: PresentOptions) {
  const { schedule } = form;
  const kinds = [
    ['none', 'Not on a schedule'],
    ['daily', 'Every day'],
    ['weekdays', 'Every weekday (Mon to Fri)'],
    ['weekly', 'Weekly, on a day'],
    ['monthly', 'Monthly, on a date'],
    ...(schedule.kept.trim() !== '' ? [['kept', `As it is: ${describeSchedule(schedule.kept)}`]] : []),
  ];
  return {
    form,
    fieldErrors: errors,
    focus,
    roles,
    scheduleKinds: kinds.map(([value, label]) => ({ value, label, selected: value === schedule.kind })),
    scheduleDays: DAYS.map((label, i) => ({ value: String(i), label, selected: String(i) === schedule.day })),
    scheduleDates: Array.from({ length: MONTH_DAYS_MAX }, (_, i) => ({
      value: String(i + 1),
      label: `the ${ordinal(i + 1)}`,
      selected: String(i + 1) === schedule.date,
    })),
    reviewOptions: reviewOptions(form.review),
    stepCount: form.steps.length,
    steps: form.steps.map((step, i) => {
      const id = (name: string) => `f-s${i}-${name}`;
      const kept = [
        step.kept.when ? `Only when ${step.kept.when}` : null,
        step.kept.approval ? `Approved by ${step.kept.approval}` : null,
        step.kept.income ? `This step ${INCOME_WORDS[step.kept.income]}` : null,
      ].filter((line) => line !== null);
      const error = (name: string) => errors[`s${i}-${name}`];
      return {
        ...step,
        index: i,
        number: i + 1,
        first: i === 0,
        last: i === form.steps.length - 1,
        keptJson: JSON.stringify(step.kept),
        keptWords: kept,
        errors: {
          title: error('title'),
          owner: error('owner'),
          estimate: error('estimate'),
          due: error('due'),
          instructions: error('instructions'),
          fields: error('fields'),
          kept: error('kept'),
        },
        focus: focus?.startsWith(id('')) ? focus.slice(id('').length) : null,
        previewHtml: preview === i ? previewHtml(step.instructions, step.checks) : null,
      };
    }),
  };
}

/** The step as the team will read it: its instructions rendered by the one renderer, its checks as a list. */
function previewHtml(instructions: string, checks: string): string {
  const items = checks
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const list = items.length > 0 ? `<ul class="lib-checks">${items.map((item) => `<li>☐ ${renderInline(item)}</li>`).join('')}</ul>` : '';
  return renderMarkdown(instructions) + list;
}
const renderInline = (text: string) => renderMarkdown(text).replace(/^<p>|<\/p>\s*$/g, '');

const STEP_FIELDS: [RegExp, string][] = [
  [/^owner\s*:/i, 'owner'],
  [/^estimate\s*:/i, 'estimate'],
  [/^due\s*:/i, 'due'],
  [/^field\s*:/i, 'fields'],
  [/^(when|approval|income|optional)\s*:/i, 'kept'],
];
/** The parser names a step's settings as the file writes them; the form's labels say them otherwise. */
const inFormWords = (message: string) =>
  message
    .replace(/^Estimate "/, 'How long it takes: "')
    .replace(/^Owner /, 'Who does it: ')
    .replace(/^field "/, 'Detail to record "');

const SETTINGS = new Set(['title', 'category', 'owner', 'tags', 'schedule', 'review']);

/**
 * The parser's problems, each beside the field it is about and in a list naming the step, from
 * the line of the text the form was written as.
 */
export function formProblems(problems: ParseProblem[], source: string, map: TextMap, form: RunbookForm) {
  const lines = source.split('\n');
  const errors: Record<string, string> = {};
  const list: { href: string; text: string }[] = [];
  const add = (field: string, where: string, message: string) => {
    errors[field] ??= message;
    list.push({ href: `#f-${field}`, text: `${where}: ${message}` });
  };
  for (const { line, message } of problems) {
    const text = lines[line - 1]?.trim() ?? '';
    if (line <= map.frontMatterEnd) {
      const key = /^([\w-]+)\s*:/.exec(text)?.[1] ?? '';
      add(SETTINGS.has(key) ? key : 'settings', SETTINGS.has(key) ? 'Settings' : 'Settings kept from the file', message);
      continue;
    }
    const index = map.stepStarts.findLastIndex((start) => start <= line);
    if (index < 0) {
      add('intro', 'Introduction', message);
      continue;
    }
    const title = form.steps[index]?.title.trim();
    const where = `Step ${index + 1}${title ? ` “${title}”` : ''}`;
    const field = line === map.stepStarts[index] ? 'title' : (STEP_FIELDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'instructions');
    add(`s${index}-${field}`, where, inFormWords(message));
  }
  return { errors, list };
}
