import fs from 'node:fs';
import path from 'node:path';
import { parseRunbook } from '../../server/runbooks/format/parse';
import { writeRunbook } from '../../server/runbooks/format/write';
import type { Runbook } from '../../server/runbooks/format/model';
import { formToMarkdown, joinBody, runbookToForm, splitBody } from '../../server/runbooks/form/model';
import { formToCron, scheduleToForm, type ScheduleForm } from '../../server/runbooks/form/schedule';
import { generate } from '../helpers/runbook-generator';

const RUNBOOKS = path.join(__dirname, '..', '..', 'runbooks');
const names = fs
  .readdirSync(RUNBOOKS)
  .filter((name) => name.endsWith('.md'))
  .sort();

function parsed(source: string): Runbook {
  const result = parseRunbook(source);
  if (!result.ok) throw new Error(`expected the text to parse, got ${JSON.stringify(result.problems)}\n${source}`);
  return result.runbook;
}
const shipped = (name: string) => parsed(fs.readFileSync(path.join(RUNBOOKS, name), 'utf8'));

describe('form model round trip', () => {
  test.each(names)('%s comes back from the form unchanged, in the exporter layout', (name) => {
    const runbook = shipped(name);
    const { source } = formToMarkdown(runbookToForm(runbook));
    expect(parsed(source)).toEqual(runbook);
    expect(source).toBe(writeRunbook(runbook));
  });

  test.each(names)('%s: changing one step estimate changes only that step', (name) => {
    const runbook = shipped(name);
    const form = runbookToForm(runbook);
    const index = form.steps.length > 1 ? 1 : 0;
    const step = form.steps[index]!;
    step.estimate = step.estimate === '7m' ? '8m' : '7m';
    const changed = parsed(formToMarkdown(form).source);
    const minutes = step.estimate === '7m' ? 7 : 8;
    expect(changed.steps[index]).toEqual({ ...runbook.steps[index], estimate: step.estimate, estimateMinutes: minutes });
    expect({ ...changed, steps: changed.steps.filter((_, i) => i !== index) }).toEqual({
      ...runbook,
      steps: runbook.steps.filter((_, i) => i !== index),
    });
  });

  test('generated runbooks of every shape come back from the form unchanged', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const runbook = parsed(generate(seed).source);
      expect(parsed(formToMarkdown(runbookToForm(runbook)).source)).toEqual(runbook);
    }
  });

  test('keeps unknown front matter keys and comments when the title changes', () => {
    const runbook = parsed('---\ntitle: Old\n# why we ship\ncarrier_account: USPS\nreview: 6mo\n---\n\n## One\nDo it.\n');
    const form = runbookToForm(runbook);
    form.title = 'New: better';
    const { source } = formToMarkdown(form);
    expect(source).toContain('# why we ship\ncarrier_account: USPS');
    const after = parsed(source);
    expect(after.title).toBe('New: better');
    expect(after.review).toBe('6mo');
  });

  test('writes tags as a list and removes emptied settings', () => {
    const form = runbookToForm(parsed('---\ntitle: T\ncategory: money\nextra: 1\n---\n\n## One\n'));
    form.tags = 'a, b c';
    form.category = ' ';
    const after = parsed(formToMarkdown(form).source);
    expect(after.tags).toEqual(['a', 'b c']);
    expect(after.category).toBeNull();
    expect(after.frontMatter).toContain('extra: 1');
  });

  test('an unticked optional box keeps "Optional: no" and a ticked one writes yes', () => {
    const form = runbookToForm(parsed('---\ntitle: T\n---\n\n## One\nOptional: no\n\n## Two\n'));
    expect(formToMarkdown(form).source).toContain('Optional: no');
    form.steps[1]!.optional = true;
    expect(parsed(formToMarkdown(form).source).steps.map((s) => s.optional)).toEqual([false, true]);
  });

  test('tells where each step starts in the written text', () => {
    const form = runbookToForm(parsed('---\ntitle: T\nowner: Ops\n---\n\nIntro\n\ntwo lines\n\n## One\nEstimate: 5m\n\nText\n\n## Two\n'));
    const { source, map } = formToMarkdown(form);
    const lines = source.split('\n');
    expect(lines[map.frontMatterEnd - 1]).toBe('---');
    expect(map.stepStarts.map((line) => lines[line - 1])).toEqual(['## One', '## Two']);
  });
});

describe('step text and checks', () => {
  test('splits the checks that end a step from its instructions', () => {
    expect(splitBody('Do this.\n\n- [ ] First\n- [ ] Second')).toEqual({ instructions: 'Do this.', checks: 'First\nSecond' });
    expect(joinBody('Do this.', 'First\n\n Second ')).toBe('Do this.\n\n- [ ] First\n- [ ] Second');
  });

  test('keeps a step whole as instructions when its checks are not a plain list at the end', () => {
    for (const body of ['- [ ] Inside\n\nThen more text', 'Text\n- [ ] Tight against the text', 'Text\n\n- [x] Ticked']) {
      expect(splitBody(body)).toEqual({ instructions: body, checks: '' });
    }
  });
});

describe('schedule in the form', () => {
  const cases: [string, Partial<ScheduleForm>][] = [
    ['0 9 * * 1-5', { kind: 'weekdays', time: '09:00' }],
    ['30 16 * * 5', { kind: 'weekly', day: '5', time: '16:30' }],
    ['0 8 * * 7', { kind: 'weekly', day: '0', time: '08:00' }],
    ['0 10 1 * *', { kind: 'monthly', date: '1', time: '10:00' }],
    ['15 7 * * *', { kind: 'daily', time: '07:15' }],
  ];
  test.each(cases)('reads %s', (cron, form) => {
    expect(scheduleToForm(cron)).toMatchObject(form);
  });

  test('writes each choice as cron', () => {
    const base = scheduleToForm(null);
    expect(formToCron({ ...base, kind: 'weekdays', time: '09:00' }, null)).toBe('0 9 * * 1-5');
    expect(formToCron({ ...base, kind: 'weekly', day: '1', time: '14:30' }, null)).toBe('30 14 * * 1');
    expect(formToCron({ ...base, kind: 'monthly', date: '15', time: '08:05' }, null)).toBe('5 8 15 * *');
    expect(formToCron({ ...base, kind: 'daily', time: '23:59' }, null)).toBe('59 23 * * *');
    expect(formToCron(base, '0 9 * * 1-5')).toBeNull();
  });

  test('keeps the stored text when the form says the same', () => {
    expect(formToCron(scheduleToForm('00 09 * * 1-5'), '00 09 * * 1-5')).toBe('00 09 * * 1-5');
    expect(formToCron(scheduleToForm('0 9 * * 7'), '0 9 * * 7')).toBe('0 9 * * 7');
  });

  test.each(['*/15 * * * *', '0 9 * * 1,3', '0 9 31 * *', '0 9 1 1 *', '0 9-17 * * 1-5'])('keeps %s, which the form cannot say', (cron) => {
    const form = scheduleToForm(cron);
    expect(form.kind).toBe('kept');
    expect(formToCron(form, cron)).toBe(cron);
    const runbook = parsed(`---\ntitle: T\nschedule: "${cron}"\n---\n\n## One\n`);
    const again = runbookToForm(runbook);
    again.title = 'Renamed';
    expect(parsed(formToMarkdown(again).source).schedule).toBe(cron);
  });

  test('a schedule changed in the form is stored as the new cron', () => {
    const form = runbookToForm(parsed('---\ntitle: T\nschedule: "0 9 * * 1-5"\n---\n\n## One\n'));
    form.schedule = { ...form.schedule, kind: 'monthly', date: '3', time: '10:00' };
    expect(parsed(formToMarkdown(form).source).schedule).toBe('0 10 3 * *');
  });
});
