/**
 * Peak memory of a full sync against the EconJobMarket emulator at the medium and season scales,
 * each synced twice (medium, season, medium, season), every sync in its own process with the
 * core's heap limits and into a fresh profile. Prints each run's peak RSS, where in the sync each
 * peak was reached, and the season / medium ratio of the peaks.      target: ≤ 250 MB, season ≤ 1.1 × medium
 * Usage: npx node test/bench/sync-memory.ts [--seed N] [--scales medium,season]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { coreHeapFlags } from '../../electron/host/heap.ts';
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';
import { startNode } from '../sync/processes.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const seed = argument('--seed', '20251101');
const scales = argument('--scales', 'medium,season').split(',');
const root = join(import.meta.dirname, '..', '..');

interface MemoryRun {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly phases: Record<string, { rssMb: number; heapUsedMb: number; externalMb: number }>;
}

/** Starts the emulator at `scale`, asks for its file list once (it hashes the whole set on the first one), and runs `use`. */
async function withWarmEmulator<T>(scale: string, use: (ready: ReadyLine) => Promise<T>): Promise<T> {
  const emulator = startNode([join(root, 'bin', 'dossier.js'), 'sandbox', 'ejm', '--scale', scale, '--seed', seed]);
  try {
    const stdout = emulator.child.stdout;
    if (!stdout) throw new Error('the emulator has no stdout');
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: stdout }).once('line', resolve);
      emulator.child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
    });
    const ready = JSON.parse(line) as ReadyLine;
    const tokenReply = await request(ready.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, client_secret: ready.clientSecret }).toString(),
    });
    const { access_token: bearer } = (await tokenReply.body.json()) as { access_token: string };
    await (await request(`${ready.baseUrl}files/`, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } })).body.dump();
    return await use(ready);
  } finally {
    emulator.child.kill('SIGTERM');
    await emulator.done;
  }
}

async function measure(scale: string): Promise<MemoryRun> {
  const profile = mkdtempSync(join(tmpdir(), 'dossier-bench-memory-'));
  try {
    return await withWarmEmulator(scale, async (ready) => {
      const sync = await startNode([...coreHeapFlags, join(import.meta.dirname, 'sync-memory-child.ts'), profile, JSON.stringify(ready)]).done;
      if (sync.code !== 0) throw new Error(`the sync exited ${sync.code}: ${sync.stderr}`);
      return JSON.parse(sync.stdout.trim().split('\n').at(-1) ?? '{}') as MemoryRun;
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

console.log(`EconJobMarket emulator, seed ${seed}; load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
const peaks = new Map<string, number[]>();
for (let round = 1; round <= 2; round += 1) {
  for (const scale of scales) {
    const run = await measure(scale);
    peaks.set(scale, [...(peaks.get(scale) ?? []), run.maxRssMb]);
    const where = Object.entries(run.phases).map(([phase, peak]) => `${phase} ${peak.rssMb}/${peak.heapUsedMb}/${peak.externalMb}`).join(', ');
    console.log(`${scale} #${round}: peak RSS ${run.maxRssMb} MB in ${(run.ms / 1000).toFixed(1)} s; per phase RSS/heap/external MB: ${where}`);
  }
}
console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
const [small, large] = scales;
if (small && large) {
  const ratios = (peaks.get(large) ?? []).map((peak, index) => (peak / (peaks.get(small)?.[index] ?? peak)).toFixed(2));
  console.log(`(d) peak RSS ${scales.map((scale) => `${scale} ${(peaks.get(scale) ?? []).join(' / ')} MB`).join(', ')}; ${large} / ${small} ${ratios.join(' / ')}   target <= 250 MB, <= 1.10`);
}
