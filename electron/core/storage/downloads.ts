import { nowIso } from '../base/time.ts';
import type { DocumentToFetch } from '../providers/kit/connector.ts';
import { Table } from './table.ts';

/** A document whose download failed this many times waits for the user to sync again explicitly. */
export const maxDownloadAttempts = 5;

export interface LedgerEntry extends DocumentToFetch {
  readonly remoteVersion: string | null;
}

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
   * failures that have attempts left. Documents removed upstream are skipped.
   */
  owed(accountId: number): LedgerEntry[] {
    return this.sql<[number, number], LedgerEntry>(
      `SELECT d.id AS documentId, d.remote_id AS remoteId, d.kind, d.remote_sha1 AS remoteSha1, d.size, d.remote_version AS remoteVersion, d.raw_json AS rawJson
       FROM downloads l JOIN documents d ON d.id = l.document_id
       WHERE d.account_id = ? AND d.removed_at IS NULL AND d.kind <> 'link'
         AND (l.state = 'pending' OR (l.state = 'failed' AND l.attempts < ?))
       ORDER BY l.state = 'failed', d.id`,
    ).all(accountId, maxDownloadAttempts);
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
