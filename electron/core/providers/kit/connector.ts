import type { OutboxItem, SyncPhase } from '../../../../shared/domain.ts';
import type { Logger } from '../../base/log.ts';
import type { BlobSink, StagedBlob } from '../../blobs/store.ts';
import type { HttpPolicy, ProviderHttp } from './http.ts';
import type { Snapshot } from './records.ts';

/** What a connector may use during one account's sync. */
export interface ConnectorContext {
  readonly http: ProviderHttp;
  readonly accountId: number;
  /** The account's zone, for providers that send dates without one. */
  readonly timeZone: string;
  /** The account's API base URL, as the user gave it. */
  readonly baseUrl: string;
  readonly log: Logger;
  /** The cursor saved by the last successful pass of this resource, or null. */
  cursor(resource: string): string | null;
  progress(phase: SyncPhase, done: number, total: number | null, current: string | null): void;
  /**
   * A dry run (`dossier manifest check --account`): read at most this many pages of each list, and
   * the per-record lists of the first record only. Absent in a sync. Connectors that cannot sample
   * read everything; nothing a dry run reads is stored either way.
   */
  readonly pagesPerList?: number;
  /** Streams bytes into a fresh temp file (one per attempt, so a retried download starts clean). */
  stage(produce: (sink: BlobSink) => Promise<void>): Promise<StagedBlob>;
}

/**
 * Cursors under this prefix record what an optional endpoint was found to offer for the account
 * (`offers.posting_options` → `offered` | `not_offered`); the account's status shows them.
 */
export const offerCursorPrefix = 'offers.';
export type Offer = 'offered' | 'not_offered';

export interface PullResult {
  readonly snapshot: Snapshot;
  /** Cursors to save in the same transaction as the snapshot. */
  readonly cursors: Readonly<Record<string, string>>;
  /**
   * The lists whose walk ended before the provider said it was done (kit/paging.ts): nothing in them
   * was marked removed, and the sync says so instead of reporting a clean pass.
   */
  readonly unfinished: readonly string[];
}

/** A document waiting on the ledger. */
export interface DocumentToFetch {
  readonly documentId: number;
  readonly remoteId: string;
  readonly kind: string;
  readonly remoteSha1: string | null;
  readonly size: number | null;
  /** The record's raw JSON as the list gave it, for connectors whose download location is in the record (provider manifests). */
  readonly rawJson: string;
}

/** What a download learned besides the bytes (the blob reply's own metadata). */
export interface FetchedDocument {
  readonly fileName: string | null;
  readonly mimeType: string | null;
  /** The sha1 the provider states in the blob reply, checked against the bytes. */
  readonly statedSha1: string | null;
}

/** One outbox item as a connector receives it. */
export interface OutboxSend {
  readonly item: OutboxItem;
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
  /** True when an earlier attempt may have reached the provider: look for it before sending again. */
  readonly resumed: boolean;
}

/**
 * One provider's sync: pull every resource it offers into a snapshot (using its best incremental
 * mode), stream one document's bytes, and send queued writes. Connectors never touch the database
 * themselves; the engine writes what they return.
 */
export interface Connector {
  readonly policy: HttpPolicy;
  pull(context: ConnectorContext): Promise<PullResult>;
  download?(context: ConnectorContext, document: DocumentToFetch): Promise<{ staged: StagedBlob; fetched: FetchedDocument }>;
  /** Sends a write; must first look for an earlier send of the same item (a crash after sending) and return its remote id. */
  send?(context: ConnectorContext, outbox: OutboxSend): Promise<{ remoteId: string | null }>;
}
