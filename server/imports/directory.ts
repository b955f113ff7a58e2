import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { AppError } from '../http/errors';
import { parseRunbook } from '../runbooks/format/parse';
import { hashSource, RESERVED_SLUGS, saveVersion, SLUG, type SaveOutcome } from '../runbooks/repo';
import { appEditMessage, appEditSinceImport } from '../runbooks/import-guard';
import { slugFromTitle } from '../runbooks/slugs';
import { draftOf } from './convert';
import { IMPORT_LIMIT_BYTES, IMPORTABLE_EXTENSIONS, readDocument } from './source';

/**
 * `import --convert DIR`: every document of a folder and its subfolders, each brought in as
 * it is when it already is a runbook file, else converted by the same rules as the Import
 * page. Everything is read and converted first; then each file is saved all or nothing.
 */

export interface ConvertedFile {
  path: string;
  outcome: 'imported' | 'converted' | 'skipped';
  slug: string | null;
  saved: SaveOutcome | null;
  reason: string | null;
  notes: string[];
  steps: number;
  checks: number;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') out.push(...walk(full));
    } else if (entry.isFile()) out.push(full);
  }
  return out;
}

const FOLDER_PAGES = /^(?:readme|index|_index)$/i;

/** The slug a file's name gives: README and index take their folder's name. */
export function slugForFile(file: string, root: string): string {
  const base = path.basename(file, path.extname(file));
  const name = FOLDER_PAGES.test(base) ? path.basename(path.dirname(path.resolve(file))) || path.basename(path.resolve(root)) : base;
  const slug = slugFromTitle(name);
  return RESERVED_SLUGS.has(slug) ? `${slug}-runbook` : slug;
}

/** A runbook changed in the app since its last import is skipped (the file's line says so) unless `force`. */
export async function convertDirectory(db: Db, dir: string, { force = false }: { force?: boolean } = {}): Promise<ConvertedFile[]> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AppError(400, 'not-a-directory', `${dir} is not a directory`);
  const results: (ConvertedFile & { markdown?: string })[] = [];
  const taken = new Map<string, string>();
  for (const file of walk(dir)) {
    const result: ConvertedFile & { markdown?: string } = {
      path: file,
      outcome: 'skipped',
      slug: null,
      saved: null,
      reason: null,
      notes: [],
      steps: 0,
      checks: 0,
    };
    results.push(result);
    const extension = path.extname(file).toLowerCase();
    if (path.basename(file).startsWith('.')) {
      result.reason = 'a hidden file';
      continue;
    }
    if (!IMPORTABLE_EXTENSIONS.includes(extension)) {
      result.reason = `not a document this can import (${extension || 'no extension'}): use Word (.docx), HTML, Markdown or plain text`;
      continue;
    }
    const bytes = fs.readFileSync(file);
    if (bytes.length > IMPORT_LIMIT_BYTES) {
      result.reason = `larger than the limit of ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`;
      continue;
    }
    let markdown: string;
    let title: string;
    try {
      const source = extension === '.md' ? bytes.toString('utf8') : null;
      const asIs = source === null ? null : parseRunbook(source);
      if (source !== null && asIs?.ok) {
        result.outcome = 'imported';
        markdown = source;
        title = asIs.runbook.title;
        result.steps = asIs.runbook.steps.length;
        result.checks = asIs.runbook.steps.reduce((sum, s) => sum + s.checks.length, 0);
      } else {
        const read = await readDocument(bytes, { filename: file, contentType: null });
        const draft = draftOf(db, read.markdown, path.basename(file), {}, read.notes);
        result.outcome = 'converted';
        result.notes = draft.notes;
        markdown = draft.markdown;
        title = draft.title;
        result.steps = draft.steps.length;
        result.checks = draft.steps.reduce((sum, s) => sum + s.checks.length, 0);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result.outcome = 'skipped';
      result.reason = error.message;
      continue;
    }
    let slug = slugForFile(file, dir) || slugFromTitle(title) || 'imported-runbook';
    if (taken.has(slug)) {
      const folder = slugFromTitle(path.basename(path.dirname(path.resolve(file))));
      if (folder !== '' && !slug.startsWith(`${folder}-`)) slug = `${folder}-${slug}`;
    }
    if (!SLUG.test(slug) || taken.has(slug)) {
      result.outcome = 'skipped';
      result.reason = `its name would be "${slug}", already used by ${taken.get(slug) ?? 'another file'}: rename one of them`;
      continue;
    }
    taken.set(slug, file);
    result.slug = slug;
    result.markdown = markdown;
  }
  db.transaction(() => {
    for (const result of results) {
      if (result.slug === null || result.markdown === undefined) continue;
      const parsed = parseRunbook(result.markdown);
      if (!parsed.ok) {
        result.outcome = 'skipped';
        result.reason = `could not be read back (${parsed.problems[0]?.message})`;
        continue;
      }
      const edit = force ? null : appEditSinceImport(db, result.slug, hashSource(result.markdown));
      if (edit) {
        result.outcome = 'skipped';
        result.reason = appEditMessage(edit);
        continue;
      }
      result.saved = saveVersion(db, result.slug, result.markdown, parsed.runbook, { origin: 'import', createdBy: null }).outcome;
    }
  })();
  return results.map(({ markdown: _markdown, ...rest }) => rest);
}

/** One file's line (and its notes, indented) for the terminal. */
export function describeFile(file: ConvertedFile): string[] {
  const counts = `${file.steps} step${file.steps === 1 ? '' : 's'}, ${file.checks} check${file.checks === 1 ? '' : 's'}`;
  const saved = file.saved === 'created' ? 'new' : file.saved;
  if (file.outcome === 'skipped') return [`skipped    ${file.path}: ${file.reason}`];
  if (file.outcome === 'imported') return [`imported   ${file.path} → ${file.slug} (${saved}; ${counts})`];
  return [`converted  ${file.path} → ${file.slug} (${saved}; ${counts})`, ...file.notes.map((note) => `             ${note}`)];
}
