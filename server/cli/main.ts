import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { migrate, MigrationError } from '../db/migrate';
import { checkDirectory, formatProblem, importDirectory } from '../runbooks/import';
import { findVersion, listRunbooks, listVersionSteps, toRunbook } from '../runbooks/repo';
import { writeRunbook } from '../runbooks/write';

const USAGE = `Usage: npm run cli -- <command>

  lint DIR     check every runbook file in DIR; prints path:line: reason, exits 1 on any problem
  import DIR   import DIR into the database (DATABASE_PATH); new files create runbooks,
               changed files add versions
  export DIR   write every runbook's current version to DIR/<slug>.md`;

/** A directory argument, taken relative to where the user typed the command (npm moves cwd). */
function userPath(arg: string | undefined): string {
  if (!arg) throw new UsageError('a directory is required');
  if (path.isAbsolute(arg)) return arg;
  const base = process.env.INIT_CWD ?? process.cwd();
  return path.relative(process.cwd(), path.resolve(base, arg)) || '.';
}

class UsageError extends Error {}

function openStore() {
  const db = openDatabase(loadConfig().databasePath);
  migrate(db);
  return db;
}

export function runCli(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const [command, arg] = args;
  try {
    switch (command) {
      case 'lint': {
        const { files, problems } = checkDirectory(userPath(arg));
        for (const problem of problems) out(formatProblem(problem));
        err(`${files.length} runbook(s) fine, ${problems.length} problem(s)`);
        return problems.length > 0 ? 1 : 0;
      }
      case 'import': {
        const dir = userPath(arg);
        const db = openStore();
        try {
          const report = importDirectory(db, dir);
          for (const problem of report.problems) out(formatProblem(problem));
          err(`${report.created.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.problems.length} problem(s)`);
          return report.problems.length > 0 ? 1 : 0;
        } finally {
          db.close();
        }
      }
      case 'export': {
        const dir = userPath(arg);
        const db = openStore();
        try {
          fs.mkdirSync(dir, { recursive: true });
          const rows = listRunbooks(db);
          for (const row of rows) {
            const version = findVersion(db, row.current_version_id);
            if (!version) continue;
            fs.writeFileSync(path.join(dir, `${row.slug}.md`), writeRunbook(toRunbook(version, listVersionSteps(db, version.id))));
          }
          err(`${rows.length} runbook(s) written to ${dir}`);
          return 0;
        } finally {
          db.close();
        }
      }
      default:
        err(command ? `Unknown command "${command}"\n\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${command}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof MigrationError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = runCli(process.argv.slice(2));
