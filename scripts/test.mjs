// `npm test`: the type check, lint and format check, then Jest, each timed, and the total
// printed at the end (pass or fail), so that a slow step shows. Arguments go to Jest:
// `npm test -- tests/unit` runs the checks and that folder only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const steps = [
  ['type check', bin('tsc'), ['--noEmit']],
  ['lint', bin('eslint'), ['.']],
  ['format check', bin('prettier'), ['--check', '.', '--log-level', 'warn']],
  ['jest', bin('jest'), process.argv.slice(2)],
];

const seconds = (ms) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const started = Date.now();
const times = [];
let failed = null;
for (const [name, command, args] of steps) {
  const t0 = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  times.push(`${name} ${seconds(Date.now() - t0)}`);
  if (result.status !== 0) {
    failed = name;
    break;
  }
}
const total = seconds(Date.now() - started);
console.log(`\nnpm test ${failed ? `FAILED at the ${failed}` : 'passed'} in ${total} (${times.join(', ')})`);
process.exit(failed ? 1 : 0);
