/**
 * One sync in its own process, so its time and peak memory are its own: `sync-child.ts DATA_DIR
 * READY_JSON [--add]`. Prints one JSON line: {ms, browsableMs, maxRssMb, results}, where browsableMs is
 * when the last owed document was reported on disk and browsable (its row committed; its text may
 * still be on its way), or the whole sync when no document was owed.
 */
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';
import { addSandboxAccount, syncCore } from '../sync/helpers.ts';

const [dataDir, readyJson, flag] = process.argv.slice(2);
if (!dataDir || !readyJson) throw new Error('usage: sync-child.ts DATA_DIR READY_JSON [--add]');
const core = await syncCore(dataDir, true);
if (flag === '--add') await addSandboxAccount(core, 'ejm', JSON.parse(readyJson) as ReadyLine);
let browsableAt: number | null = null;
core.core.events.on('sync.progress', (progress) => {
  if (progress.phase === 'documents' && progress.total !== null && progress.done === progress.total) browsableAt = performance.now();
});
const started = performance.now();
const results = await core.engine.run({ documents: true });
const ms = performance.now() - started;
const browsableMs = browsableAt === null ? ms : (browsableAt as number) - started;
await core.close();
process.stdout.write(`${JSON.stringify({ ms, browsableMs, maxRssMb: process.resourceUsage().maxRSS / 1024, results: results.map((result) => ({ ok: result.ok, error: result.error?.code ?? null, counts: result.counts })) })}\n`);
