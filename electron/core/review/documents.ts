import { existsSync } from 'node:fs';
import type { DocumentInfo, DocumentKind } from '../../../shared/domain.ts';
import { documentKinds } from '../../../shared/domain.ts';
import type { Db } from '../storage/database.ts';
import { DossierError } from '../base/errors.ts';
import { safeName } from '../base/safe-name.ts';
import { blobPath } from '../blobs/layout.ts';
import type { ApplicationKey } from './applications.ts';

/** Packet order: CV first, then papers, statements, letters, anything else, links last. */
const kindRank = `CASE d.kind ${documentKinds.map((kind, rank) => `WHEN '${kind}' THEN ${rank}`).join(' ')} ELSE ${documentKinds.length} END`;

interface RawDocument {
  id: number;
  kind: string;
  title: string;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  externalUrl: string | null;
  sha256: string | null;
  writer: string | null;
}

function asKind(kind: string): DocumentKind {
  return (documentKinds as readonly string[]).includes(kind) ? (kind as DocumentKind) : 'other';
}

/**
 * The documents of one application in reading order: those filed against the application, those
 * filed against the applicant only (EconJobMarket shares a CV across applications), and the
 * documents of its letters.
 */
export function applicationDocuments(db: Db, key: ApplicationKey, applicantRemoteId: string | null): DocumentInfo[] {
  const rows = db
    .prepare(`SELECT d.id, d.kind, d.title, d.file_name AS fileName, d.mime_type AS mimeType, d.size,
        d.external_url AS externalUrl, d.sha256,
        (SELECT l.writer_name FROM letters l WHERE l.document_id = d.id AND l.removed_at IS NULL LIMIT 1) AS writer
      FROM documents d
      WHERE d.removed_at IS NULL AND d.id IN (
        SELECT id FROM documents WHERE account_id = @account AND application_remote_id = @application
        UNION SELECT id FROM documents WHERE account_id = @account AND applicant_remote_id = @applicant AND application_remote_id IS NULL
        UNION SELECT document_id FROM letters WHERE account_id = @account AND application_remote_id = @application AND document_id IS NOT NULL)
      ORDER BY ${kindRank}, d.id`)
    .all({ account: key.accountId, application: key.remoteId, applicant: applicantRemoteId }) as RawDocument[];
  return rows.map((row) => ({
    id: row.id,
    kind: asKind(row.kind),
    title: row.title,
    fileName: row.fileName === null ? null : safeFileName(row.fileName, row.mimeType, row.id),
    mimeType: row.mimeType,
    size: row.size,
    externalUrl: row.externalUrl,
    available: row.sha256 !== null,
    writer: row.writer,
  }));
}

export interface StoredDocument {
  readonly id: number;
  readonly fileName: string;
  readonly mimeType: string | null;
  /** The file in the content-addressed store, or null when its bytes are not downloaded (yet). */
  readonly file: string | null;
}

/** Where a document's verified bytes are, and the display name to give them; never a provider path. */
export function storedDocument(db: Db, storeDir: string, documentId: number): StoredDocument {
  const row = db
    .prepare('SELECT id, title, file_name AS fileName, mime_type AS mimeType, sha256 FROM documents WHERE id = ?')
    .get(documentId) as { id: number; title: string; fileName: string | null; mimeType: string | null; sha256: string | null } | undefined;
  if (!row) {
    throw new DossierError('document.missing', 'That document is not in the local cache. Sync the account to fetch it again.', { documentId });
  }
  const file = row.sha256 === null ? null : blobPath(storeDir, row.sha256);
  return {
    id: row.id,
    fileName: safeFileName(row.fileName ?? row.title, row.mimeType, row.id),
    mimeType: row.mimeType,
    file: file !== null && existsSync(file) ? file : null,
  };
}

const extensionByMime: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/rtf': 'rtf',
  'text/plain': 'txt',
  'text/html': 'html',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/zip': 'zip',
};

/**
 * Turns a provider's file name (display text) into a name safe to offer for saving: only its last
 * part (never a folder), cleaned like every exported name, with an extension that fits its type.
 */
export function safeFileName(name: string, mimeType: string | null, documentId: number): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const own = /\.[a-z0-9]{1,5}$/i.exec(base)?.[0];
  const fromType = mimeType ? extensionByMime[mimeType.toLowerCase().split(';')[0]?.trim() ?? ''] : undefined;
  const extension = own ?? (fromType === undefined ? undefined : `.${fromType}`);
  return safeName(base, { fallback: `document-${documentId}`, ...(extension === undefined ? {} : { extension }) });
}
