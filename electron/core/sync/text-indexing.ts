import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { reindex } from '../search/index.ts';
import { PdfTextExtractor } from '../search/pdf-text.ts';
import { blobPath } from '../store/layout.ts';

/** PDF parsing is CPU work: off the main thread, so downloads and database writes keep flowing while it runs. */
const pdfTexts = new PdfTextExtractor();

/** Stored blobs of the account's documents whose text was never extracted (a sync killed before it, or an older Dossier). */
function blobsWithoutText(db: Db, accountId: number): { sha256: string; size: number }[] {
  return db
    .prepare(
      `SELECT DISTINCT b.sha256, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256
       WHERE d.account_id = ? AND NOT EXISTS (SELECT 1 FROM document_texts t WHERE t.sha256 = b.sha256)`,
    )
    .all(accountId) as { sha256: string; size: number }[];
}

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
  readonly #db: Db;
  readonly #storeDir: string;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #queued = new Set<string>();
  readonly #jobs: Promise<void>[] = [];
  readonly #statements: Record<'hasText' | 'saveText' | 'documentsOf', Statement<unknown[]>>;
  readonly #extracted: { sha256: string; text: string | null }[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #stopped = new AbortController();
  #indexed = 0;
  #onProgress: ((indexed: number, total: number) => void) | undefined;

  constructor(db: Db, storeDir: string, signal: AbortSignal, log: Logger) {
    this.#db = db;
    this.#storeDir = storeDir;
    this.#signal = AbortSignal.any([signal, this.#stopped.signal]);
    this.#log = log;
    this.#statements = {
      hasText: db.prepare('SELECT 1 FROM document_texts WHERE sha256 = ?'),
      saveText: db.prepare('INSERT OR IGNORE INTO document_texts (sha256, text) VALUES (?, ?)'),
      documentsOf: db.prepare('SELECT id FROM documents WHERE sha256 = ?').pluck(),
    };
  }

  isExtracted(sha256: string): boolean {
    return this.#statements.hasText.get(sha256) !== undefined;
  }

  /** Queues the account's stored documents that have no text yet. */
  addUnextracted(accountId: number): void {
    for (const blob of blobsWithoutText(this.#db, accountId)) this.add(blob.sha256, blob.size);
  }

  add(sha256: string, size: number): void {
    if (this.#queued.has(sha256)) return;
    this.#queued.add(sha256);
    if (this.isExtracted(sha256)) return;
    this.#jobs.push(
      pdfTexts.extract(blobPath(this.#storeDir, sha256), size, this.#signal).then(
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
    this.#db.transaction(() => {
      const documents: number[] = [];
      for (const { sha256, text } of batch) {
        this.#statements.saveText.run(sha256, text ?? '');
        documents.push(...(this.#statements.documentsOf.all(sha256) as number[]));
      }
      reindex(this.#db, { documents });
    })();
    this.#indexed += batch.length;
    this.#onProgress?.(this.#indexed, this.#jobs.length);
  }
}
