import { nowIso } from '../base/time.ts';
import type { DocumentToFetch } from '../providers/kit/connector.ts';
import { Table } from './table.ts';

/** A document whose download failed this many times waits for the user to sync again explicitly. */
export const maxDownloadAttempts = 5;

export interface LedgerEntry extends DocumentToFetch {
  readonly remoteVersion: string | null;
}

/** The downloads owed for an account, taken one at a time (`DownloadsTable.owedQueue`). */
export interface OwedDownloads {
  /** How many were owed when the queue was made. */
  readonly total: number;
  /** The next owed download, or undefined once all have been taken. */
  take(): LedgerEntry | undefined;
}

/** How many ledger entries (each with its record's raw JSON) a sync reads at once. */
const owedPageSize = 64;

/** The documents that still owe their bytes: pending, or failed with attempts left; never removed upstream, never links. */
const owedFrom = `FROM downloads l JOIN documents d ON d.id = l.document_id
       WHERE d.account_id = ? AND d.removed_at IS NULL AND d.kind <> 'link'
         AND (l.state = 'pending' OR (l.state = 'failed' AND l.attempts < ?))`;

/** What a verified download records about the bytes it stored. */
export interface VerifiedDownload {
  readonly sha256: string;
  readonly size: number;
  /** The provider's name and type for the file, from the download's own metadata; kept only where the list gave none. */
  readonly fileName: string | null;
  readonly mimeType: string | null;
}

/** The download ledger (`downloads`) and the blobs it fills (`blobs`, keyed by sha256). */
export class DownloadsTable extends Table {
  /**
   * The downloads still owed for an account, in a stable order: pending first, then earlier
   * failures that have attempts left. Documents removed upstream are skipped. The queue holds only
   * their ids (a number each); entries, with their raw JSON, are read a page at a time as they are
   * taken, so what a sync holds does not grow with the account's documents. The order is fixed
   * when the queue is made: a document that fails during this sync is not offered again by it.
   */
  owedQueue(accountId: number, pageSize = owedPageSize): OwedDownloads {
    const ids = this.sql<[number, number], number>(`SELECT d.id ${owedFrom} ORDER BY l.state = 'failed', d.id`).pluck().all(accountId, maxDownloadAttempts);
    const read = this.sql<[string], LedgerEntry>(
      `SELECT d.id AS documentId, d.remote_id AS remoteId, d.kind, d.remote_sha1 AS remoteSha1, d.size, d.remote_version AS remoteVersion, d.raw_json AS rawJson
       FROM json_each(?) page JOIN documents d ON d.id = page.value ORDER BY page.key`,
    );
    let next = 0;
    let page: LedgerEntry[] = [];
    return {
      total: ids.length,
      take: () => {
        while (page.length === 0 && next < ids.length) {
          page = read.all(JSON.stringify(ids.slice(next, next + pageSize)));
          next += pageSize;
        }
        return page.shift();
      },
    };
  }

  /** How many downloads are still owed for an account (see `owedQueue`). */
  owedCount(accountId: number): number {
    return this.sql<[number, number], number>(`SELECT count(*) ${owedFrom}`).pluck().get(accountId, maxDownloadAttempts) ?? 0;
  }

  recordFailure(documentId: number, message: string): void {
    this.sql<[string, string, number]>(`UPDATE downloads SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE document_id = ?`).run(
      message.slice(0, 500),
      nowIso(),
      documentId,
    );
  }

  /** Records bytes now in the store under their hash (once per hash, however many documents hold them). */
  recordBlob(blob: { readonly sha256: string; readonly size: number }): void {
    this.sql<[string, number, string]>('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)').run(blob.sha256, blob.size, nowIso());
  }

  /** Records a document whose bytes are now in the store under their hash; run inside the durable commit of those bytes. */
  recordVerified(entry: LedgerEntry, download: VerifiedDownload): void {
    const now = nowIso();
    this.recordBlob(download);
    this.sql<[string, string | null, string | null, number, number]>(
      `UPDATE documents SET sha256 = ?, file_name = coalesce(file_name, ?), mime_type = coalesce(mime_type, ?), size = coalesce(size, ?) WHERE id = ?`,
    ).run(download.sha256, download.fileName, download.mimeType, download.size, entry.documentId);
    this.sql<[number, string | null, string, number]>(
      `UPDATE downloads SET state = 'verified', attempts = 0, last_error = NULL, bytes = ?, remote_version = ?, updated_at = ? WHERE document_id = ?`,
    ).run(download.size, entry.remoteVersion, now, entry.documentId);
  }
}
