import { constants } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DossierError } from '../../errors.ts';
import { storedDocument, type StoredDocument } from '../../review/documents.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

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

export function documentsHandlers(deps: CoreDeps): HandlerGroup<'documents.locate' | 'documents.openExternal' | 'documents.saveAs'> {
  const { db, paths } = deps.context;
  const find = (documentId: number) => storedDocument(db, paths.store, documentId);
  return {
    'documents.locate': (input) => {
      const document = find(input.documentId);
      return {
        url: document.file === null ? null : deps.documentUrl(document.id),
        fileName: document.fileName,
        mimeType: document.mimeType,
        available: document.file !== null,
      };
    },
    // The store names files by hash, so the system viewer gets a copy under the document's own name and extension.
    'documents.openExternal': async (input) => {
      const document = find(input.documentId);
      const source = requireBytes(document);
      const folder = join(paths.temp, 'open', String(document.id));
      await mkdir(folder, { recursive: true });
      const copy = join(folder, document.fileName);
      await copyFile(source, copy);
      await deps.openExternal(pathToFileURL(copy).href);
      return { opened: true };
    },
    'documents.saveAs': async (input) => {
      const document = find(input.documentId);
      const source = requireBytes(document);
      // No target: the desktop shell asks with a save dialog first; a page in a browser cannot, so the copy goes to Downloads.
      if (input.target === undefined) return { file: deps.host === 'browser' ? await copyToDownloads(source, document.fileName) : null };
      const file = await saveTarget(input.target, document.fileName);
      try {
        await copyFile(source, file, constants.COPYFILE_EXCL);
      } catch (error) {
        if ((error as { code?: string }).code === 'EEXIST') {
          throw new DossierError('input.invalid', `A file already exists at ${file}. Choose another name; nothing was overwritten.`, { field: 'target' });
        }
        throw error;
      }
      return { file };
    },
  };
}
