/**
 * One sync in its own process, so its time and peak memory are its own: `sync-child.ts DATA_DIR
 * READY_JSON [--add]`. Prints one JSON line: {ms, maxRssMb, results}.
 */
import type { ReadyLine } from '../../electron/sandbox/emulator.ts';
import { addSandboxAccount, syncCore } from '../sync/helpers.ts';

const [dataDir, readyJson, flag] = process.argv.slice(2);
if (!dataDir || !readyJson) throw new Error('usage: sync-child.ts DATA_DIR READY_JSON [--add]');
const core = await syncCore(dataDir, true);
if (flag === '--add') await addSandboxAccount(core, 'ejm', JSON.parse(readyJson) as ReadyLine);
const started = performance.now();
const results = await core.engine.run({ documents: true });
const ms = performance.now() - started;
await core.close();
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, results: results.map((result) => ({ ok: result.ok, error: result.error?.code ?? null, counts: result.counts })) })}\n`);
