import type { Logger } from '../base/log.ts';
import { blobPath } from '../blobs/layout.ts';
import type { PdfTextExtractor } from '../search/pdf-text.ts';
import type { Storage } from '../storage/storage.ts';

/** Texts are saved in batches: one index transaction per text made FTS5 merge segments for each. */
const textsPerBatch = 32;
const textBatchDelayMs = 100;
/** Files handed to the extractor per worker at once: one being read, one waiting, so a worker never idles between files. */
const filesPerWorker = 2;

/**
 * One sync's text extraction: each stored blob's text is extracted once and saved with the index
 * rows of every document holding those bytes. A blob with no readable text gets an empty text, so
 * it is not read again. After a cancel or a failed sync nothing more is written: texts not saved
 * yet are extracted again by the next sync.
 *
 * Blobs are pulled from the database, not queued: a walk in storage order reads the account's blobs
 * without text (left by a killed sync as well as just committed), at most `filesPerWorker` per
 * worker in flight, and waits for the next group commit once it has reached the newest. Memory
 * does not grow with the number of documents.
 */
export class TextIndexing {
  readonly #storage: Storage;
  readonly #pdfTexts: PdfTextExtractor;
  readonly #storeDir: string;
  readonly #accountId: number;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #extracted: { sha256: string; text: string | null }[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #stopped = new AbortController();
  /** Counts group commits; the walk waits for it to change once it has read every blob stored so far. */
  #commits = 0;
  #downloading = true;
  /** Wakes the walk: a commit, the end of the downloads, a file read, a cancel. */
  #wake: (() => void) | null = null;
  readonly #walk: Promise<void>;
  #indexed = 0;
  #total = 0;
  /** The first save that failed (a full disk, say): it stops the indexing and ends the sync with it. */
  #failure: unknown = null;
  #onProgress: ((indexed: number, total: number) => void) | undefined;

  constructor(options: { storage: Storage; pdfTexts: PdfTextExtractor; storeDir: string; accountId: number; signal: AbortSignal; log: Logger }) {
    this.#storage = options.storage;
    this.#pdfTexts = options.pdfTexts;
    this.#storeDir = options.storeDir;
    this.#accountId = options.accountId;
    this.#signal = AbortSignal.any([options.signal, this.#stopped.signal]);
    this.#signal.addEventListener('abort', () => this.#wakeUp(), { once: true });
    this.#log = options.log;
    this.#maxInFlight = filesPerWorker * options.pdfTexts.workers;
    this.#walk = this.#extractAll().catch((error: unknown) => {
      this.#failure ??= error;
      this.#stopped.abort();
    });
  }

  isExtracted(sha256: string): boolean {
    return this.#storage.documentTexts.has(sha256);
  }

  /** A group of documents was committed: their blobs may need text. */
  documentsCommitted(): void {
    this.#commits += 1;
    this.#wakeUp();
  }

  /** The downloads are over: resolves when every text still missing is saved, reporting progress as they arrive. */
  async finished(onProgress: (indexed: number, total: number) => void): Promise<void> {
    this.#downloading = false;
    this.#total = this.#indexed + this.#storage.documentTexts.countMissing(this.#accountId);
    this.#onProgress = onProgress;
    onProgress(this.#indexed, this.#total);
    this.#wakeUp();
    await this.#walk;
    this.#flush();
    if (this.#failure !== null) throw this.#failure;
  }

  /** Stops writing: texts not saved yet are dropped, and files not read yet are not read. */
  close(): void {
    this.#stopped.abort();
    clearTimeout(this.#flushTimer);
  }

  async #extractAll(): Promise<void> {
    await this.#readMissing(true);
    // A last pass from the start over whatever still has no text once every read has landed: none,
    // unless a blob slipped in behind the walk (seen once in a faulted CI sync, cause not found), so
    // the sync leaves no text for the next one to find. Texts read so far are saved first, so none is read twice.
    this.#flush();
    await this.#readMissing(false);
  }

  /** Reads the account's blobs without text in storage order; `following` waits for more commits until the downloads end. */
  async #readMissing(following: boolean): Promise<void> {
    let after = 0;
    while (!this.#signal.aborted) {
      const commitsSeen = this.#commits;
      const blobs = this.#storage.documentTexts.missingAfter(this.#accountId, after, this.#maxInFlight);
      for (const blob of blobs) {
        while (this.#inFlight >= this.#maxInFlight && !this.#signal.aborted) await this.#change();
        if (this.#signal.aborted) return;
        after = blob.position;
        this.#read(blob.sha256, blob.size);
      }
      if (blobs.length === this.#maxInFlight) continue;
      if (!following || !this.#downloading) break;
      if (this.#commits === commitsSeen) await this.#change();
    }
    while (this.#inFlight > 0 && !this.#signal.aborted) await this.#change();
  }

  #read(sha256: string, size: number): void {
    this.#inFlight += 1;
    this.#pdfTexts
      .extract(blobPath(this.#storeDir, sha256), size, this.#signal)
      .then(
        (text) => this.#save(sha256, text),
        // Not saved: the next sync reads it again.
        (error: unknown) => this.#log.warn('sync.text_failed', { sha256, error }),
      )
      .finally(() => {
        this.#inFlight -= 1;
        this.#wakeUp();
      });
  }

  #change(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #save(sha256: string, text: string | null): void {
    if (this.#signal.aborted) return;
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
    this.#onProgress?.(this.#indexed, this.#total);
  }
}
