import type { Logger } from '../base/log.ts';
import { blobPath } from '../blobs/layout.ts';
import type { PdfTextExtractor } from '../search/pdf-text.ts';
import type { Storage } from '../storage/storage.ts';

/** Texts are saved in batches: one index transaction per text made FTS5 merge segments for each. */
const textsPerBatch = 32;
const textBatchDelayMs = 100;

/**
 * One sync's text extraction: each stored blob's text is extracted once and saved with the index
 * rows of every document holding those bytes. A blob with no readable text gets an empty text, so
 * it is not read again. After a cancel or a failed sync nothing more is written: texts not saved
 * yet are extracted again by the next sync.
 */
export class TextIndexing {
  readonly #storage: Storage;
  readonly #pdfTexts: PdfTextExtractor;
  readonly #storeDir: string;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #queued = new Set<string>();
  readonly #jobs: Promise<void>[] = [];
  readonly #extracted: { sha256: string; text: string | null }[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #stopped = new AbortController();
  #indexed = 0;
  /** The first save that failed (a full disk, say): it stops the indexing and ends the sync with it. */
  #failure: unknown = null;
  #onProgress: ((indexed: number, total: number) => void) | undefined;

  constructor(options: { storage: Storage; pdfTexts: PdfTextExtractor; storeDir: string; signal: AbortSignal; log: Logger }) {
    this.#storage = options.storage;
    this.#pdfTexts = options.pdfTexts;
    this.#storeDir = options.storeDir;
    this.#signal = AbortSignal.any([options.signal, this.#stopped.signal]);
    this.#log = options.log;
  }

  isExtracted(sha256: string): boolean {
    return this.#storage.documentTexts.has(sha256);
  }

  /** Queues the account's stored documents that have no text yet. */
  addUnextracted(accountId: number): void {
    for (const blob of this.#storage.documentTexts.missing(accountId)) this.add(blob.sha256, blob.size);
  }

  add(sha256: string, size: number): void {
    if (this.#queued.has(sha256)) return;
    this.#queued.add(sha256);
    if (this.isExtracted(sha256)) return;
    this.#jobs.push(
      this.#pdfTexts.extract(blobPath(this.#storeDir, sha256), size, this.#signal).then(
        (text) => this.#save(sha256, text),
        (error: unknown) => this.#log.warn('sync.text_failed', { sha256, error }),
      ),
    );
  }

  /** Resolves when every queued text is saved, reporting progress as they arrive. */
  async finished(onProgress: (indexed: number, total: number) => void): Promise<void> {
    this.#onProgress = onProgress;
    onProgress(this.#indexed, this.#jobs.length);
    await Promise.all(this.#jobs);
    this.#flush();
    if (this.#failure !== null) throw this.#failure;
  }

  /** Stops writing: texts not saved yet are dropped, and files still queued are not read. */
  close(): void {
    this.#stopped.abort();
    clearTimeout(this.#flushTimer);
  }

  #save(sha256: string, text: string | null): void {
    this.#extracted.push({ sha256, text });
    if (this.#extracted.length >= textsPerBatch) this.#flush();
    else this.#flushTimer ??= setTimeout(() => this.#flush(), textBatchDelayMs);
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = this.#extracted.splice(0);
    if (this.#signal.aborted || batch.length === 0) return;
    const storage = this.#storage;
    try {
      storage.transaction(() => {
        const documents = storage.documentTexts.save(batch.map(({ sha256, text }) => ({ sha256, text: text ?? '' })));
        storage.searchIndex.reindex({ documents });
      });
    } catch (error) {
      // Often on a timer, where a throw would end the process: kept for `finished`, and nothing more is written.
      this.#failure ??= error;
      this.#stopped.abort();
      return;
    }
    this.#indexed += batch.length;
    this.#onProgress?.(this.#indexed, this.#jobs.length);
  }
}
