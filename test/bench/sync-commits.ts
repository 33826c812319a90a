/**
 * The durable-commit cost of downloaded documents, per document against per group, in the same run
 * on the same disk: N staged (fsynced) blobs are committed either one at a time (rename, directory
 * fsync, a `synchronous = FULL` transaction each: the sync before decision 0020) or in groups of
 * 64 (renames, each directory fsynced once, one FULL transaction per group: `commitBlobs` as the
 * sync's group commit uses it). The two are run alternately, twice each, on fresh profiles.
 * Usage: npx node test/bench/sync-commits.ts [--documents N] [--kb SIZE]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitBlob, commitBlobs, stageBlob, type StagedBlob } from '../../electron/core/blobs/store.ts';
import { Storage } from '../../electron/core/storage/storage.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const documents = Number(argument('--documents', '1846'));
const sizeBytes = Number(argument('--kb', '40')) * 1024;
const groupSize = 64;

async function staged(dir: string): Promise<StagedBlob[]> {
  const blobs: StagedBlob[] = [];
  for (let index = 0; index < documents; index += 1) blobs.push(await stageBlob(join(dir, 'tmp'), (sink) => sink.write(randomBytes(sizeBytes))));
  return blobs;
}

/** Commits every staged blob, `perCommit` at a time; resolves to the milliseconds the commits took (staging excluded). */
async function commitAll(perCommit: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-commits-'));
  const storage = Storage.open(join(dir, 'dossier.db'));
  try {
    const blobs = await staged(dir);
    const store = join(dir, 'store');
    const started = performance.now();
    for (let offset = 0; offset < blobs.length; offset += perCommit) {
      const group = blobs.slice(offset, offset + perCommit);
      const record = () => storage.durably(() => group.forEach((blob) => storage.downloads.recordBlob(blob)));
      if (perCommit === 1) await commitBlob(store, group[0] as StagedBlob, record);
      else await commitBlobs(store, group, record);
    }
    return performance.now() - started;
  } finally {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${documents} documents of ${sizeBytes / 1024} KB, staged and fsynced beforehand; commit time only`);
const single: number[] = [];
const grouped: number[] = [];
for (let round = 0; round < 2; round += 1) {
  single.push(await commitAll(1));
  grouped.push(await commitAll(groupSize));
  console.log(`round ${round + 1}: one commit per document ${(single[round] as number).toFixed(0)} ms, groups of ${groupSize} ${(grouped[round] as number).toFixed(0)} ms`);
}
const best = (times: number[]) => Math.min(...times);
console.log(`group commit / per-document commit (best of 2 each)   ${(best(grouped) / best(single)).toFixed(3)}`);
