import { Table } from './table.ts';

export interface StoredBlob {
  /** The blob's place in insertion order: blobs are never deleted, so a later blob always has a larger one. */
  readonly position: number;
  readonly sha256: string;
  readonly size: number;
}

/** Stored blobs of the account's documents whose text was never extracted (not yet, a sync killed before it, or an older Dossier). */
const missingText = `FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM document_texts t WHERE t.sha256 = b.sha256)
  AND EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256 AND d.account_id = ?)`;

/** The text extracted from each stored blob (`document_texts`, empty when it had none), read by the search index. */
export class DocumentTextsTable extends Table {
  has(sha256: string): boolean {
    return this.sql<[string]>('SELECT 1 FROM document_texts WHERE sha256 = ?').get(sha256) !== undefined;
  }

  /** Up to `limit` of the account's blobs without text stored after `position`, in the order they were stored. */
  missingAfter(accountId: number, position: number, limit: number): StoredBlob[] {
    return this.sql<[number, number, number], StoredBlob>(`SELECT b.rowid AS position, b.sha256, b.size ${missingText} AND b.rowid > ? ORDER BY b.rowid LIMIT ?`).all(accountId, position, limit);
  }

  countMissing(accountId: number): number {
    return this.sql<[number], number>(`SELECT count(*) ${missingText}`).pluck().get(accountId) as number;
  }

  /** Saves each blob's text (the first text saved for a blob is kept); returns the documents holding those bytes. */
  save(texts: readonly { readonly sha256: string; readonly text: string }[]): number[] {
    const insert = this.sql<[string, string]>('INSERT OR IGNORE INTO document_texts (sha256, text) VALUES (?, ?)');
    const documentsOf = this.sql<[string], number>('SELECT id FROM documents WHERE sha256 = ?').pluck();
    return texts.flatMap(({ sha256, text }) => {
      insert.run(sha256, text);
      return documentsOf.all(sha256);
    });
  }
}
