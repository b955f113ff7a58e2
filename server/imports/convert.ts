import type { Db } from '../db/open';
import { listPeople } from '../people/repo';
import { listRoles } from '../people/roles-repo';
import { parseRunbook } from '../runbooks/format/parse';
import { saveVersion, type SaveOutcome } from '../runbooks/repo';
import { makeDraft, type DraftDetail, type ImportOptions } from './draft';
import { readDocument, type DocumentKind } from './source';

/** The use cases of importing, called by the API, the page and the CLI alike. */

/** Role names first (the format prefers roles), then active people's names. */
export function knownOwners(db: Db): string[] {
  return [
    ...listRoles(db).map((r) => r.name),
    ...listPeople(db)
      .filter((p) => p.active)
      .map((p) => p.name),
  ];
}

/**
 * The draft of a document already read as Markdown. A document the rules cannot cut into
 * steps (Markdown nested thousands deep overflows the lexer) becomes a plain draft: one step
 * holding the text, with a note; never a 500.
 */
export function draftOf(db: Db, document: string, filename: string | null, options: ImportOptions = {}, notes: string[] = []): DraftDetail {
  const known = knownOwners(db);
  try {
    return makeDraft({ document, filename, known, options, notes });
  } catch (error) {
    if (!(error instanceof RangeError) && !/does not read back/.test((error as Error).message)) throw error;
    const plain = document.replace(/^/gm, '    ');
    return makeDraft({
      document: `Imported text\n\n${plain}`,
      filename,
      known,
      notes: [...notes, 'The document is nested too deeply to read as a procedure: its text is kept as it was, in one step.'],
    });
  }
}

/** Reads a file (any supported kind) and makes its draft. */
export async function convertFile(
  db: Db,
  bytes: Buffer,
  { filename, contentType, options }: { filename: string | null; contentType: string | null; options?: ImportOptions },
): Promise<DraftDetail & { kind: DocumentKind; document: string }> {
  const read = await readDocument(bytes, { filename, contentType });
  return { ...draftOf(db, read.markdown, filename, options, read.notes), kind: read.kind, document: read.markdown };
}

/** Saves a draft as a runbook's new version (the runbook is created if new). */
export function saveDraft(db: Db, slug: string, markdown: string, createdBy: number | null): SaveOutcome {
  const parsed = parseRunbook(markdown);
  if (!parsed.ok) throw new Error(`a draft that does not parse: ${parsed.problems[0]?.message}`);
  return saveVersion(db, slug, markdown, parsed.runbook, { origin: 'import', createdBy }).outcome;
}

/** The draft as the API gives it. */
export function presentDraft(draft: DraftDetail) {
  return {
    title: draft.title,
    slug: draft.slug,
    introduction: draft.introduction,
    steps: draft.steps.map((s) => ({ title: s.title, owner: s.owner, checks: s.checks, text: s.text })),
    notes: draft.notes,
    markdown: draft.markdown,
  };
}
