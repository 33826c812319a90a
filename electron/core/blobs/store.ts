import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { blobPath } from './layout.ts';

/** A file fully written and fsynced in the temp folder, not yet visible in the store. */
export interface StagedBlob {
  readonly tempFile: string;
  readonly sha256: string;
  readonly sha1: string;
  readonly size: number;
}

/** Where bytes go while a document is being received; hashes are computed as they pass. */
export interface BlobSink {
  write(chunk: Buffer): Promise<void>;
  readonly bytes: number;
}

const tempSuffix = '.part';

/**
 * Streams bytes into a new temp file named after this process, hashing (sha256 and sha1) while
 * writing, and fsyncs it before returning. On any failure the temp file is removed.
 */
export async function stageBlob(tempDir: string, produce: (sink: BlobSink) => Promise<void>): Promise<StagedBlob> {
  mkdirSync(tempDir, { recursive: true, mode: 0o700 });
  const tempFile = join(tempDir, `${process.pid}-${randomBytes(8).toString('hex')}${tempSuffix}`);
  const handle = await open(tempFile, 'wx', 0o600);
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1');
  let size = 0;
  const sink: BlobSink = {
    async write(chunk) {
      if (chunk.length === 0) return;
      sha256.update(chunk);
      sha1.update(chunk);
      size += chunk.length;
      await writeAll(handle, chunk);
    },
    get bytes() {
      return size;
    },
  };
  try {
    await produce(sink);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempFile, { force: true });
    throw error;
  }
  return { tempFile, sha256: digest(sha256), sha1: digest(sha1), size };
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

function digest(hash: Hash): string {
  return hash.digest('hex');
}

/**
 * Moves staged files into the content-addressed store, makes the renames durable (each store
 * directory they land in is fsynced once, however many files it received), and only then calls
 * `record` (the caller's one durable commit of all their rows). A crash between the renames and
 * the commit leaves unreferenced files under their true hashes, which the next download of the
 * same bytes reuses; it never leaves a row pointing at a missing file.
 */
export async function commitBlobs<T>(storeDir: string, staged: readonly StagedBlob[], record: () => T): Promise<T> {
  const directories = new Set(staged.map((blob) => dirname(blobPath(storeDir, blob.sha256))));
  for (const directory of directories) mkdirSync(directory, { recursive: true, mode: 0o700 });
  await Promise.all(staged.map((blob) => rename(blob.tempFile, blobPath(storeDir, blob.sha256))));
  await Promise.all([...directories].map(fsyncDirectory));
  return record();
}

/** `commitBlobs` for one file; returns where it now lives in the store. */
export async function commitBlob(storeDir: string, staged: StagedBlob, record: () => void): Promise<string> {
  await commitBlobs(storeDir, [staged], record);
  return blobPath(storeDir, staged.sha256);
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function fsyncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes temp files left by processes that no longer run (a crash or a kill mid-download).
 * Files of live processes are left alone, so two Dossier processes can share a profile.
 */
export function sweepTempFiles(tempDir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(tempDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith(tempSuffix)) continue;
    const pid = Number(name.split('-', 1)[0]);
    if (pid === process.pid || (Number.isInteger(pid) && processAlive(pid))) continue;
    try {
      unlinkSync(join(tempDir, name));
      removed += 1;
    } catch {
      // Already gone: another sweeper got there first.
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
