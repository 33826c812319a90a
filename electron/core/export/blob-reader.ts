import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DossierError } from '../base/errors.ts';
import type { BlobReadReply, BlobReadRequest } from './blob-reader-worker.ts';
import { releaseAfterWrite } from './zip.ts';

/** Chunks of at most this size: a letter is one or two, a large scan streams without being held whole. */
const chunkBytes = 1024 * 1024;
/** Chunks a file may be read ahead of what the archive has taken: bounds memory per open file. */
const window = 4;

function hashMismatch(sha256: string, actual: string): DossierError {
  return new DossierError('document.hash_mismatch', 'A stored document is damaged on disk. Sync the account again to download it afresh, then export.', { sha256, actual });
}

/**
 * Reads files of the content-addressed store for an archive, checking that the bytes archived
 * still hash to the name they are filed under, so an archive never carries a damaged letter.
 *
 * Why SHA-256 again, and why in a worker: the store checked each file's hash when it was written,
 * but a file can be damaged on disk afterwards (a bad sector, a sync tool, a hand), and only a
 * hash of every byte notices a single flipped one; a size check would not, and there is no other
 * stored checksum to compare the archive's CRC-32 with. Hashing on the export's own thread cost
 * as much as the rest of the archive (zip -0 does CRC-32 alone), so a worker reads and hashes
 * on another core while the main thread writes the archive: each chunk is hashed there and then
 * transferred (not copied), so the bytes checked are the bytes archived. A mismatch fails the
 * entry at its end; the archive being written is then discarded, so nothing damaged is saved.
 */
interface OpenBlob {
  readonly stream: Readable;
  readonly sha256: string;
  /** Hands a chunk to the stream, acknowledging it at once unless the stream is full. */
  readonly push: (bytes: ArrayBuffer) => void;
}

export class BlobReader {
  readonly #worker = new Worker(new URL('./blob-reader-worker.ts', import.meta.url));
  readonly #open = new Map<number, OpenBlob>();
  #next = 0;

  constructor() {
    this.#worker.on('message', (reply: BlobReadReply) => this.#receive(reply));
    this.#worker.on('error', (error) => {
      for (const { stream } of this.#open.values()) stream.destroy(error);
      this.#open.clear();
    });
  }

  /** The file's bytes as a stream that fails with `document.hash_mismatch` at its end when they do not hash to `sha256`. */
  open(path: string, sha256: string, size: number): Readable {
    const id = (this.#next += 1);
    const more = (): void => this.#worker.postMessage({ type: 'more', id } satisfies BlobReadRequest);
    // Chunks pushed while the stream was full: acknowledged (the worker reads on) once it asks for more.
    let unacknowledged = 0;
    const stream = new Readable({
      highWaterMark: chunkBytes,
      read: () => {
        for (; unacknowledged > 0; unacknowledged -= 1) more();
      },
      destroy: (error, callback) => {
        if (this.#open.delete(id)) this.#worker.postMessage({ type: 'cancel', id } satisfies BlobReadRequest);
        callback(error);
      },
    });
    const push = (bytes: ArrayBuffer): void => {
      if (stream.push(releaseAfterWrite(Buffer.from(bytes)))) more();
      else unacknowledged += 1;
    };
    this.#open.set(id, { stream, sha256, push });
    this.#worker.postMessage({ type: 'open', id, path, size, chunkBytes, window } satisfies BlobReadRequest);
    return stream;
  }

  #receive(reply: BlobReadReply): void {
    const blob = this.#open.get(reply.id);
    if (blob === undefined) return;
    if (reply.type === 'chunk') {
      blob.push(reply.bytes);
      return;
    }
    this.#open.delete(reply.id);
    if (reply.type === 'error') blob.stream.destroy(Object.assign(new Error(reply.message), reply.code === null ? {} : { code: reply.code }));
    else if (reply.sha256 !== blob.sha256) blob.stream.destroy(hashMismatch(blob.sha256, reply.sha256));
    else blob.stream.push(null);
  }

  /**
   * Stops the worker and ends any stream still open. The export that closes the reader has already
   * finished or failed with its own error; an error here would reach no listener and crash the process.
   */
  async close(): Promise<void> {
    await this.#worker.terminate();
    for (const { stream } of this.#open.values()) stream.destroy();
    this.#open.clear();
  }
}
