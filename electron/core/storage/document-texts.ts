import { Table } from './table.ts';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
}

/** The text extracted from each stored blob (`document_texts`, empty when it had none), read by the search index. */
export class DocumentTextsTable extends Table {
  has(sha256: string): boolean {
    return this.sql<[string]>('SELECT 1 FROM document_texts WHERE sha256 = ?').get(sha256) !== undefined;
  }

  /** Stored blobs of the account's documents whose text was never extracted (a sync killed before it, or an older Dossier). */
  missing(accountId: number): StoredBlob[] {
    return this.sql<[number], StoredBlob>(
      `SELECT DISTINCT b.sha256, b.size FROM documents d JOIN blobs b ON b.sha256 = d.sha256
       WHERE d.account_id = ? AND NOT EXISTS (SELECT 1 FROM document_texts t WHERE t.sha256 = b.sha256)`,
    ).all(accountId);
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
