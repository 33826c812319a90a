import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { z } from 'zod';
import { BundledManifestName, type ManifestChoice } from '../../../shared/api/accounts.ts';
import { DossierError } from '../../core/base/errors.ts';

/**
 * `--manifest` / `manifest check`'s argument: a file (read here, checked by the core) or, when no
 * such file exists and the value is a plain name, a manifest that ships with Dossier.
 */
export async function manifestChoice(value: string): Promise<z.input<typeof ManifestChoice>> {
  const path = resolve(value);
  try {
    return { text: await readFile(path, 'utf8'), fileName: basename(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && BundledManifestName.safeParse(value).success) return { bundled: value };
    if (code === 'ENOENT') throw new DossierError('input.invalid', `There is no manifest file ${path}. Give the path of a manifest, or the name of one that ships with Dossier (dossier manifest list).`, { path });
    if (code === 'EISDIR') throw new DossierError('input.invalid', `${path} is a folder; give the manifest file in it.`, { path });
    throw new DossierError('input.invalid', `Dossier could not read the manifest ${path} (${code ?? String(error)}).`, { path });
  }
}
