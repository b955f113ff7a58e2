import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { migrate, MigrationError, pendingMigrations } from '../db/migrate';
import { backupDatabase, BackupError, restoreDatabase } from '../db/backup';
import { checkDirectory, formatChangedInApp, formatProblem, importDirectory } from '../runbooks/import';
import { writeRunbookFiles } from '../runbooks/export';
import { exportWorkspace } from '../workspace/export';
import { importWorkspace } from '../workspace/import';
import { WorkspaceError } from '../workspace/lines';
import { CliInputError, createToken, createUser, setUserPassword } from './accounts';
import { convertDirectory, describeFile } from '../imports/directory';
import { AppError } from '../http/errors';

const USAGE = `Usage: npm run cli -- <command>

  lint DIR     check every runbook file in DIR; prints path:line: reason, exits 1 on any problem
  import DIR [--force]
               import DIR into the database (DATABASE_PATH); new files create runbooks,
               changed files add versions; a runbook changed in the app since its last
               import is left as it is and named (exit 1), unless --force
  import --convert DIR [--force]
               bring in every document of DIR and its subfolders (Word, HTML, Markdown,
               plain text), converting what is not yet a runbook file; reports each file
  export DIR   write every runbook's current version to DIR/<slug>.md, archived ones to
               DIR/archived/<slug>.md
  export-all DIR
               write the whole workspace to DIR: runbooks as Markdown (as export does, in
               DIR/runbooks, with every version in DIR/runbooks/history), people, roles and
               runs as JSON lines
  import-all DIR
               restore a workspace written by export-all into an empty database (refused
               when the database holds anything); passwords are not part of it
  user create --email E --name N [--level owner|editor|member|outsourcer]
               create an account (refused if the email has one); the password is read from
               standard input
  user set-password --email E
               a new password for an existing account, read from standard input; ends its sessions
  token create --email E [--name N]
               print a new personal API token for that person (shown once)
  backup FILE  write a consistent copy of the database to FILE, also while the server runs
  restore FILE put the copy in FILE back in place of the database (the server must be stopped);
               the database as it was is kept beside it
  migrate [--dry-run]
               apply the migrations this version brings (the server also does at start);
               with --dry-run, only list them`;

/** A file or directory argument, taken relative to where the user typed the command (npm moves cwd). */
function userPath(arg: string | undefined, what = 'a directory'): string {
  if (!arg) throw new UsageError(`${what} is required`);
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

export async function runCli(
  args: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
  readSecret: () => Promise<string> = readStdin,
): Promise<number> {
  const [command, arg] = args;
  try {
    switch (command) {
      case 'user': {
        const action = arg === 'create' ? createUser : arg === 'set-password' ? setUserPassword : null;
        if (!action) throw new UsageError('the user commands are "user create" and "user set-password"');
        const password = await readSecret();
        const db = openStore();
        try {
          out(await action(db, args.slice(2), password));
          return 0;
        } finally {
          db.close();
        }
      }
      case 'backup': {
        const file = userPath(arg, 'a file name for the copy');
        const { databasePath } = loadConfig();
        const { bytes } = backupDatabase(databasePath, file);
        err(`Backup of ${databasePath} written to ${file} (${Math.ceil(bytes / 1024)} kB, integrity checked)`);
        return 0;
      }
      case 'restore': {
        const file = userPath(arg, 'the backup file to restore');
        const { databasePath } = loadConfig();
        const { keptAs } = restoreDatabase(databasePath, file);
        err(
          `Restored ${databasePath} from ${file}.` +
            (keptAs ? ` The database as it was is kept in ${keptAs} (delete it once you are sure).` : '') +
            ' Start the server again: it applies any migrations newer than the backup.',
        );
        return 0;
      }
      case 'migrate': {
        const extra = args.slice(1).find((a) => a !== '--dry-run') ?? (args.length > 2 ? args[2] : undefined);
        if (extra !== undefined) throw new UsageError(`unexpected "${extra}"`);
        const { databasePath } = loadConfig();
        if (arg === '--dry-run' && !fs.existsSync(databasePath)) {
          out(`There is no database at ${databasePath} yet: the first start creates it with every migration.`);
          return 0;
        }
        const db = openDatabase(databasePath);
        try {
          const pending = arg === '--dry-run' ? pendingMigrations(db) : migrate(db);
          const verb = arg === '--dry-run' ? 'would apply' : 'applied';
          out(pending.length === 0 ? `${databasePath} is up to date: nothing to apply` : `${databasePath}: ${verb} ${pending.length}:`);
          for (const name of pending) out(`  ${name}`);
          return 0;
        } finally {
          db.close();
        }
      }
      case 'token': {
        if (arg !== 'create') throw new UsageError('the only token command is "token create"');
        const db = openStore();
        try {
          out(createToken(db, args.slice(2)));
          return 0;
        } finally {
          db.close();
        }
      }
      case 'lint': {
        const { files, problems } = checkDirectory(userPath(arg));
        for (const problem of problems) out(formatProblem(problem));
        err(`${files.length} runbook(s) fine, ${problems.length} problem(s)`);
        return problems.length > 0 ? 1 : 0;
      }
      case 'import': {
        const force = args.includes('--force');
        const dirArg = args.slice(1).find((a) => a !== '--convert' && a !== '--force');
        if (args.includes('--convert')) {
          const dir = userPath(dirArg);
          const db = openStore();
          try {
            const files = await convertDirectory(db, dir, { force });
            for (const file of files) for (const line of describeFile(file)) out(line);
            const count = (outcome: string) => files.filter((f) => f.outcome === outcome).length;
            err(`${count('imported')} imported as they were, ${count('converted')} converted, ${count('skipped')} skipped`);
            return files.some((f) => f.outcome === 'skipped' && !f.reason?.startsWith('not a document') && f.reason !== 'a hidden file')
              ? 1
              : 0;
          } finally {
            db.close();
          }
        }
        const dir = userPath(dirArg);
        const db = openStore();
        try {
          const report = importDirectory(db, dir, { force });
          for (const kept of report.changedInApp) out(formatChangedInApp(kept));
          for (const problem of report.problems) out(formatProblem(problem));
          const kept = report.changedInApp.length;
          err(
            `${report.created.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ` +
              (kept > 0 ? `${kept} changed in the app and not imported (import again with --force to replace them), ` : '') +
              `${report.problems.length} problem(s)`,
          );
          return report.problems.length > 0 || kept > 0 ? 1 : 0;
        } finally {
          db.close();
        }
      }
      case 'export': {
        const dir = userPath(arg);
        const db = openStore();
        try {
          const { current, archived } = writeRunbookFiles(db, dir);
          err(
            `${current + archived} runbook(s) written to ${dir}: ${current} current` +
              (archived > 0 ? `, ${archived} archived (in ${path.join(dir, 'archived')})` : ', none archived'),
          );
          return 0;
        } finally {
          db.close();
        }
      }
      case 'export-all': {
        const dir = userPath(arg);
        const db = openStore();
        try {
          const { counts } = exportWorkspace(db, dir);
          err(
            `Workspace written to ${dir}: ${counts.runbooks} runbook(s) with ${counts.versions} version(s), ` +
              `${counts.people} people, ${counts.roles} role(s), ${counts.runs} run(s)`,
          );
          return 0;
        } finally {
          db.close();
        }
      }
      case 'import-all': {
        const dir = userPath(arg);
        const db = openStore();
        try {
          const { counts } = importWorkspace(db, dir);
          err(
            `Workspace restored from ${dir}: ${counts.runbooks} runbook(s) with ${counts.versions} version(s), ` +
              `${counts.people} people, ${counts.roles} role(s), ${counts.runs} run(s). ` +
              'Passwords are not part of an export: give an owner one with "npm run cli -- user set-password --email …".',
          );
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
    if (error instanceof CliInputError) {
      err(`${command}: ${error.message}`);
      return 1;
    }
    if (error instanceof UsageError) {
      err(`${command}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AppError && error.code === 'not-a-directory') {
      err(`${command}: ${error.message}`);
      return 1;
    }
    if (error instanceof WorkspaceError) {
      err(`${command}: ${error.message}`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof MigrationError || error instanceof BackupError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

/** The password for `user create`: one line of standard input (piped, or typed at a prompt). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
