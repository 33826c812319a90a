import { Table } from './table.ts';

/** A document's names and the hash of its verified bytes (null until downloaded). */
export interface CachedDocument {
  readonly id: number;
  readonly title: string;
  /** The provider's file name: display text, never a path to use. */
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly sha256: string | null;
}

/** The cached documents, as the reviewer opens and saves them. */
export class DocumentsTable extends Table {
  get(documentId: number): CachedDocument | undefined {
    return this.sql<[number], CachedDocument>('SELECT id, title, file_name AS fileName, mime_type AS mimeType, sha256 FROM documents WHERE id = ?').get(documentId);
  }
}
