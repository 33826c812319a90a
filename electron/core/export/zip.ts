import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { ZipFile } from 'yazl';
import { DossierError } from '../errors.ts';
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
  /** Opened only when the archive reaches this entry, so one source is open (or in memory) at a time. */
  readonly open: () => Promise<Readable> | Readable;
  /** Called once this entry's bytes have all gone into the archive. */
  readonly onWritten?: () => void;
}

/**
 * Streams entries into a ZIP at `file` with yazl: entries are pulled one after another, the
 * archive never sits in memory, and back-pressure from the disk reaches the sources. With
 * `readAhead`, the next few sources are opened while the current one is written, so reading and
 * writing overlap (for small files; a packet is built only when its turn comes). An abort stops
 * at once and rejects with `export.cancelled`; the caller removes the partial file.
 */
export async function writeZip(file: string, entries: readonly ZipEntry[], signal: AbortSignal | undefined, readAhead = 0): Promise<void> {
  const zip = new ZipFile();
  const output = createWriteStream(file, { flags: 'wx', mode: 0o600 });
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
      promise = Promise.resolve().then((entries[index] as ZipEntry).open);
      // A read-ahead that fails is reported when its entry's turn comes, not as an unhandled rejection.
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
        // yazl pipes the source without listening for its errors: route them to the export.
        stream.once('error', (error) => stop(error));
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
  }
}

/** Files up to this size are read whole: one read and one buffer per letter instead of many small chunks. */
const wholeFileLimit = 8 * 1024 * 1024;

function hashMismatch(sha256: string, actual: string): DossierError {
  return new DossierError('document.hash_mismatch', 'A stored document is damaged on disk. Sync the account again to download it afresh, then export.', { sha256, actual });
}

/**
 * Reads a file from the content-addressed store and checks that its bytes still hash to the name
 * they are filed under, so an archive never carries a damaged letter. Typical documents are read
 * whole (and checked before a byte is archived); large ones stream and are checked at their end.
 */
export async function verifiedBlobStream(path: string, sha256: string, size: number): Promise<Readable> {
  if (size <= wholeFileLimit) {
    const data = await readFile(path);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== sha256) throw hashMismatch(sha256, actual);
    return Readable.from([data], { objectMode: false });
  }
  const hash = createHash('sha256');
  const verifier = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === sha256 ? null : hashMismatch(sha256, actual));
    },
  });
  const input = createReadStream(path);
  input.once('error', (error) => verifier.destroy(error));
  return input.pipe(verifier);
}
