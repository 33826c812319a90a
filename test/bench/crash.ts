/**
 * The crash test on the full season: the same test as test/sync/crash.test.ts (SIGKILL at random
 * points of a full EconJobMarket sync, resume, compare row for row and byte for byte with an
 * uninterrupted sync), on the season dataset with more kills. It takes a long while.
 * Usage: npx node test/bench/crash.ts [--kills N] [--scale season|medium|small]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const root = join(import.meta.dirname, '..', '..');
const started = Date.now();
const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/sync/crash.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DOSSIER_CRASH_SCALE: argument('--scale', 'season'), DOSSIER_CRASH_KILLS: argument('--kills', '30') },
});
console.log(`crash test finished in ${((Date.now() - started) / 1000).toFixed(0)} s with exit code ${result.status}`);
process.exitCode = result.status ?? 1;
