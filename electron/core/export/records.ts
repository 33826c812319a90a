import { statSync } from 'node:fs';
import type { DocumentKind } from '../../../shared/domain.ts';
import { blobPath } from '../blobs/layout.ts';
import type { DocumentFile, ExportRecordsQuery, FileColumns, FileOwner, LetterFile } from '../storage/export-records.ts';

/** A document's bytes in the content-addressed store, or why there are none. */
export interface StoredFile extends FileColumns {
  /** Absolute path in the store, null when the bytes were never downloaded or are gone. */
  readonly path: string | null;
  readonly size: number;
}

export interface LetterRecord extends LetterFile, StoredFile {}

export interface DocumentRecord extends DocumentFile, StoredFile {}

/** The store path of a verified blob, checked on disk so an export never promises bytes it cannot read. */
function locate(storeDir: string, sha256: string | null): { path: string | null; size: number } {
  if (sha256 === null) return { path: null, size: 0 };
  const path = blobPath(storeDir, sha256);
  const info = statSync(path, { throwIfNoEntry: false });
  return info?.isFile() ? { path, size: info.size } : { path: null, size: 0 };
}

const packetKindOrder: readonly DocumentKind[] = ['cv', 'statement', 'paper', 'other'];

/** Reads the letters and documents of selected applications, each located in the store. */
export class RecordReader {
  readonly #records: ExportRecordsQuery;
  readonly #storeDir: string;

  constructor(records: ExportRecordsQuery, storeDir: string) {
    this.#records = records;
    this.#storeDir = storeDir;
  }

  lettersOf(application: FileOwner): LetterRecord[] {
    return this.#records.letters(application).map((row) => ({ ...row, ...locate(this.#storeDir, row.sha256) }));
  }

  /** The application's own documents in packet order (CV, statements, papers, others); letters come from `lettersOf`. */
  documentsOf(application: FileOwner): DocumentRecord[] {
    return this.#records.documents(application)
      .map((row) => ({ ...row, ...locate(this.#storeDir, row.sha256) }))
      .sort((a, b) => packetKindOrder.indexOf(a.kind) - packetKindOrder.indexOf(b.kind));
  }
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
