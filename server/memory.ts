import v8 from 'node:v8';

/**
 * V8 sized for a small server, set before anything else is loaded (server/main.ts imports this
 * first). Left to itself V8 grows its young generation to 32 MB and lets its old space grow to
 * twice what is live, which on this server is most of its memory: measured on a year of runs,
 * 160-175 MB RSS after a burst of writes and every page read, 115-125 MB with this setting.
 * The price, measured at saturation (16 connections): list reads 20% fewer per second, a run's
 * JSON and ticks unchanged (README, Benchmarks). Set here rather than on the command line so
 * that however the server is started, it holds.
 *
 * One thing it cannot do from here: the young generation's largest size is fixed when V8 starts,
 * and under work whose objects live a little while (the start-up import, a calendar of 500
 * steps) V8 still grows it to 16 MB a half, 32 MB held after the work is done. So `npm start`,
 * the Dockerfile and the systemd unit start node with `--max-semi-space-size=1` (tests check
 * that the three agree): on a year of runs, after every page was read, the server held 8-30 MB
 * less (README, Benchmarks).
 */
v8.setFlagsFromString('--optimize-for-size');
