import { renderInlineMarkdown, renderMarkdown } from '../markdown/render';
import { withTaskBoxes } from '../runbooks/page-model';
import type { DraftDetail } from './draft';
import { splitFrontMatter } from './front-matter';
import { levelName } from './notes';
import { IMPORT_LIMIT_LABEL, KIND_LABELS, type DocumentKind } from './source';
import type { PageForm } from './choices';

/** What the import pages show: the shapes views/imports/*.hbs read. */

/**
 * A long document's draft shows its first steps to adjust, and the original its first part: a
 * 1 MB handbook of 3,000 steps would otherwise be a 10 MB page that no phone could use (and a
 * form over the post's field limit). The other steps are saved as the rules made them.
 */
const SHOWN_STEPS = 100;
const SHOWN_ORIGINAL_CHARS = 100_000;

export const startPage = () => ({
  title: 'Import a document',
  limit: IMPORT_LIMIT_LABEL,
});

export function draftPage(input: {
  draft: DraftDetail;
  document: string;
  filename: string | null;
  kind: DocumentKind | null;
  form: PageForm | null;
  roles: string[];
  slug: string;
}) {
  const { draft, form } = input;
  const options = form?.options ?? {};
  const moved = new Set(options.toIntro ?? []);
  const merged = new Set(options.merge ?? []);
  const ownerNames = [...new Set([...input.roles, ...draft.newOwners])];
  return {
    title: `Import “${draft.title}”`,
    document: input.document,
    filename: input.filename,
    kindLabel: input.kind ? KIND_LABELS[input.kind] : null,
    slug: input.slug,
    draft: {
      title: draft.title,
      notes: draft.notes,
      introHtml: withTaskBoxes(renderMarkdown(draft.introduction)),
      hasIntro: draft.introduction !== '',
      introSections: draft.introSections.map((s) => ({ id: s.id, title: s.title, moved: moved.has(s.id) })),
      levels: [
        {
          value: '',
          label: `Automatic (${draft.level === null ? 'no headings' : levelName(draft.level)})`,
          selected: options.level === null || options.level === undefined,
        },
        ...draft.levels.map((l) => ({
          value: String(l.level),
          label: `${levelName(l.level).replace(/^./, (c) => c.toUpperCase())}: ${l.sections} (such as “${l.example}”)`,
          selected: options.level === l.level,
        })),
      ],
      stepCount: draft.steps.length,
      moreSteps: Math.max(0, draft.steps.length - SHOWN_STEPS),
      steps: draft.steps.slice(0, SHOWN_STEPS).map((step, i) => {
        const key = draft.keys[i] as string;
        const section = draft.sections[i] ?? null;
        const firstOfSection = section !== null && (i === 0 || draft.sections[i - 1] !== section);
        return {
          key,
          position: i + 1,
          title: step.title,
          owner: step.owner,
          isNewOwner: step.owner !== null && draft.newOwners.includes(step.owner),
          ownerOptions: [
            { value: '', label: 'Nobody yet', selected: step.owner === null },
            ...ownerNames.map((name) => ({
              value: name,
              label: draft.newOwners.includes(name) ? `${name} (new role)` : name,
              selected: name === step.owner,
            })),
          ],
          checkCount: step.checks.length,
          bodyHtml: withTaskBoxes(renderMarkdown(step.text)),
          section: firstOfSection ? section : null,
          canMerge: i > 0,
          merged: merged.has(key),
          // A step split as chosen shows the choice on its second part, where it can be undone.
          splitKept: key.endsWith('~2') ? { key: key.slice(0, -2), value: options.split?.[key.slice(0, -2)] } : null,
          splitOptions:
            step.checks.length >= 2 && options.split?.[key] === undefined
              ? step.checks.slice(1).map((check, n) => ({
                  value: String(n + 2),
                  label: `Before check ${n + 2}: ${plainText(check)}`,
                  selected: options.split?.[key] === n + 2,
                }))
              : [],
        };
      }),
    },
    merged: draft.merged,
    // Sections the person made steps: kept so the next update keeps them steps.
    madeSteps: options.toStep ?? [],
    ...original(splitFrontMatter(input.document).body),
  };
}

/** The original as the page shows it: whole, or up to the end of a line past its first 100,000 characters. */
function original(body: string): { originalHtml: string; originalCut: boolean } {
  const end = body.length > SHOWN_ORIGINAL_CHARS ? body.indexOf('\n', SHOWN_ORIGINAL_CHARS) : -1;
  const shown = end === -1 ? body : body.slice(0, end);
  return { originalHtml: withTaskBoxes(renderMarkdown(shown)), originalCut: shown.length < body.length };
}

/** A check's words for a list option: its inline Markdown without the marks. */
function plainText(markdown: string): string {
  const text = renderInlineMarkdown(markdown)
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_all, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] as string);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
