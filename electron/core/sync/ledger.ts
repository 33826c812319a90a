import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { DocumentToFetch } from './connector.ts';

/** A document whose download failed this many times waits for the user to sync again explicitly. */
export const maxDownloadAttempts = 5;

export interface LedgerEntry extends DocumentToFetch {
  readonly remoteVersion: string | null;
}

/**
 * The downloads still owed for an account, in a stable order: pending first, then earlier
 * failures that have attempts left. Documents removed upstream are skipped.
 */
export function owedDownloads(db: Db, accountId: number): LedgerEntry[] {
  return db
    .prepare(
      `SELECT d.id AS documentId, d.remote_id AS remoteId, d.kind, d.remote_sha1 AS remoteSha1, d.size, d.remote_version AS remoteVersion
       FROM downloads l JOIN documents d ON d.id = l.document_id
       WHERE d.account_id = ? AND d.removed_at IS NULL AND d.kind <> 'link'
         AND (l.state = 'pending' OR (l.state = 'failed' AND l.attempts < ?))
       ORDER BY l.state = 'failed', d.id`,
    )
    .all(accountId, maxDownloadAttempts) as LedgerEntry[];
}

export function recordDownloadFailure(db: Db, documentId: number, message: string): void {
  db.prepare(`UPDATE downloads SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE document_id = ?`).run(
    message.slice(0, 500),
    nowIso(),
    documentId,
  );
}

/** Part of the durable commit that records a verified document (see store.commitBlob). */
export function recordDownloadVerified(db: Db, entry: LedgerEntry, sha256: string, bytes: number, fileName: string | null, mimeType: string | null): void {
  db.prepare(
    `UPDATE documents SET sha256 = ?, file_name = coalesce(file_name, ?), mime_type = coalesce(mime_type, ?), size = coalesce(size, ?) WHERE id = ?`,
  ).run(sha256, fileName, mimeType, bytes, entry.documentId);
  db.prepare(`UPDATE downloads SET state = 'verified', attempts = 0, last_error = NULL, bytes = ?, remote_version = ?, updated_at = ? WHERE document_id = ?`).run(
    bytes,
    entry.remoteVersion,
    nowIso(),
    entry.documentId,
  );
}
