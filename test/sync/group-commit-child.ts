/**
 * The process the group-commit test kills itself in: opens the profile in argv[2] and runs a full
 * sync, SIGKILLing itself at its Nth durable commit (argv[4]), either just before the commit runs
 * ("before": the group's files are renamed and fsynced, its rows not yet written) or just after
 * ("after"). The kill is the test's own wrapping of `storage.durably`, not a hook in the engine.
 * Run with Node 24 directly (type stripping), not by vitest.
 */
import { syncCore } from './helpers.ts';

const [dataDir, moment, nth] = process.argv.slice(2);
if (!dataDir || (moment !== 'before' && moment !== 'after') || !nth) throw new Error('usage: group-commit-child.ts DATA_DIR before|after N');
const core = await syncCore(dataDir, true);
const { storage } = core.core;
const durably = storage.durably.bind(storage);
let commits = 0;
storage.durably = <T>(work: () => T): T => {
  commits += 1;
  if (commits < Number(nth)) return durably(work);
  if (moment === 'before') process.kill(process.pid, 'SIGKILL');
  const result = durably(work);
  process.kill(process.pid, 'SIGKILL');
  return result;
};
await core.engine.run({ documents: true });
await core.close();
// Reaching here means the sync made fewer durable commits than asked for.
process.stdout.write(`${JSON.stringify({ commits })}\n`);
