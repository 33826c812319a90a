import type { DocumentKind } from '../../../shared/domain.ts';
import type { SelectedApplication } from './applications-query.ts';
import { Table } from './table.ts';

/** Where an exported file's bytes are, by hash, and the provider's name and type for them. */
export interface FileColumns {
  readonly sha256: string | null;
  readonly fileName: string | null;
  readonly mimeType: string | null;
}

export interface LetterFile extends FileColumns {
  readonly letterId: number;
  readonly writerName: string;
  readonly writerInstitution: string | null;
  readonly receivedAt: string | null;
}

export interface DocumentFile extends FileColumns {
  readonly documentId: number;
  readonly kind: DocumentKind;
  readonly title: string;
}

/** The application whose files are read: letters and documents are filed by provider ids. */
export type FileOwner = Pick<SelectedApplication, 'accountId' | 'remoteId' | 'applicantRemoteId'>;

/**
 * Letters and documents belong to an application, or (for providers that attach them to the
 * person) to the applicant with no application: both are part of that application's packet.
 * Two index lookups (account, application remote id) joined by UNION ALL: the same condition
 * written with OR would scan the whole table once per application.
 */
function ownedIds(table: 'letters' | 'documents'): string {
  return `SELECT id FROM ${table} WHERE account_id = @accountId AND application_remote_id = @remoteId AND removed_at IS NULL
    UNION ALL
    SELECT id FROM ${table} WHERE account_id = @accountId AND application_remote_id IS NULL AND applicant_remote_id = @applicantRemoteId AND removed_at IS NULL`;
}

function parametersOf(owner: FileOwner): FileOwner {
  return { accountId: owner.accountId, remoteId: owner.remoteId, applicantRemoteId: owner.applicantRemoteId };
}

/** The letters and documents of the applications an export writes out. */
export class ExportRecordsQuery extends Table {
  /** The application's letters, those received first, in the order they came. */
  letters(owner: FileOwner): LetterFile[] {
    return this.sql<[FileOwner], LetterFile>(
      `SELECT x.id AS letterId, x.writer_name AS writerName, x.writer_institution AS writerInstitution, x.received_at AS receivedAt,
              d.sha256, d.file_name AS fileName, d.mime_type AS mimeType
         FROM letters x LEFT JOIN documents d ON d.id = x.document_id
        WHERE x.id IN (${ownedIds('letters')})
        ORDER BY x.received_at IS NULL, x.received_at, x.id`,
    ).all(parametersOf(owner));
  }

  /** The application's own documents that go into a packet (CVs, statements, papers, others), letters' files left out. */
  documents(owner: FileOwner): DocumentFile[] {
    return this.sql<[FileOwner], DocumentFile>(
      `SELECT x.id AS documentId, x.kind, x.title, x.sha256, x.file_name AS fileName, x.mime_type AS mimeType
         FROM documents x
        WHERE x.id IN (${ownedIds('documents')}) AND x.kind IN ('cv', 'statement', 'paper', 'other')
          AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.document_id = x.id)
        ORDER BY x.id`,
    ).all(parametersOf(owner));
  }
}
