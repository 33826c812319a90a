import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DossierError } from '../base/errors.ts';

/** The manifest engine, for the layers above the providers (accounts, auth, sync): they reach a provider's folder only through these files. */
export { loadManifest, type Manifest } from './manifest/index.ts';

/**
 * The provider manifests that ship with Dossier: build/manifests/<name>.json, found beside the
 * sources in a checkout and, in the packaged app, inside app.asar at the same place relative to the
 * built core (the shell build keeps this path pointed at the folder; build/electron-builder.json packs it).
 */
const folder = fileURLToPath(new URL('../../../build/manifests', import.meta.url));

export interface BundledManifestFile {
  /** The name a user gives (`--manifest greenhouse-harvest`): the file name without `.json`. */
  readonly id: string;
  readonly fileName: string;
  readonly text: string;
}

/** Every bundled manifest, by name; none when the folder is missing (a build without it). */
export function bundledManifests(): BundledManifestFile[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.map((fileName) => ({ id: fileName.slice(0, -'.json'.length), fileName, text: readFileSync(join(folder, fileName), 'utf8') }));
}

export function bundledManifest(id: string): BundledManifestFile {
  const all = bundledManifests();
  const found = all.find((manifest) => manifest.id === id);
  if (found === undefined) {
    const offered = all.length === 0 ? 'This build of Dossier ships none.' : `Choose one of: ${all.map((manifest) => manifest.id).join(', ')}, or a manifest file of your own.`;
    throw new DossierError('input.invalid', `There is no bundled manifest named "${id}". ${offered}`, { field: 'manifest' });
  }
  return found;
}
