import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A worker whose WebAssembly memory grew past this (a large or hostile PDF) is replaced after that
 * file, so one odd document never keeps its memory for the rest of the sync.
 */
const recycleAboveBytes = 96 * 1024 * 1024;

/** Each worker holds up to `recycleAboveBytes` of PDFium memory: more than three would cost more memory than a sync's peak allows. */
const maxWorkers = 3;

/**
 * On Linux a thread's nice value is its own (`setpriority` on pid 0 changes only the calling thread,
 * checked in /proc/thread-self/stat), so workers can use every core and still yield it to downloads
 * and the main thread. Elsewhere it would lower the whole process, so workers leave a core spare
 * instead (docs/decisions/0022-extraction-across-cores.md).
 */
const threadPriorityIsOwn = process.platform === 'linux';

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
 * would otherwise stall downloads and database writes on the main thread. On Linux one worker per
 * core, each at the lowest thread priority; elsewhere one per spare core (at least one, at most
 * three everywhere). Workers start on first use; an idle worker never keeps the process alive and
 * ends after a few seconds. A worker that dies (a crash) is replaced, and the file it was reading
 * gets no text, like any unreadable PDF. The queue holds whatever it is given: callers bound it
 * (TextIndexing keeps two files per worker in flight).
 */
export class PdfTextExtractor {
  readonly workers: number;
  readonly #lowPriority: boolean;
  readonly #idle: Worker[] = [];
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];

  /** `workers` and `lowPriority` override the machine's defaults (benchmarks compare them). */
  constructor(options: { workers?: number; lowPriority?: boolean } = {}) {
    this.#lowPriority = options.lowPriority ?? threadPriorityIsOwn;
    const cores = availableParallelism();
    this.workers = options.workers ?? Math.min(maxWorkers, Math.max(1, this.#lowPriority ? cores : cores - 1));
  }

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
      const worker = this.#idle.pop() ?? (this.#busy.size < this.workers ? this.#spawn() : undefined);
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
    const worker = new Worker(new URL('./pdf-text-worker.ts', import.meta.url), { workerData: { lowPriority: this.#lowPriority } });
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
