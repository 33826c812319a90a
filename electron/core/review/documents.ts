import { existsSync } from 'node:fs';
import type { DocumentInfo } from '../../../shared/domain.ts';
import { DossierError } from '../base/errors.ts';
import { safeName } from '../base/safe-name.ts';
import { blobPath } from '../blobs/layout.ts';
import type { CachedDocument, DocumentsTable } from '../storage/documents.ts';
import type { PacketDocument } from '../storage/packet.ts';

/** A packet's document as the reviewer is shown it: the name a copy is saved under, and whether its bytes are here. */
export function documentInfo(document: PacketDocument, applicantName: string | null): DocumentInfo {
  return {
    id: document.id,
    kind: document.kind,
    title: document.title,
    fileName: document.fileName === null ? null : savedFileName({ ...document, applicantName }),
    mimeType: document.mimeType,
    size: document.size,
    externalUrl: document.externalUrl,
    available: document.sha256 !== null,
    writer: document.writer,
  };
}

export interface StoredDocument {
  readonly id: number;
  readonly fileName: string;
  readonly mimeType: string | null;
  /** The file in the content-addressed store, or null when its bytes are not downloaded (yet). */
  readonly file: string | null;
}

/** Where a document's verified bytes are, and the display name to give them; never a provider path. */
export function storedDocument(documents: DocumentsTable, storeDir: string, documentId: number): StoredDocument {
  const row = documents.get(documentId);
  if (!row) {
    throw new DossierError('document.missing', 'That document is not in the local cache. Sync the account to fetch it again.', { documentId });
  }
  const file = row.sha256 === null ? null : blobPath(storeDir, row.sha256);
  return {
    id: row.id,
    fileName: savedFileName(row),
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
  const base = lastPart(name);
  const extension = extensionOf(base, mimeType);
  return safeName(base, { fallback: `document-${documentId}`, ...(extension === undefined ? {} : { extension }) });
}

/**
 * The name a copy is saved or opened under: "Adeyemi Chukwuemeka – CV.pdf", so a committee's
 * downloads of thirty CVs stay apart. The extension is still the provider file's own (never
 * swapped for a safer-looking one), so the opener's rule (base/document-types.ts) sees what the
 * file really is. Without a cached applicant it is the provider's cleaned name.
 */
export function savedFileName(document: Pick<CachedDocument, 'id' | 'title' | 'fileName' | 'mimeType' | 'applicantName'>): string {
  const providerName = document.fileName ?? document.title;
  const applicant = document.applicantName?.trim();
  if (!applicant) return safeFileName(providerName, document.mimeType, document.id);
  const extension = extensionOf(lastPart(providerName), document.mimeType);
  const title = document.title.trim() || `document ${document.id}`;
  return safeName(`${applicant} – ${title}`, { fallback: `document-${document.id}`, ...(extension === undefined ? {} : { extension }) });
}

function lastPart(name: string): string {
  return name.split(/[/\\]/).pop() ?? '';
}

function extensionOf(fileName: string, mimeType: string | null): string | undefined {
  const own = /\.[a-z0-9]{1,5}$/i.exec(fileName)?.[0];
  const fromType = mimeType ? extensionByMime[mimeType.toLowerCase().split(';')[0]?.trim() ?? ''] : undefined;
  return own ?? (fromType === undefined ? undefined : `.${fromType}`);
}
