import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import type { Scale } from '../../electron/sandbox/emulator.ts';
import { Random } from '../../electron/sandbox/random.ts';
import { assertConsistent } from './consistency.ts';
import { addSandboxAccount, dumpCache, dumpStore, syncCore } from './helpers.ts';

/**
 * The crash test: a child process running a full EconJobMarket sync is killed with SIGKILL at
 * random moments, over and over, each new child resuming where the killed one stopped. After
 * every kill the profile must be consistent (no row points at a missing or partial file, nothing
 * half-written is visible in the store); at the end it must equal, row for row and byte for byte,
 * a profile that synced without interruption. The suite runs it on the `medium` dataset (288
 * applications, about 2,000 documents); `npm run bench:crash` runs it on the full season.
 *
 * Where each kill lands comes from a seed, printed when the test fails: DOSSIER_CRASH_SEED=<seed>
 * replays the same sequence of kill points (each a fraction of the reference sync's duration).
 */

const kills = Number(process.env.DOSSIER_CRASH_KILLS ?? 20);
const scale = (process.env.DOSSIER_CRASH_SCALE ?? 'medium') as Scale;
const seed = process.env.DOSSIER_CRASH_SEED === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(process.env.DOSSIER_CRASH_SEED);
const child = join(import.meta.dirname, 'crash-child.ts');

let emulator: StartedEjm;
let referenceDump: Record<string, unknown[]>;
let referenceStore: Record<string, string>;
let referenceMs = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emulator = await startEjm({ scale, seed: 5 });
  const reference = await syncCore();
  cleanups.push(() => reference.close());
  await addSandboxAccount(reference, 'ejm', emulator.ready);
  const started = Date.now();
  const [result] = await reference.engine.run({ documents: true });
  referenceMs = Date.now() - started;
  expect(result?.ok).toBe(true);
  referenceDump = dumpCache(reference.db);
  referenceStore = dumpStore(reference.core.paths.store);
}, 600_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await emulator?.close();
});

/** Runs the child; with `killAfterMs` it is SIGKILLed that long after its sync starts (if still running). */
function runChild(dataDir: string, killAfterMs: number | null): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [child, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timer: NodeJS.Timeout | null = null;
    process_.stderr.on('data', () => {
      if (killAfterMs !== null && timer === null && stderr.includes('started\n')) timer = setTimeout(() => process_.kill('SIGKILL'), killAfterMs);
    });
    process_.on('error', reject);
    process_.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('crash safety of a full EconJobMarket sync', () => {
  it(`resumes after ${kills} SIGKILLs at random points and ends identical to an uninterrupted sync`, async () => {
    const delays: number[] = [];
    onTestFailed(() => {
      console.error(`crash test failed with DOSSIER_CRASH_SEED=${seed} (scale ${scale}, ${kills} kills); kill delays in ms: ${delays.join(', ')}`);
    });
    const crashed = await syncCore(undefined, true);
    const dataDir = crashed.dataDir;
    await addSandboxAccount(crashed, 'ejm', emulator.ready);
    await crashed.close();
    cleanups.push(() => syncCore(dataDir).then((core) => core.close()));
    const random = new Random(seed);
    let killed = 0;
    let rounds = 0;
    // Spread the kills over the whole sync: each child gets a random slice of at most its share, so
    // the kills land before the resumed syncs (which redo none of the finished work) run out of it.
    while (killed < kills && rounds < kills * 4) {
      rounds += 1;
      const delay = Math.floor(random.next() * (referenceMs / kills));
      delays.push(delay);
      const outcome = await runChild(dataDir, delay);
      if (outcome.signal === 'SIGKILL') killed += 1;
      else expect(outcome.code, outcome.stderr).toBe(0);
      assertConsistent(dataDir);
    }
    expect(killed).toBeGreaterThanOrEqual(kills);
    const final = await runChild(dataDir, null);
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout)).toEqual([{ ok: true, error: null }]);
    assertConsistent(dataDir);
    const db = openDatabase(join(dataDir, 'dossier.db'));
    try {
      expect(dumpCache(db)).toEqual(referenceDump);
    } finally {
      db.close();
    }
    expect(dumpStore(join(dataDir, 'store'))).toEqual(referenceStore);
    expect(readdirSync(join(dataDir, 'tmp')).filter((name) => name.endsWith('.part'))).toEqual([]);
  }, 900_000);
});
