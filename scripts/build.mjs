// Compiles server/ into dist/ (tsc -p tsconfig.build.json) when any source is newer than the
// last build, so `npm start` and `npm run cli` always run the code that is checked out, and
// cost nothing when it is already built (tsc itself takes seconds even when nothing changed).
// Runs from `npm install`/`npm ci` (prepare), before `npm start` and before `npm run cli`.
// Where TypeScript is not installed (a production install without devDependencies) the
// dist/ that was built before is used as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.built');
// In a production image only dist/ is there, not server/: what is missing cannot be newer.
const inputs = ['server', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].filter((input) => fs.existsSync(path.join(root, input)));

/** The newest modification time under a path: files, and folders (a file removed or renamed). */
function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(file).reduce((latest, name) => Math.max(latest, newest(path.join(file, name))), stat.mtimeMs);
}

const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : -1;
const force = process.argv.includes('--force');
if (!force && builtAt >= 0 && inputs.every((input) => newest(path.join(root, input)) <= builtAt)) process.exit(0);

let tsc;
try {
  tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
} catch {
  if (builtAt >= 0) process.exit(0);
  console.error('dist/ has not been built and TypeScript is not installed: run `npm install` (with its devDependencies) first.');
  process.exit(1);
}

process.stderr.write('Compiling server/ into dist/ … ');
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (result.status !== 0) {
  console.error('\nThe build failed (above); dist/ was left as it was.');
  process.exit(result.status ?? 1);
}
fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
