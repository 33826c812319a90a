import { displayName } from './applications-query.ts';
import { Table } from './table.ts';

/** A document's names and the hash of its verified bytes (null until downloaded). */
export interface CachedDocument {
  readonly id: number;
  readonly title: string;
  /** The provider's file name: display text, never a path to use. */
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly sha256: string | null;
  /** Whose document it is, for the name a saved copy gets; null when the applicant is not cached. */
  readonly applicantName: string | null;
}

/** The cached documents, as the reviewer opens and saves them. */
export class DocumentsTable extends Table {
  get(documentId: number): CachedDocument | undefined {
    return this.sql<[number], CachedDocument>(
      `SELECT d.id, d.title, d.file_name AS fileName, d.mime_type AS mimeType, d.sha256, ${displayName} AS applicantName
         FROM documents d
         LEFT JOIN applications a ON a.account_id = d.account_id AND a.remote_id = d.application_remote_id
         LEFT JOIN applicants ap ON ap.account_id = d.account_id AND ap.remote_id = coalesce(d.applicant_remote_id, a.applicant_remote_id)
        WHERE d.id = ?`,
    ).get(documentId);
  }
}
