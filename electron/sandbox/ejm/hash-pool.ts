import { Worker } from 'node:worker_threads';
import type { DocumentSpec } from '../pdf.ts';

interface Waiting {
  resolve(sha1: string): void;
  reject(error: Error): void;
}

/**
 * Worker threads that build documents and hash them, so a season's 9,000 sha1 digests are
 * computed on the other cores while the emulator keeps serving requests.
 */
export class HashPool {
  readonly size: number;
  readonly #workers: Worker[];
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;

  constructor(size: number) {
    this.size = size;
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./hash-worker.ts', import.meta.url));
      // The pool never keeps a process alive on its own; the server does while it listens.
      worker.unref();
      worker.on('message', (reply: { id: number; sha1?: string; error?: string }) => {
        const waiting = this.#waiting.get(reply.id);
        this.#waiting.delete(reply.id);
        if (reply.sha1 !== undefined) waiting?.resolve(reply.sha1);
        else waiting?.reject(new Error(reply.error ?? 'hash worker failed'));
      });
      worker.on('error', (error) => this.#failAll(error));
      return worker;
    });
  }

  sha1(spec: DocumentSpec): Promise<string> {
    const id = this.#nextId++;
    const worker = this.#workers[id % this.size] as Worker;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, spec });
    });
  }

  async close(): Promise<void> {
    this.#failAll(new Error('hash pool closed'));
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #failAll(error: Error): void {
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
