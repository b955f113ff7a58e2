import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { parseRunbook } from './format/parse';
import { hashSource, saveVersion, SLUG, slugProblem, type SaveOutcome } from './repo';
import { NotFoundError, UnprocessableError } from '../http/errors';
import type { Runbook } from './format/model';
import { slugFromTitle } from './slugs';
import { appEditMessage, appEditSinceImport, refuseAppEdit } from './import-guard';

export interface FileProblem {
  path: string;
  line: number;
  message: string;
}

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Files not imported because their runbook was changed in the app since the last import (server/runbooks/import-guard.ts). */
  changedInApp: { path: string; slug: string; version: number }[];
  problems: FileProblem[];
}

/** `path: changed in the app since the last import (version N); not imported` */
export const formatChangedInApp = (c: ImportReport['changedInApp'][number]) => `${c.path}: ${appEditMessage(c)}`;

export const formatProblem = (p: FileProblem) => `${p.path}:${p.line}: ${p.message}`;

/**
 * Every `.md` file below `dir`, sorted, as paths relative to the working directory. A
 * README.md describes the folder; it is not a runbook.
 */
function markdownFiles(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface CheckedFile {
  path: string;
  slug: string;
  source: string;
  runbook: Runbook;
}

interface ReadFile {
  path: string;
  slug: string;
  source: string;
}

/** Every runbook file of a directory, read but not parsed; a file name that is not a slug, or a slug used twice, is a problem. */
function readDirectory(dir: string): { files: ReadFile[]; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const files: ReadFile[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { files, problems: [{ path: dir, line: 0, message: 'is not a directory' }] };
  }
  const seen = new Map<string, string>();
  for (const file of markdownFiles(dir)) {
    const slug = path.basename(file, '.md');
    const problem = slugProblem(slug);
    if (problem) {
      const better = slugFromTitle(slug);
      const rename = better !== '' && !slugProblem(better) ? `rename the file to ${better}.md` : 'rename the file';
      const message = SLUG.test(slug)
        ? `file name ${problem}`
        : `file name "${slug}" is not a slug (lowercase letters, digits and dashes): ${rename}, or use Import to convert it, which names files for you`;
      problems.push({ path: file, line: 1, message });
      continue;
    }
    const earlier = seen.get(slug);
    if (earlier) {
      problems.push({
        path: file,
        line: 1,
        message: `slug "${slug}" is already used by ${earlier}: rename one of the files (import --convert names an index.md after its folder)`,
      });
      continue;
    }
    seen.set(slug, file);
    files.push({ path: file, slug, source: fs.readFileSync(file, 'utf8') });
  }
  return { files, problems };
}

/** Parses one file; a file that does not parse is its problems, never an exception. */
function parseFile(file: ReadFile): { runbook: Runbook } | { problems: FileProblem[] } {
  let parsed: ReturnType<typeof parseRunbook>;
  try {
    parsed = parseRunbook(file.source);
  } catch (error) {
    // One file the parser cannot cope with (Markdown nested thousands deep overflows marked's
    // stack) is that file's problem; it must not stop the others, nor the server's start.
    return { problems: [{ path: file.path, line: 1, message: `could not be read: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!parsed.ok) return { problems: parsed.problems.map((p) => ({ path: file.path, ...p })) };
  return { runbook: parsed.runbook };
}

/**
 * Reads and parses every runbook file of a directory without touching any store (`lint`).
 * A file name that is not a slug, a slug used twice, or a file that does not parse is a
 * problem; the good files are returned.
 */
export function checkDirectory(dir: string): { files: CheckedFile[]; problems: FileProblem[] } {
  const { files: read, problems } = readDirectory(dir);
  const files: CheckedFile[] = [];
  for (const file of read) {
    const parsed = parseFile(file);
    if ('problems' in parsed) problems.push(...parsed.problems);
    else files.push({ ...file, runbook: parsed.runbook });
  }
  return { files, problems };
}

/**
 * Imports a directory of runbooks: a new file creates a runbook, a file changed since it was
 * last imported adds a version, an unchanged file changes nothing (even if the runbook was
 * edited in the app since). Whether a file changed is known from the sha256 of its text kept
 * with its runbook (imported_hash), before it is parsed: a start with 2,000 unchanged files
 * reads and hashes them, and parses none. Each file is its own savepoint inside one
 * transaction, so a bad file changes nothing and the others still import, with one disk sync
 * for the whole lot. A runbook changed in the app since its last import is left as it is
 * (`changedInApp`) unless `force` (see import-guard.ts); the start-up import never forces.
 */
export function importDirectory(db: Db, dir: string, { force = false }: { force?: boolean } = {}): ImportReport {
  const { files, problems } = readDirectory(dir);
  const report: ImportReport = { created: [], updated: [], unchanged: [], changedInApp: [], problems };
  const imported = new Map(
    (db.prepare('SELECT slug, imported_hash FROM runbooks WHERE imported_hash IS NOT NULL').all() as { slug: string; imported_hash: string }[]).map(
      (r) => [r.slug, r.imported_hash],
    ),
  );
  db.transaction(() => {
    for (const file of files) {
      const hash = hashSource(file.source);
      if (imported.get(file.slug) === hash) {
        report.unchanged.push(file.slug);
        continue;
      }
      const edit = force ? null : appEditSinceImport(db, file.slug, hash);
      if (edit) {
        report.changedInApp.push({ path: file.path, slug: file.slug, version: edit.version });
        continue;
      }
      const parsed = parseFile(file);
      if ('problems' in parsed) {
        report.problems.push(...parsed.problems);
        continue;
      }
      try {
        const { outcome } = saveVersion(db, file.slug, file.source, parsed.runbook, {
          origin: 'import',
          createdBy: null,
          importedHash: hash,
        });
        report[outcome].push(file.slug);
      } catch (error) {
        report.problems.push({ path: file.path, line: 1, message: `could not be stored: ${(error as Error).message}` });
      }
    }
  })();
  return report;
}

export type FileState = 'new' | 'changed' | 'unchanged' | 'changed-in-app';

/**
 * What importing the directory now would do to each file, without doing it (the Runbook
 * files page): new, changed since its last import, unchanged, or kept because its runbook was
 * changed in the app since (`version`). Files that cannot be imported are `problems`.
 */
export function fileStates(db: Db, dir: string): { files: { path: string; slug: string; state: FileState; version: number | null }[]; problems: FileProblem[] } {
  const { files, problems } = readDirectory(dir);
  const known = new Map(
    (db.prepare('SELECT b.slug, b.imported_hash, v.source_hash FROM runbooks b JOIN runbook_versions v ON v.id = b.current_version_id').all() as {
      slug: string;
      imported_hash: string | null;
      source_hash: string;
    }[]).map((r) => [r.slug, r]),
  );
  return {
    problems,
    files: files.map((file) => {
      const hash = hashSource(file.source);
      const row = known.get(file.slug);
      const base = { path: file.path, slug: file.slug, version: null };
      if (!row) return { ...base, state: 'new' as const };
      if (row.imported_hash === hash || row.source_hash === hash) return { ...base, state: 'unchanged' as const };
      const edit = appEditSinceImport(db, file.slug, hash);
      return edit ? { ...base, state: 'changed-in-app' as const, version: edit.version } : { ...base, state: 'changed' as const };
    }),
  };
}

/** The file of one runbook in the directory (its text), or undefined when there is none. */
export function readRunbookFile(dir: string, slug: string): { path: string; source: string } | undefined {
  const file = readDirectory(dir).files.find((f) => f.slug === slug);
  return file ? { path: file.path, source: file.source } : undefined;
}

/**
 * Imports the file of one runbook: refused (409 changed-in-app) over an edit made in the app
 * unless `force` (the Replace button, after the owner saw the differences); a file with
 * mistakes is refused as the editor refuses it.
 */
export function importRunbookFile(db: Db, dir: string, slug: string, { force, by }: { force: boolean; by: number | null }): SaveOutcome {
  const file = readRunbookFile(dir, slug);
  if (!file) throw new NotFoundError(`A file for "${slug}"`);
  const hash = hashSource(file.source);
  refuseAppEdit(db, slug, hash, force, file.path);
  const parsed = parseFile({ ...file, slug });
  if ('problems' in parsed) {
    const [first] = parsed.problems;
    throw new UnprocessableError('invalid-runbook', first ? formatProblem(first) : `${file.path}: could not be read`, `${file.path}:${first?.line}`, {
      problems: parsed.problems,
    });
  }
  return saveVersion(db, slug, file.source, parsed.runbook, { origin: 'import', createdBy: by, importedHash: hash }).outcome;
}
