/**
 * One sync in its own process, sampling its memory every 10 ms: `sync-memory-child.ts DATA_DIR
 * READY_JSON`. Prints one JSON line: {ms, maxRssMb, phases}, where phases holds, for each sync
 * phase in the order first seen, the largest resident set, V8 heap in use, and memory outside the
 * heap (Buffers, ArrayBuffers) sampled while that phase was the current one (one entered again is counted apart, as "<phase> again").
 */
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';
import { addSandboxAccount, syncCore } from '../sync/helpers.ts';

const [dataDir, readyJson] = process.argv.slice(2);
if (!dataDir || !readyJson) throw new Error('usage: sync-memory-child.ts DATA_DIR READY_JSON');
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
const phases = new Map<string, { rssMb: number; heapUsedMb: number; externalMb: number }>();
let phase = 'start';
const sample = (): void => {
  const usage = process.memoryUsage();
  const peak = phases.get(phase) ?? { rssMb: 0, heapUsedMb: 0, externalMb: 0 };
  phases.set(phase, { rssMb: Math.max(peak.rssMb, mb(usage.rss)), heapUsedMb: Math.max(peak.heapUsedMb, mb(usage.heapUsed)), externalMb: Math.max(peak.externalMb, mb(usage.external)) });
};
const sampler = setInterval(sample, 10);
const core = await syncCore(dataDir, true);
await addSandboxAccount(core, 'ejm', JSON.parse(readyJson) as ReadyLine);
// A phase entered again later in the sync (the index, once for records and once for documents' text) is counted apart.
core.core.events.on('sync.progress', (progress) => {
  sample();
  if (phase === progress.phase || phase.startsWith(`${progress.phase} `)) return;
  phase = phases.has(progress.phase) ? `${progress.phase} again` : progress.phase;
});
const started = performance.now();
const results = await core.engine.run({ documents: true });
const ms = performance.now() - started;
await core.close();
clearInterval(sampler);
if (!results.every((result) => result.ok)) throw new Error(`the sync failed: ${JSON.stringify(results)}`);
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), phases: Object.fromEntries(phases) })}\n`);
