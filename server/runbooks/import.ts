import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { parseRunbook } from './format/parse';
import { findRunbook, hashSource, saveVersion, SLUG, slugProblem } from './repo';
import type { Runbook } from './format/model';
import { slugFromTitle } from './slugs';

export interface FileProblem {
  path: string;
  line: number;
  message: string;
}

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  problems: FileProblem[];
}

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

/**
 * Reads and parses every runbook file of a directory without touching any store: the
 * shared first half of `lint` and `import`. A file name that is not a slug, a slug used
 * twice, or a file that does not parse is a problem; the good files are returned.
 */
export function checkDirectory(dir: string): { files: CheckedFile[]; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const files: CheckedFile[] = [];
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
    const source = fs.readFileSync(file, 'utf8');
    let parsed: ReturnType<typeof parseRunbook>;
    try {
      parsed = parseRunbook(source);
    } catch (error) {
      // One file the parser cannot cope with (Markdown nested thousands deep overflows marked's
      // stack) is that file's problem; it must not stop the others, nor the server's start.
      problems.push({ path: file, line: 1, message: `could not be read: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!parsed.ok) {
      for (const p of parsed.problems) problems.push({ path: file, ...p });
      continue;
    }
    files.push({ path: file, slug, source, runbook: parsed.runbook });
  }
  return { files, problems };
}

/**
 * Imports a directory of runbooks: a new file creates a runbook, a file changed since it was
 * last imported adds a version, an unchanged file changes nothing (even if the runbook was
 * edited in the app since). Each file is its own savepoint inside one transaction, so a bad
 * file changes nothing and the others still import, with one disk sync for the whole lot.
 */
export function importDirectory(db: Db, dir: string): ImportReport {
  const { files, problems } = checkDirectory(dir);
  const report: ImportReport = { created: [], updated: [], unchanged: [], problems };
  db.transaction(() => {
    for (const file of files) {
      const hash = hashSource(file.source);
      if (findRunbook(db, file.slug)?.imported_hash === hash) {
        report.unchanged.push(file.slug);
        continue;
      }
      try {
        const { outcome } = saveVersion(db, file.slug, file.source, file.runbook, {
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
