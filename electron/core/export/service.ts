import type { ExportSelection } from '../../../shared/api/documents.ts';
import type { Logger } from '../base/log.ts';
import type { Storage } from '../storage/storage.ts';
import type { ExportOutcome, ExportProgress, ExportRun } from './output.ts';
import type { PacketOptions } from './packets.ts';

export type ExportKind = 'letters' | 'packets' | 'applicants' | 'interviews';

export interface ExportRequest {
  readonly selection: ExportSelection;
  readonly out: string;
  /** Replace a file already at `out` (the reviewer confirmed it, or `--force`). */
  readonly overwrite?: boolean;
}

/**
 * Runs exports for one profile and cancels them: each run gets its own AbortController, and
 * `cancelAll` aborts whatever is in progress (the UI has one Cancel button for the running export).
 * Each kind loads its libraries (pdf-lib, ical-generator and its time-zone table) only when first used.
 */
export class ExportService {
  readonly #storage: Storage;
  readonly #storeDir: string;
  readonly #log: Logger;
  readonly #onProgress: (kind: ExportKind, progress: ExportProgress) => void;
  readonly #running = new Set<AbortController>();

  constructor(deps: { storage: Storage; storeDir: string; log: Logger; onProgress?: (kind: ExportKind, progress: ExportProgress) => void }) {
    this.#storage = deps.storage;
    this.#storeDir = deps.storeDir;
    this.#log = deps.log;
    this.#onProgress = deps.onProgress ?? (() => undefined);
  }

  letters(request: ExportRequest, signal?: AbortSignal): Promise<ExportOutcome> {
    return this.#run('letters', request, signal, async (run) => (await import('./letters.ts')).exportLetters(this.#storage, this.#storeDir, request.selection, request.out, run));
  }

  packets(request: ExportRequest & PacketOptions & { readonly zip: boolean }, signal?: AbortSignal): Promise<ExportOutcome> {
    return this.#run('packets', request, signal, async (run) => (await import('./packets.ts')).exportPackets(this.#storage, this.#storeDir, request.selection, request.out, request, run));
  }

  applicants(request: ExportRequest, signal?: AbortSignal): Promise<ExportOutcome> {
    return this.#run('applicants', request, signal, async (run) => (await import('./applicants.ts')).exportApplicants(this.#storage, request.selection, request.out, run));
  }

  interviews(request: ExportRequest, signal?: AbortSignal): Promise<ExportOutcome> {
    return this.#run('interviews', request, signal, async (run) => (await import('./interviews.ts')).exportInterviews(this.#storage, request.selection, request.out, run));
  }

  /** Aborts every export in progress; true when there was one. */
  cancelAll(): boolean {
    this.#log.info('export.cancel', { running: this.#running.size });
    for (const controller of this.#running) controller.abort();
    return this.#running.size > 0;
  }

  async #run(
    kind: ExportKind,
    request: ExportRequest,
    outer: AbortSignal | undefined,
    work: (run: ExportRun) => Promise<ExportOutcome>,
  ): Promise<ExportOutcome> {
    const controller = new AbortController();
    const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    this.#running.add(controller);
    const log = this.#log.child({ export: kind });
    log.info('export.start');
    try {
      const outcome = await work({ signal, overwrite: request.overwrite === true, onProgress: (progress) => this.#onProgress(kind, progress) });
      log.info('export.done', { entries: outcome.entries, bytes: outcome.bytes });
      return outcome;
    } catch (error) {
      log.warn('export.stopped', { code: (error as { code?: unknown }).code, error });
      throw error;
    } finally {
      this.#running.delete(controller);
    }
  }
}
