import { nowIso } from '../base/time.ts';
import { Table } from './table.ts';

/** The reviewer's read marks on documents (`document_reads`): a row means "opened". */
export class DocumentReadsTable extends Table {
  /** Of `documentIds`, those marked read. */
  readAmong(documentIds: readonly number[]): number[] {
    if (documentIds.length === 0) return [];
    return this.sql<[string], number>('SELECT document_id FROM document_reads WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id')
      .pluck()
      .all(JSON.stringify(documentIds));
  }

  /** Marks read or unread; marking read again keeps the first time it was read. */
  mark(documentId: number, read: boolean): void {
    if (read) this.sql<[number, string]>('INSERT INTO document_reads (document_id, read_at) VALUES (?, ?) ON CONFLICT (document_id) DO NOTHING').run(documentId, nowIso());
    else this.sql<[number]>('DELETE FROM document_reads WHERE document_id = ?').run(documentId);
  }
}
