import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';

/** What `BlobReader` asks: read a file (at most `window` chunks ahead), one chunk more, or stop. */
export type BlobReadRequest =
  | { readonly type: 'open'; readonly id: number; readonly path: string; readonly size: number; readonly chunkBytes: number; readonly window: number }
  | { readonly type: 'more' | 'cancel'; readonly id: number };

/** What the worker answers: a chunk (transferred), the SHA-256 of all the chunks at the end, or why the file could not be read. */
export type BlobReadReply =
  | { readonly type: 'chunk'; readonly id: number; readonly bytes: ArrayBuffer }
  | { readonly type: 'end'; readonly id: number; readonly sha256: string }
  | { readonly type: 'error'; readonly id: number; readonly code: string | null; readonly message: string };

/**
 * Worker side of `BlobReader`: reads each requested file in chunks, hashes every chunk and hands
 * it over (transferred, not copied), at most `window` chunks ahead of what the export has taken;
 * at the end it sends the SHA-256 of exactly the bytes it handed over.
 */
interface Job {
  readonly request: Extract<BlobReadRequest, { type: 'open' }>;
  credit: number;
  cancelled: boolean;
  wake: (() => void) | null;
}

const jobs = new Map<number, Job>();
const post = (reply: BlobReadReply, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(reply, transfer);

async function read(job: Job): Promise<void> {
  const { id, path, size, chunkBytes } = job.request;
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  let offset = 0;
  // The read that finds the file's end goes here; bytes found past the expected size are copied out.
  const probe = new Uint8Array(4096);
  try {
    for (;;) {
      while (job.credit === 0 && !job.cancelled) await new Promise<void>((resolve) => (job.wake = resolve));
      if (job.cancelled) return;
      // Chunks sized to what the file is expected to hold; past that, a small read finds the end (or bytes added since).
      const wanted = size > offset ? Math.min(chunkBytes, size - offset) : probe.length;
      const target = size > offset ? new Uint8Array(new ArrayBuffer(wanted)) : probe;
      const { bytesRead } = await handle.read(target, 0, wanted, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      const bytes = target === probe || bytesRead < wanted ? target.slice(0, bytesRead) : target;
      hash.update(bytes);
      job.credit -= 1;
      post({ type: 'chunk', id, bytes: bytes.buffer }, [bytes.buffer]);
    }
    post({ type: 'end', id, sha256: hash.digest('hex') });
  } finally {
    await handle.close();
  }
}

parentPort?.on('message', (message: BlobReadRequest) => {
  if (message.type === 'open') {
    const job: Job = { request: message, credit: message.window, cancelled: false, wake: null };
    jobs.set(message.id, job);
    read(job).catch((error: unknown) => {
      const { code, message: text } = error as NodeJS.ErrnoException;
      post({ type: 'error', id: message.id, code: code ?? null, message: text });
    }).finally(() => jobs.delete(message.id));
    return;
  }
  const job = jobs.get(message.id);
  if (job === undefined) return;
  if (message.type === 'more') job.credit += 1;
  else job.cancelled = true;
  job.wake?.();
  job.wake = null;
});
