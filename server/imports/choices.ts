import type { ImportOptions } from './draft';

/**
 * The import page's form, read leniently into the draft's choices: every field is optional,
 * and a value that makes no sense is no choice at all (the rules decide instead).
 */

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
const ids = (value: unknown) =>
  list(value)
    .filter((v) => /^[1-9]\d{0,6}$/.test(v))
    .map(Number);
const KEY = /^[0-9]+(?:\.[0-9]+)?(?:~2)?$/;

export interface PageForm {
  intent: 'convert' | 'update' | 'save';
  document: string | null;
  filename: string | null;
  text: string;
  slug: string;
  options: ImportOptions;
}

export function readPageForm(body: unknown): PageForm {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const one = (name: string) => {
    const value = fields[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : '';
  };
  const intent = one('intent');
  const owners: Record<string, string> = {};
  const titles: Record<string, string> = {};
  const split: Record<string, number> = {};
  for (const [name, value] of Object.entries(fields)) {
    const [kind, key] = name.split(':');
    if (!key || !KEY.test(key) || typeof value !== 'string') continue;
    if (kind === 'owner') owners[key] = value;
    if (kind === 'steptitle' && value.trim() !== '') titles[key] = value;
    if (kind === 'split' && /^\d{1,4}$/.test(value) && Number(value) >= 2) split[key] = Number(value);
  }
  // A new role typed beside a step wins over the list's choice.
  for (const [name, value] of Object.entries(fields)) {
    const [kind, key] = name.split(':');
    if (kind === 'newowner' && key && KEY.test(key) && typeof value === 'string' && value.trim() !== '')
      owners[key] = value.trim().slice(0, 100);
  }
  const level = one('level');
  const document = typeof fields.document === 'string' ? fields.document.replace(/\r\n?/g, '\n') : null;
  return {
    intent:
      intent === 'save'
        ? 'save'
        : intent === 'update' && document !== null
          ? 'update'
          : document !== null && intent !== 'convert'
            ? 'update'
            : 'convert',
    document,
    filename: one('filename').trim().slice(0, 255) || null,
    text: one('text').replace(/\r\n?/g, '\n'),
    slug: one('slug').trim().slice(0, 150),
    options: {
      level: /^[1-7]$/.test(level) ? Number(level) : null,
      toIntro: ids(fields.intro),
      toStep: ids(fields.step),
      merge: list(fields.merge).filter((key) => KEY.test(key)),
      split,
      owners,
      titles,
      title: one('title').trim().slice(0, 200) || null,
    },
  };
}
