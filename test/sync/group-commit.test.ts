import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.ts';
import { startEjm, type StartedEjm } from '../../electron/sandbox/ejm/index.ts';
import { assertConsistent } from './consistency.ts';
import { addSandboxAccount, dumpCache, dumpStore, syncCore, type SyncCore } from './helpers.ts';

/**
 * Group commits keep the crash guarantee: a sync killed (SIGKILL, in its own process) right before
 * a group's rows commit leaves that group's durable files in the store and no row pointing at
 * anything missing; killed right after the commit, every committed row has its whole file. Either
 * way the next sync ends identical to one that was never interrupted.
 */

const child = join(import.meta.dirname, 'group-commit-child.ts');
let emulator: StartedEjm;
let reference: SyncCore;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emulator = await startEjm({ scale: 'small', seed: 7 });
  reference = await syncCore();
  await addSandboxAccount(reference, 'ejm', emulator.ready);
  const [result] = await reference.engine.run({ documents: true });
  expect(result?.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await reference?.close();
  await emulator?.close();
});

/** Runs the child, which kills itself at its second durable commit; the emulator runs in this process, so the child is waited for asynchronously. */
async function killedAt(dataDir: string, moment: 'before' | 'after'): Promise<void> {
  const process_ = spawn(process.execPath, [child, dataDir, moment, '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process_.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
    process_.once('error', reject);
    process_.once('exit', (_code, exitSignal) => resolve(exitSignal));
  });
  expect(signal, `the sync should have died at its second commit: ${output}`).toBe('SIGKILL');
}

async function freshProfile(): Promise<string> {
  const core = await syncCore(undefined, true);
  await addSandboxAccount(core, 'ejm', emulator.ready);
  await core.close();
  cleanups.push(() => syncCore(core.dataDir).then((opened) => opened.close()));
  return core.dataDir;
}

function counts(dataDir: string): { rows: number; files: number } {
  const db = openDatabase(join(dataDir, 'dossier.db'));
  try {
    const rows = db.prepare('SELECT count(DISTINCT sha256) FROM documents WHERE sha256 IS NOT NULL').pluck().get() as number;
    const store = join(dataDir, 'store');
    const files = readdirSync(store).reduce((sum, dir) => sum + readdirSync(join(store, dir)).length, 0);
    return { rows, files };
  } finally {
    db.close();
  }
}

async function resumeAndCompare(dataDir: string): Promise<void> {
  const resumed = await syncCore(dataDir, true);
  try {
    const [result] = await resumed.engine.run({ documents: true });
    expect(result?.ok).toBe(true);
    expect(dumpCache(resumed.db)).toEqual(dumpCache(reference.db));
  } finally {
    await resumed.close();
  }
  expect(dumpStore(join(dataDir, 'store'))).toEqual(dumpStore(reference.core.paths.store));
  assertConsistent(dataDir);
}

describe('group commits of downloaded documents', () => {
  it('killed between the files being durable and the rows committing: files without rows, never rows without files', async () => {
    const dataDir = await freshProfile();
    await killedAt(dataDir, 'before');
    assertConsistent(dataDir);
    const { rows, files } = counts(dataDir);
    // The second group's files reached the store before the kill; none of its rows did.
    expect(rows).toBeGreaterThan(0);
    expect(files).toBeGreaterThan(rows);
    await resumeAndCompare(dataDir);
  }, 120_000);

  it('killed right after a commit: every committed row has its whole file', async () => {
    const dataDir = await freshProfile();
    await killedAt(dataDir, 'after');
    assertConsistent(dataDir);
    const { rows, files } = counts(dataDir);
    expect(rows).toBeGreaterThan(0);
    expect(files).toBeGreaterThanOrEqual(rows);
    await resumeAndCompare(dataDir);
  }, 120_000);
});
