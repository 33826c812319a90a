import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A worker whose WebAssembly memory grew past this (a large or hostile PDF) is replaced after that
 * file, so one odd document never keeps its memory for the rest of the sync.
 */
const recycleAboveBytes = 96 * 1024 * 1024;

interface Job {
  readonly file: string;
  readonly size: number;
  readonly signal: AbortSignal | undefined;
  resolve(text: string | null): void;
}

/** An idle worker ends after this long, returning its memory; a busy sync keeps its workers. */
const idleLifetimeMs = 5_000;

/**
 * Extracts PDF text in worker threads, one file per worker at a time: parsing is CPU work that
 * would otherwise stall downloads and database writes on the main thread. One worker per spare
 * core (at least one, at most three), started on first use; an idle worker never keeps the
 * process alive and ends after a few seconds. A worker that dies (a crash) is replaced, and the
 * file it was reading gets no text, like any unreadable PDF.
 */
export class PdfTextExtractor {
  readonly #size = Math.min(3, Math.max(1, availableParallelism() - 1));
  readonly #idle: Worker[] = [];
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];

  /** Queues one file; resolves with its text, or null when it is not a readable PDF or was cancelled before its turn. */
  extract(file: string, size: number, signal?: AbortSignal): Promise<string | null> {
    return new Promise((resolve) => {
      this.#queue.push({ file, size, signal, resolve });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const workers = [...this.#idle, ...this.#busy.keys()];
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #dispatch(): void {
    clearTimeout(this.#idleTimer);
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#busy.size < this.#size ? this.#spawn() : undefined);
      if (!worker) return;
      const job = this.#queue.shift() as Job;
      if (job.signal?.aborted) {
        job.resolve(null);
        this.#idle.push(worker);
        continue;
      }
      this.#busy.set(worker, job);
      worker.ref();
      worker.postMessage({ file: job.file, size: job.size });
    }
    for (const worker of this.#idle) worker.unref();
    if (this.#idle.length > 0) {
      this.#idleTimer = setTimeout(() => {
        for (const worker of this.#idle.splice(0)) void worker.terminate();
      }, idleLifetimeMs).unref();
    }
  }

  #spawn(): Worker {
    const worker = new Worker(new URL('./pdf-text-worker.ts', import.meta.url));
    worker.on('message', (reply: { text: string | null; memoryBytes: number }) => {
      this.#finish(worker, reply.text);
      if (reply.memoryBytes > recycleAboveBytes) void worker.terminate();
      else this.#idle.push(worker);
      this.#dispatch();
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const idleAt = this.#idle.indexOf(worker);
      if (idleAt >= 0) this.#idle.splice(idleAt, 1);
      this.#finish(worker, null);
      this.#dispatch();
    });
    return worker;
  }

  #finish(worker: Worker, text: string | null): void {
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    job?.resolve(text);
  }
}
