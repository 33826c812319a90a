import { constants } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DossierError } from '../base/errors.ts';
import type { Storage } from '../storage/storage.ts';
import { storedDocument, type StoredDocument } from './documents.ts';

function requireBytes(document: StoredDocument): string {
  if (document.file === null) {
    throw new DossierError('document.missing', `"${document.fileName}" has not been downloaded yet. Sync the account while online to fetch it.`, { documentId: document.id });
  }
  return document.file;
}

/** Where a copy is written: into a folder under its own name, or to the exact file asked for; never over an existing file. */
async function saveTarget(target: string, fileName: string): Promise<string> {
  if (!isAbsolute(target)) throw new DossierError('input.invalid', 'Choose a full path to save the document to.', { field: 'target' });
  const existing = await stat(target).catch(() => undefined);
  return existing?.isDirectory() ? join(target, fileName) : target;
}

/**
 * Copies into the Downloads folder, as a browser download would, never replacing a file there:
 * "CV.pdf" becomes "CV (1).pdf" when needed.
 */
async function copyToDownloads(source: string, fileName: string): Promise<string> {
  const folder = join(homedir(), 'Downloads');
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

/** A stored document's bytes as the reviewer reaches them: shown in the app, opened in the system viewer, saved as a copy. */
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

  /** The store names files by hash, so the system viewer gets a copy under the document's own name and extension. */
  async openExternal(documentId: number): Promise<{ opened: true }> {
    const document = this.stored(documentId);
    const source = requireBytes(document);
    const folder = join(this.#deps.paths.temp, 'open', String(document.id));
    await mkdir(folder, { recursive: true });
    const copy = join(folder, document.fileName);
    await copyFile(source, copy);
    await this.#deps.openExternal(pathToFileURL(copy).href);
    return { opened: true };
  }

  /** Copies the document to `target`; with none, to Downloads where the host cannot ask (the desktop shell asks with a dialog first). */
  async saveAs(documentId: number, target: string | undefined): Promise<{ file: string | null }> {
    const document = this.stored(documentId);
    const source = requireBytes(document);
    if (target === undefined) return { file: this.#deps.savesToDownloads ? await copyToDownloads(source, document.fileName) : null };
    const file = await saveTarget(target, document.fileName);
    try {
      await copyFile(source, file, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') {
        throw new DossierError('input.invalid', `A file already exists at ${file}. Choose another name; nothing was overwritten.`, { field: 'target' });
      }
      throw error;
    }
    return { file };
  }
}
