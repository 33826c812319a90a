/**
 * Command-line start-up benchmark: `dossier --help` and `dossier search` end to end, as a person
 * runs them (a new process through bin/dossier.js, the Node compile cache warm after the first run),
 * on a seeded data directory.
 *
 *   npm run bench:cli [-- --applications 2000 --runs 15]
 *
 * The baseline, measured in the same run, is `node -e ''` through the same Node: what any command
 * costs before Dossier loads anything. Targets (issue 18): --help ≤ 150 ms, search ≤ 250 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDataDir } from '../fixtures/seed.ts';

const { values } = parseArgs({ options: { applications: { type: 'string', default: '2000' }, runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const bin = resolve(import.meta.dirname, '../../bin/dossier.js');

function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function time(args: readonly string[]): { p50: number; p95: number } {
  const times: number[] = [];
  for (let index = 0; index <= runs; index += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${String(result.status)}: ${result.stderr}`);
    // The first run fills the compile cache; a person's second command onwards is what is measured.
    if (index > 0) times.push(elapsed);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'dossier-bench-cli-'));
try {
  await seedDataDir(dataDir, { applications: Number(values.applications), documents: 'none', annotate: true });
  const baseline = time(['-e', '']);
  const measures = [
    { name: 'dossier --help', target: 150, figures: time([bin, '--help']) },
    { name: 'dossier search "institute of technology"', target: 250, figures: time([bin, '--data-dir', dataDir, 'search', 'institute', 'of', 'technology']) },
    { name: 'dossier search macro', target: 250, figures: time([bin, '--data-dir', dataDir, 'search', 'macro']) },
  ];
  console.log(`baseline node -e '': p50 ${baseline.p50.toFixed(0)} ms, p95 ${baseline.p95.toFixed(0)} ms (${runs} runs each)`);
  for (const { name, target, figures } of measures) {
    console.log(`${name.padEnd(44)} p50 ${figures.p50.toFixed(0).padStart(4)} ms  p95 ${figures.p95.toFixed(0).padStart(4)} ms  ×${(figures.p50 / baseline.p50).toFixed(1)} of bare node  target ≤ ${target} ms: ${figures.p50 <= target ? 'met' : 'missed'}`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
