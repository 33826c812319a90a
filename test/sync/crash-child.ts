/**
 * The process the crash test kills: opens the profile in argv[2] and runs a full sync of every
 * account, as `dossier sync` would. Run with Node 24 directly (type stripping), not by vitest.
 */
import { syncCore } from './helpers.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child.ts DATA_DIR');
const core = await syncCore(dataDir, true);
// Tells the parent the sync itself starts now (process start-up is not part of it).
process.stderr.write('started\n');
const results = await core.engine.run({ documents: true });
await core.close();
process.stdout.write(`${JSON.stringify(results.map((result) => ({ ok: result.ok, error: result.error?.code ?? null })))}\n`);
