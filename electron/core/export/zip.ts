import { open as openFile, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crc32 } from 'node:zlib';
import { ZipFile } from 'yazl';
import { cancelledError } from './output.ts';

/**
 * yazl computes every entry's CRC-32 with buffer-crc32, a byte-at-a-time JavaScript loop that runs
 * at about a tenth of the speed of Node's native `zlib.crc32` (the same IEEE polynomial) and on
 * its own keeps a letters archive far below the throughput of `zip`. yazl looks the function up
 * on the module object at each call, so pointing it at the native one is enough; the result is
 * bit-identical, and the tests check every archive's CRCs with `unzip -t`.
 */
const yazlCrc = createRequire(createRequire(import.meta.url).resolve('yazl'))('buffer-crc32') as { unsigned: (data: Buffer, previous?: number) => number };
yazlCrc.unsigned = (data, previous) => crc32(data, previous ?? 0);

export interface ZipEntry {
  /** Path inside the archive, already made of safe names joined with "/". */
  readonly name: string;
  readonly compress: boolean;
  readonly mtime: Date;
  /** Opened only when the archive reaches this entry (or, with read-ahead, a few entries before), never all at once. */
  readonly open: () => Promise<Readable> | Readable;
  /** Called once this entry's bytes have all gone into the archive. */
  readonly onWritten?: () => void;
}

/**
 * Buffers that belong to the export alone (a letter read whole, a finished packet). Once such a
 * buffer is on disk its memory is handed back at once (`ArrayBuffer.transfer(0)` detaches and
 * frees it) instead of piling up until a garbage collection: that garbage, not the live data,
 * is what would otherwise set an export's peak memory.
 */
const releasable = new WeakSet<ArrayBufferLike>();

export function releaseAfterWrite(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) releasable.add(buffer.buffer);
  return buffer;
}

/** Frees a buffer the export owns and no longer needs (see `releasable`). */
export function releaseNow(buffer: Uint8Array): void {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length && buffer.buffer instanceof ArrayBuffer && !buffer.buffer.detached) buffer.buffer.transfer(0);
}

async function writeAllv(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten === total) return;
  // A short write (rare, but allowed): write the rest piece by piece.
  let skip = bytesWritten;
  for (const buffer of buffers) {
    const rest = buffer.subarray(Math.min(skip, buffer.length));
    skip = Math.max(0, skip - buffer.length);
    for (let offset = 0; offset < rest.length; ) offset += (await handle.write(rest, offset)).bytesWritten;
  }
}

/**
 * A packet leaves pdf-lib's object graphs behind; hundreds of packets make old-generation garbage
 * that V8, seeing a small live heap, lets grow for hundreds of megabytes before it collects. A full
 * collection every `collectEvery` bytes written keeps the peak near the live size (a few tens of
 * milliseconds each). Letters leave too little to be worth it (letters.ts). Without a collector to
 * call, nothing happens.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;

export interface ZipOptions {
  /** How many entries ahead of the one being written to open (read) already. */
  readonly readAhead: number;
  /** Bytes written between two forced garbage collections (less where each byte leaves more garbage); none when absent. */
  readonly collectEvery?: number;
}

/** The archive's sink: batched writes to the file, releasing each owned buffer once it is written. */
function fileSink(handle: FileHandle, collectEvery = Number.POSITIVE_INFINITY): Writable {
  let sinceCollection = 0;
  return new Writable({
    highWaterMark: 1 << 20,
    writev(chunks, callback) {
      const buffers = chunks.map(({ chunk }) => chunk as Buffer);
      writeAllv(handle, buffers).then(() => {
        for (const buffer of buffers) {
          sinceCollection += buffer.length;
          if (releasable.has(buffer.buffer)) releaseNow(buffer);
        }
        if (sinceCollection >= collectEvery) {
          sinceCollection = 0;
          collectGarbage?.();
        }
        callback();
      }, callback);
    },
  });
}

/**
 * Streams entries into a ZIP at `file` with yazl: entries are pulled one after another, the
 * archive never sits in memory, and back-pressure from the disk reaches the sources. With
 * `readAhead`, the next few sources are opened while the current one is written, so reading and
 * writing overlap (for small files; a packet is built only when its turn comes). An abort stops
 * at once and rejects with `export.cancelled`; the caller removes the partial file.
 */
export async function writeZip(file: string, entries: readonly ZipEntry[], signal: AbortSignal | undefined, { readAhead, collectEvery }: ZipOptions): Promise<void> {
  // Planning the entries is garbage too: start the archive from a clean heap.
  collectGarbage?.();
  const zip = new ZipFile();
  const handle = await openFile(file, 'wx', 0o600);
  const output = fileSink(handle, collectEvery);
  let source: Readable | null = null;
  let stop: (error: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const onAbort = (): void => stop(cancelledError());
  signal?.addEventListener('abort', onAbort, { once: true });
  zip.on('error', (error: unknown) => stop(error));
  output.on('error', (error) => stop(error));

  const opened = new Map<number, Promise<Readable>>();
  const open = (index: number): Promise<Readable> => {
    let promise = opened.get(index);
    if (promise === undefined) {
      // yazl pipes a source without listening for its errors, and a source read ahead can fail
      // before its turn comes (a damaged letter found at its end): listen from the moment it opens.
      promise = Promise.resolve().then((entries[index] as ZipEntry).open).then((stream) => stream.once('error', (error) => stop(error)));
      // A read-ahead that fails to open is reported when its entry's turn comes, not as an unhandled rejection.
      promise.catch(() => undefined);
      opened.set(index, promise);
    }
    return promise;
  };
  entries.forEach((entry, index) => {
    zip.addReadStreamLazy(entry.name, { compress: entry.compress, mtime: entry.mtime, mode: 0o100644 }, (callback) => {
      const current = open(index);
      opened.delete(index);
      for (let next = index + 1; next <= Math.min(index + readAhead, entries.length - 1); next += 1) void open(next);
      current.then((stream) => {
        source = stream;
        stream.once('end', () => entry.onWritten?.());
        callback(null, stream);
      }, (error: unknown) => callback(error as Error, undefined as unknown as Readable));
    });
  });
  zip.end();
  zip.outputStream.pipe(output);
  try {
    if (signal?.aborted) throw cancelledError();
    await Promise.race([finished(output), stopped]);
  } catch (error) {
    (source as Readable | null)?.destroy();
    zip.outputStream.unpipe(output);
    output.destroy();
    await finished(output).catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Waits for any write still in flight before closing.
    await handle.close();
  }
}
