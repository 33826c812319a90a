import { constants } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isOpenableDocument } from '../base/document-types.ts';
import { DossierError } from '../base/errors.ts';
import type { Storage } from '../storage/storage.ts';
import { storedDocument, type StoredDocument } from './documents.ts';

function requireBytes(document: StoredDocument): string {
  if (document.file === null) {
    throw new DossierError('document.missing', `"${document.fileName}" has not been downloaded yet. Sync the account while online to fetch it.`, { documentId: document.id });
  }
  return document.file;
}

/**
 * Copies into `folder` under `fileName`, never replacing a file there, as a browser download
 * would: "CV.pdf" becomes "CV (1).pdf" when needed.
 */
async function copyUnderFreeName(source: string, folder: string, fileName: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const extension = extname(fileName);
  const stem = fileName.slice(0, fileName.length - extension.length);
  for (let attempt = 0; ; attempt += 1) {
    const file = join(folder, attempt === 0 ? fileName : `${stem} (${attempt})${extension}`);
    try {
      await copyFile(source, file, constants.COPYFILE_EXCL);
      return file;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST' || attempt >= 999) throw error;
    }
  }
}

function copyToDownloads(source: string, fileName: string): Promise<string> {
  return copyUnderFreeName(source, join(homedir(), 'Downloads'), fileName);
}

/** Copies to the exact file asked for, refusing one that exists: the reviewer chose that name. */
async function copyToExactFile(source: string, file: string): Promise<string> {
  try {
    await copyFile(source, file, constants.COPYFILE_EXCL);
    return file;
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') {
      throw new DossierError('input.invalid', `A file already exists at ${file}. Choose another name; nothing was overwritten.`, { field: 'target' });
    }
    throw error;
  }
}

export interface DocumentFilesDeps {
  readonly storage: Storage;
  readonly paths: { readonly store: string; readonly temp: string };
  /** Opens a file URL with the desktop's viewer. */
  readonly openExternal: (url: string) => Promise<void>;
  /** The transport-specific URL the renderer loads a stored document from. */
  readonly documentUrl: (documentId: number) => string;
  /** A page in a browser cannot ask where to save, so its copies go to the Downloads folder. */
  readonly savesToDownloads: boolean;
}

/** A stored document as the reviewer reaches it: shown in the app, opened in the system viewer, saved as a copy, marked read. */
export class DocumentFiles {
  readonly #deps: DocumentFilesDeps;

  constructor(deps: DocumentFilesDeps) {
    this.#deps = deps;
  }

  /** The verified file of a document and the display name to give it; never a provider path. */
  stored(documentId: number): StoredDocument {
    return storedDocument(this.#deps.storage.documents, this.#deps.paths.store, documentId);
  }

  locate(documentId: number): { url: string | null; fileName: string; mimeType: string | null; available: boolean } {
    const document = this.stored(documentId);
    return {
      url: document.file === null ? null : this.#deps.documentUrl(document.id),
      fileName: document.fileName,
      mimeType: document.mimeType,
      available: document.file !== null,
    };
  }

  /**
   * The store names files by hash, so the system viewer gets a copy under the document's own name
   * and extension. A file whose name is not a document type (`cv.sh`, `Lebenslauf.exe`) is never
   * handed to the opener, which would run it: it is saved to Downloads instead, and the reviewer told.
   */
  async openExternal(documentId: number): Promise<{ opened: boolean; file: string | null }> {
    const document = this.stored(documentId);
    const source = requireBytes(document);
    if (!isOpenableDocument(document.fileName)) return { opened: false, file: await copyToDownloads(source, document.fileName) };
    const folder = join(this.#deps.paths.temp, 'open', String(document.id));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const copy = join(folder, document.fileName);
    await copyFile(source, copy);
    await this.#deps.openExternal(pathToFileURL(copy).href);
    return { opened: true, file: null };
  }

  /**
   * Copies the document to `target`: a folder receives it under its saved name, numbered when that
   * name is taken; an exact file is never replaced. With no target, to Downloads where the host
   * cannot ask (the desktop shell asks with a dialog first).
   */
  async saveAs(documentId: number, target: string | undefined): Promise<{ file: string | null }> {
    const document = this.stored(documentId);
    const source = requireBytes(document);
    if (target === undefined) return { file: this.#deps.savesToDownloads ? await copyToDownloads(source, document.fileName) : null };
    if (!isAbsolute(target)) throw new DossierError('input.invalid', 'Choose a full path to save the document to.', { field: 'target' });
    const existing = await stat(target).catch(() => undefined);
    return { file: existing?.isDirectory() ? await copyUnderFreeName(source, target, document.fileName) : await copyToExactFile(source, target) };
  }

  /** Of `documentIds`, the ones the reviewer has opened. */
  readAmong(documentIds: readonly number[]): number[] {
    return this.#deps.storage.documentReads.readAmong(documentIds);
  }

  markRead(documentId: number, read: boolean): boolean {
    if (!this.#deps.storage.documents.get(documentId)) {
      throw new DossierError('document.missing', 'That document is not in the local cache. Sync the account to fetch it again.', { documentId });
    }
    this.#deps.storage.documentReads.mark(documentId, read);
    return read;
  }
}
