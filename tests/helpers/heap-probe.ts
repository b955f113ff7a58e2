import '../../server/memory';
import v8 from 'node:v8';

/**
 * Allocates as a busy server does (many short-lived objects) with the server's memory setting,
 * then prints the young generation's size in MB (tests/integration/main.test.ts reads it).
 */
let kept: { i: number; s: string }[] = [];
for (let i = 0; i < 3_000_000; i++) {
  kept.push({ i, s: `x${i}` });
  if (kept.length > 20_000) kept = [];
}
const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
console.log(((young?.space_size ?? 0) / 1048576).toFixed(1));
