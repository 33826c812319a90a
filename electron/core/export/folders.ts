import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DossierError } from '../base/errors.ts';
import { downloadsFolder } from './output.ts';

export interface FolderListing {
  readonly path: string;
  readonly parent: string | null;
  readonly folders: { name: string; path: string }[];
}

/** A folder browser shows a screenful to pick from, not a whole disk: beyond this the path is typed. */
export const maxListedFolders = 500;

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() === true;
}

/** Where choosing a folder starts when nothing is typed: Downloads, where exports are offered to go, or home on an account without one. */
async function startingFolder(): Promise<string> {
  const downloads = downloadsFolder();
  return (await isFolder(downloads)) ? downloads : homedir();
}

/**
 * The sub-folders of an absolute folder, for choosing where an export goes without typing the
 * path. Hidden folders (a leading dot) are left out, as a file manager does; links to folders are
 * listed as the folders they lead to.
 */
export async function listFolders(requested?: string): Promise<FolderListing> {
  if (requested !== undefined && !isAbsolute(requested)) {
    throw new DossierError('input.invalid', `${requested} is not a full path. Give the whole path of a folder, starting from the top of the disk.`, { field: 'path' });
  }
  const path = requested === undefined ? await startingFolder() : resolve(requested);
  if (!(await isFolder(path))) {
    throw new DossierError('input.invalid', `${path} is not an existing folder. Choose a folder that exists.`, { field: 'path' });
  }
  const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
    throw new DossierError('input.invalid', `Dossier may not read the folder ${path}. Choose another folder.`, { field: 'path', cause: (error as { code?: string }).code }, { cause: error });
  });
  const visible = entries.filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()));
  const names: string[] = [];
  for (const entry of visible) {
    if (entry.isDirectory() || (await isFolder(join(path, entry.name)))) names.push(entry.name);
  }
  const parent = dirname(path);
  return {
    path,
    parent: parent === path ? null : parent,
    folders: names
      .sort(byName.compare)
      .slice(0, maxListedFolders)
      .map((name) => ({ name, path: join(path, name) })),
  };
}
