import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Due times in emails: in the workspace's time zone (TZ, read by Node when the process starts),
 * which the email names. Each case is a process of its own started with that TZ, as the server is.
 */

const ROOT = path.join(__dirname, '..', '..');

test.each([
  ['America/New_York', 'Tue, 15 Dec 2026, 09:00 (America/New_York)'],
  ['Europe/London', 'Tue, 15 Dec 2026, 14:00 (Europe/London)'],
  ['Asia/Tokyo', 'Tue, 15 Dec 2026, 23:00 (Asia/Tokyo)'],
  ['UTC', 'Tue, 15 Dec 2026, 14:00 (UTC)'],
])('with TZ=%s a step due at 14:00 UTC shows as %p', (zone, shown) => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "console.log(require('./server/notify/compose').formatDue('2026-12-15T14:00:00.000Z'))"],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: zone } },
  );
  expect({ stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({ stdout: shown, stderr: '' });
});
