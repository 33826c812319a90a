import { statSync } from 'node:fs';
import type { DocumentKind } from '../../../shared/domain.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/database.ts';
import { blobPath } from '../blobs/layout.ts';
import type { SelectedApplication } from './selection.ts';

/** A document's bytes in the content-addressed store, or why there are none. */
export interface StoredFile {
  readonly sha256: string | null;
  /** Absolute path in the store, null when the bytes were never downloaded or are gone. */
  readonly path: string | null;
  readonly size: number;
  readonly fileName: string | null;
  readonly mimeType: string | null;
}

export interface LetterRecord extends StoredFile {
  readonly letterId: number;
  readonly writerName: string;
  readonly writerInstitution: string | null;
  readonly receivedAt: string | null;
}

export interface DocumentRecord extends StoredFile {
  readonly documentId: number;
  readonly kind: DocumentKind;
  readonly title: string;
}

/** The store path of a verified blob, checked on disk so an export never promises bytes it cannot read. */
function locate(storeDir: string, sha256: string | null): { path: string | null; size: number } {
  if (sha256 === null) return { path: null, size: 0 };
  const path = blobPath(storeDir, sha256);
  const info = statSync(path, { throwIfNoEntry: false });
  return info?.isFile() ? { path, size: info.size } : { path: null, size: 0 };
}

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

interface FileRow {
  sha256: string | null;
  fileName: string | null;
  mimeType: string | null;
}

const packetKindOrder: readonly DocumentKind[] = ['cv', 'statement', 'paper', 'other'];

/** Reads the letters and documents of selected applications; the statements are prepared once per export. */
export class RecordReader {
  readonly #storeDir: string;
  readonly #letters: Statement;
  readonly #documents: Statement;

  constructor(db: Db, storeDir: string) {
    this.#storeDir = storeDir;
    this.#letters = db.prepare(
      `SELECT x.id AS letterId, x.writer_name AS writerName, x.writer_institution AS writerInstitution, x.received_at AS receivedAt,
              d.sha256, d.file_name AS fileName, d.mime_type AS mimeType
         FROM letters x LEFT JOIN documents d ON d.id = x.document_id
        WHERE x.id IN (${ownedIds('letters')})
        ORDER BY x.received_at IS NULL, x.received_at, x.id`,
    );
    this.#documents = db.prepare(
      `SELECT x.id AS documentId, x.kind, x.title, x.sha256, x.file_name AS fileName, x.mime_type AS mimeType
         FROM documents x
        WHERE x.id IN (${ownedIds('documents')}) AND x.kind IN ('cv', 'statement', 'paper', 'other')
          AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.document_id = x.id)
        ORDER BY x.id`,
    );
  }

  lettersOf(application: SelectedApplication): LetterRecord[] {
    const rows = this.#letters.all(keyOf(application)) as (Omit<LetterRecord, 'path' | 'size'> & FileRow)[];
    return rows.map((row) => ({ ...row, ...locate(this.#storeDir, row.sha256) }));
  }

  /** The application's own documents in packet order (CV, statements, papers, others); letters come from `lettersOf`. */
  documentsOf(application: SelectedApplication): DocumentRecord[] {
    const rows = this.#documents.all(keyOf(application)) as (Omit<DocumentRecord, 'path' | 'size'> & FileRow)[];
    return rows
      .map((row) => ({ ...row, ...locate(this.#storeDir, row.sha256) }))
      .sort((a, b) => packetKindOrder.indexOf(a.kind) - packetKindOrder.indexOf(b.kind));
  }
}

function keyOf(application: SelectedApplication): Record<string, unknown> {
  return { accountId: application.accountId, remoteId: application.remoteId, applicantRemoteId: application.applicantRemoteId };
}

const extensionsByMime: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/rtf': '.rtf',
  'text/plain': '.txt',
  'text/html': '.html',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};

/** The extension an exported copy gets: from the provider's file name when it has a sane one, else from the MIME type. */
export function extensionOf(file: Pick<StoredFile, 'fileName' | 'mimeType'>): string {
  const fromName = /\.([A-Za-z0-9]{1,8})$/.exec(file.fileName ?? '')?.[1];
  if (fromName) return `.${fromName.toLowerCase()}`;
  return extensionsByMime[file.mimeType?.toLowerCase() ?? ''] ?? '';
}

/** Formats that are already compressed gain nothing from deflate: store them as they are. */
export function isCompressed(extension: string): boolean {
  return ['.pdf', '.docx', '.xlsx', '.pptx', '.odt', '.zip', '.png', '.jpg', '.jpeg', '.gif', '.webp'].includes(extension);
}
