import { rm } from 'node:fs/promises';
import { commitBlobs, type StagedBlob } from '../blobs/store.ts';
import type { FetchedDocument } from '../providers/kit/connector.ts';
import type { LedgerEntry } from '../storage/downloads.ts';
import type { Storage } from '../storage/storage.ts';

/** A downloaded document whose bytes are staged (fsynced in the temp folder) and verified, waiting for its group's commit. */
export interface VerifiedDocument {
  readonly entry: LedgerEntry;
  readonly staged: StagedBlob;
  readonly fetched: FetchedDocument;
}

/**
 * A group is committed once this many documents wait, or once the oldest has waited this long: the
 * per-commit cost (directory fsyncs, a `synchronous = FULL` commit) is paid per group, and a
 * document becomes browsable at most a fraction of a second after it arrived.
 */
const documentsPerGroup = 64;
const groupDelayMs = 50;
/** Downloads wait for the commit in flight once this many verified documents are pending, so staged files never pile up. */
const maxPending = 4 * documentsPerGroup;

/**
 * Group commits of verified downloads (docs/decisions/0020-sync-at-the-limit.md): many documents
 * per durable transaction. Each group's files are already fsynced when staged; the group renames
 * them into the store, fsyncs each store directory once, and only then records every row in one
 * `durably` transaction, so a row is never committed before its bytes are durable. One group is
 * committed at a time; documents arriving meanwhile form the next.
 */
export class GroupCommit {
  readonly #storage: Storage;
  readonly #storeDir: string;
  readonly #onCommitted: (documents: readonly VerifiedDocument[]) => void;
  readonly #isExtracted: (sha256: string) => boolean;
  #pending: VerifiedDocument[] = [];
  #committing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** The first commit that failed (a full disk, say): nothing more is committed and every later call reports it. */
  #failure: unknown = null;

  constructor(options: {
    storage: Storage;
    storeDir: string;
    /** True when the bytes' text is already saved, so the document's index row can be written with it. */
    isExtracted: (sha256: string) => boolean;
    onCommitted: (documents: readonly VerifiedDocument[]) => void;
  }) {
    this.#storage = options.storage;
    this.#storeDir = options.storeDir;
    this.#isExtracted = options.isExtracted;
    this.#onCommitted = options.onCommitted;
  }

  /** Queues a verified document; resolves once there is room for more (not once it is committed). Throws the failure of an earlier commit. */
  async add(document: VerifiedDocument): Promise<void> {
    if (this.#failure !== null) {
      await rm(document.staged.tempFile, { force: true });
      throw this.#failure;
    }
    this.#pending.push(document);
    if (this.#pending.length >= documentsPerGroup) this.#commitNext();
    else this.#timer ??= setTimeout(() => this.#commitNext(), groupDelayMs);
    while (this.#pending.length >= maxPending && this.#committing) await this.#committing;
    if (this.#failure !== null) throw this.#failure;
  }

  /** Commits everything still pending and resolves once it is durable; throws the first commit failure. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#committing || (this.#pending.length > 0 && this.#failure === null)) {
      if (!this.#committing) this.#commitNext();
      await this.#committing;
    }
    if (this.#failure !== null) throw this.#failure;
  }

  #commitNext(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#committing || this.#pending.length === 0) return;
    const group = this.#pending.splice(0, documentsPerGroup);
    this.#committing = this.#commit(group).finally(() => {
      this.#committing = null;
      if (this.#pending.length >= documentsPerGroup) this.#commitNext();
      else if (this.#pending.length > 0) this.#timer ??= setTimeout(() => this.#commitNext(), groupDelayMs);
    });
  }

  async #commit(group: readonly VerifiedDocument[]): Promise<void> {
    if (this.#failure !== null) return this.#discard(group);
    const storage = this.#storage;
    try {
      await commitBlobs(
        this.#storeDir,
        group.map((document) => document.staged),
        () =>
          storage.durably(() => {
            const alreadyExtracted: number[] = [];
            for (const { entry, staged, fetched } of group) {
              storage.downloads.recordVerified(entry, { sha256: staged.sha256, size: staged.size, fileName: fetched.fileName, mimeType: fetched.mimeType });
              // Bytes seen before already have their text; new bytes are indexed when their text is saved.
              if (this.#isExtracted(staged.sha256)) alreadyExtracted.push(entry.documentId);
            }
            if (alreadyExtracted.length > 0) storage.searchIndex.reindex({ documents: alreadyExtracted });
          }),
      );
      this.#onCommitted(group);
    } catch (error) {
      // Files already renamed stay in the store under their true hash (reused by the next download); the rest are removed.
      this.#failure ??= error;
      await this.#discard([...group, ...this.#pending.splice(0)]);
    }
  }

  async #discard(documents: readonly VerifiedDocument[]): Promise<void> {
    await Promise.all(documents.map((document) => rm(document.staged.tempFile, { force: true })));
  }
}
